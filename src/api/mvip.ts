// MVIPs as the operator compares them (pure): `host` and `host:443` are one MVIP; case, blanks, an
// `https://` prefix and a trailing slash do not matter; IPv6 hosts are bracketed (`[fd00::10]:443`).
// Shared by the ElementCluster (which MVIPs a credentials Secret may be sent to) and the pair kinds
// (which cluster a pair names).

const DEFAULT_PORT = '443';

export interface HostPort {
  /** Lower case; IPv6 in brackets. */
  host: string;
  /** Absent: none was given. */
  port?: string;
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address; undefined when it is none of these. */
export function parseHostPort(raw: string): HostPort | undefined {
  const text = raw.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  let host: string;
  let port: string | undefined;
  const bracketed = /^(\[[0-9a-f:.]+\])(?::([0-9]*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] as string;
    port = bracketed[2];
  } else if (/^[0-9a-f:.]+$/.test(text) && (text.match(/:/g) ?? []).length > 1) {
    host = `[${text}]`;
  } else {
    const parts = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)(?::([0-9]*))?$/.exec(text);
    if (!parts) return undefined;
    host = parts[1] as string;
    port = parts[3];
  }
  if (port === undefined) return { host };
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) return undefined;
  return { host, port: String(Number(port)) };
}

/** The one spelling of an MVIP: `host` for port 443, else `host:port`. Unparseable text is only trimmed and lower-cased. */
export function normalizeMvip(mvip: string): string {
  const parsed = parseHostPort(mvip);
  if (!parsed) return mvip.trim().toLowerCase();
  const port = parsed.port ?? DEFAULT_PORT;
  return port === DEFAULT_PORT ? parsed.host : `${parsed.host}:${port}`;
}

/** Entries of `elementrepl.io/allowed-mvips`: comma-separated; empty and malformed entries allow nothing. */
export function parseAllowedMvips(annotation: string | undefined): HostPort[] {
  if (annotation === undefined) return [];
  return annotation
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseHostPort)
    .filter((entry): entry is HostPort => entry !== undefined);
}

/**
 * Whether a credentials Secret with this `elementrepl.io/allowed-mvips` value may be sent to `mvip`:
 * an entry `host` allows the host on any port, `host:port` exactly that port (443 when the MVIP has none).
 */
export function mvipAllowedBy(annotation: string | undefined, mvip: string): boolean {
  const target = parseHostPort(mvip);
  if (!target) return false;
  const targetPort = target.port ?? DEFAULT_PORT;
  return parseAllowedMvips(annotation).some((entry) => entry.host === target.host && (entry.port === undefined || entry.port === targetPort));
}
