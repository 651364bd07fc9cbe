// TLS policy of one Element cluster, as an undici connector. Three modes:
//  - CA: verify the chain against `caPem` (or the system store when none is given) and the name
//    (`serverName`, else the MVIP host) — Node's own checks.
//  - pin: Element certificates are self-signed and often lack an IP SAN, so the chain and name are
//    not checked; instead the leaf certificate's SHA-256 must equal the pin. The comparison runs in
//    the connector, after the handshake and before undici writes the request; TLS session reuse is
//    off so every connection presents (and is checked against) a certificate.
//  - insecureSkipVerify: no checks at all (the caller reports TLSVerified=False).
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';
import type { ElementTlsOptions } from './types.ts';

export type TlsMode = 'ca' | 'pin' | 'insecure';

/** Raised by the connector when the presented certificate does not match the pin. */
export class PinMismatchError extends Error {
  override readonly name = 'PinMismatchError';
  readonly code = 'ERR_ELEMENT_CERT_PIN_MISMATCH';

  constructor() {
    super('server certificate does not match the pinned SHA-256 fingerprint');
  }
}

/** Normalizes a pin to 64 lower-case hex characters; throws on anything else. */
export function normalizePin(pin: string): string {
  const hex = pin.trim().replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('tls.pinnedSha256 must be a SHA-256 fingerprint: 64 hex digits, optionally colon-separated');
  return hex;
}

export function tlsMode(tls: ElementTlsOptions | undefined): TlsMode {
  if (tls?.pinnedSha256 !== undefined && tls.pinnedSha256 !== '') return 'pin';
  if (tls?.insecureSkipVerify === true) return 'insecure';
  return 'ca';
}

function certificateMatchesPin(socket: TLSSocket, pin: Buffer): boolean {
  const certificate = socket.getPeerX509Certificate();
  if (certificate === undefined) return false;
  const actual = createHash('sha256').update(certificate.raw).digest();
  return actual.length === pin.length && timingSafeEqual(actual, pin);
}

export function buildElementConnector(tls: ElementTlsOptions | undefined, connectTimeoutMs: number): buildConnector.connector {
  const mode = tlsMode(tls);
  const serverName = tls?.serverName === '' ? undefined : tls?.serverName;
  // RFC 6066 forbids IP addresses in SNI; an IP serverName is used for verification only.
  const sni = serverName !== undefined && isIP(serverName) === 0 ? serverName : undefined;
  const common = { timeout: connectTimeoutMs, allowH2: false, ...(sni === undefined ? {} : { servername: sni }) };

  if (mode === 'insecure') return buildConnector({ ...common, rejectUnauthorized: false });

  if (mode === 'ca') {
    const options: ConnectionOptions = { rejectUnauthorized: true };
    if (tls?.caPem !== undefined && tls.caPem !== '') options.ca = tls.caPem;
    if (serverName !== undefined) options.checkServerIdentity = (_host, cert) => checkServerIdentity(serverName, cert);
    return buildConnector({ ...common, ...options });
  }

  const pin = Buffer.from(normalizePin(tls?.pinnedSha256 ?? ''), 'hex');
  const connect = buildConnector({ ...common, rejectUnauthorized: false, maxCachedSessions: 0 });
  return (options, callback) => {
    connect(options, (error, socket) => {
      if (error !== null) {
        callback(error, null);
        return;
      }
      if (!certificateMatchesPin(socket as TLSSocket, pin)) {
        socket.destroy();
        callback(new PinMismatchError(), null);
        return;
      }
      callback(null, socket);
    });
  };
}
