// Scrubbing for anything that may end up in a log line, Event, status message or error message:
// pairing keys, passwords and Authorization headers (CONTRACTS.md, DESIGN.md §3/§4).
// Pure JavaScript, so any layer may use it.

export const REDACTED = '[REDACTED]';

/** Object members whose values are always secret, compared case-insensitively. */
export const SENSITIVE_FIELD_NAMES: readonly string[] = [
  'password',
  'passwd',
  'clusterPairingKey',
  'volumePairingKey',
  'pairingKey',
  'authorization',
  'proxy-authorization',
  'initiatorSecret',
  'targetSecret',
  'secret',
  'token',
];
const SENSITIVE = new Set(SENSITIVE_FIELD_NAMES.map((name) => name.toLowerCase()));

export function isSensitiveFieldName(name: string): boolean {
  return SENSITIVE.has(name.toLowerCase());
}

// A pairing key is hex of a JSON object, so it starts with 7b22 (`{"`); real ones are hundreds of
// characters. Any such hex run of 40+ characters is taken for a key, even when it does not decode
// (a damaged key still contains most of a password).
const PAIRING_KEY_HEX = /7b22[0-9a-f]{36,}/gi;
// `"password":"…"`, `password=…`, `clusterPairingKey: …` in JSON, query strings, or prose.
const SENSITIVE_ASSIGNMENT = new RegExp(
  `(["']?(?:${SENSITIVE_FIELD_NAMES.map((n) => n.replace(/[-]/g, '\\-')).join('|')})["']?\\s*[:=]\\s*)(?!["']?\\[REDACTED\\])("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s,;&}\\]]+)`,
  'gi',
);
// `Authorization: Basic dXNlcjpwdw==` (header dumps, JSON): the scheme and the credentials go.
const AUTHORIZATION_HEADER = /(authorization["']?\s*[:=]\s*["']?)(?:(?:Basic|Bearer|Digest|Negotiate)\s+)?[^\s"',;]+/gi;
// A bare `Basic dXNlcjpwdw==` / `Bearer eyJ…` elsewhere (a curl line). Only token-like words count,
// so prose such as "Basic authentication" survives.
const AUTH_SCHEME_TOKEN = /\b(Basic|Bearer)\s+([A-Za-z0-9+/._~-]{6,}=*)/g;
function looksLikeToken(word: string): boolean {
  return word.length >= 20 || (/[a-z]/.test(word) && /[A-Z0-9+/=]/.test(word));
}
// https://user:password@host
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]*@/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Returns `text` with pairing keys, secret assignments, Authorization tokens and URL credentials
 * replaced by `[REDACTED]`. `knownSecrets` (e.g. the client's own password) are replaced wherever
 * they occur; values shorter than 4 characters are ignored to avoid shredding ordinary words.
 */
export function redactString(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 4) out = out.replace(new RegExp(escapeRegExp(secret), 'g'), REDACTED);
  }
  return out
    .replace(PAIRING_KEY_HEX, REDACTED)
    .replace(AUTHORIZATION_HEADER, `$1${REDACTED}`)
    .replace(SENSITIVE_ASSIGNMENT, (_match, prefix: string, value: string) => {
      const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
      return `${prefix}${quote}${REDACTED}${quote}`;
    })
    .replace(AUTH_SCHEME_TOKEN, (match, scheme: string, token: string) => (looksLikeToken(token) ? `${scheme} ${REDACTED}` : match))
    .replace(URL_USERINFO, `$1${REDACTED}@`);
}

/**
 * Deep copy of `value` that is safe to log: sensitive members become `[REDACTED]`, every string is
 * passed through redactString, Errors become plain `{name, message, …}` objects, cycles are cut.
 */
export function redactValue(value: unknown, knownSecrets: readonly string[] = []): unknown {
  const seen = new WeakSet<object>();
  const walk = (current: unknown, depth: number): unknown => {
    if (typeof current === 'string') return redactString(current, knownSecrets);
    if (current === null || typeof current !== 'object') return current;
    if (seen.has(current)) return '[Circular]';
    if (depth > 20) return '[Truncated]';
    seen.add(current);
    if (Array.isArray(current)) return current.map((item) => walk(item, depth + 1));
    if (current instanceof Uint8Array) return `[${current.byteLength} bytes]`;
    const source: Record<string, unknown> =
      current instanceof Error ? { ...current, name: current.name, message: current.message } : (current as Record<string, unknown>);
    if (current instanceof Error && current.cause !== undefined) source.cause = current.cause;
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(source)) {
      Object.defineProperty(out, key, {
        value: isSensitiveFieldName(key) && member !== undefined && member !== null ? REDACTED : walk(member, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return walk(value, 0);
}

/** Header map safe to log: Authorization (any case) and other sensitive headers are replaced. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined> {
  return redactValue(headers) as Record<string, string | string[] | undefined>;
}
