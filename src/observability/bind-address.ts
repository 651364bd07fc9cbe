// Parses controller-runtime style bind addresses (`--metrics-bind-address`,
// `--health-probe-bind-address`): `:8080` (all interfaces), `127.0.0.1:0` (ephemeral port),
// `[::1]:8081`, and `0` or an empty string to disable the server.

export interface BindAddress {
  /** undefined: all interfaces. */
  host: string | undefined;
  /** 0: an ephemeral port chosen by the OS. */
  port: number;
}

/** The address to listen on, or undefined when the server is disabled. Throws on malformed input. */
export function parseBindAddress(value: string): BindAddress | undefined {
  const text = value.trim();
  if (text === '' || text === '0') return undefined;
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text);
  if (!match) throw new Error(`invalid bind address "${value}": expected [host]:port, or 0 to disable`);
  const port = Number(match[3]);
  if (port > 65535) throw new Error(`invalid bind address "${value}": port ${port} is out of range`);
  const host = match[1] ?? match[2];
  return { host: host === '' ? undefined : host, port };
}

/** `host:port` as a URL authority, brackets around IPv6. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
