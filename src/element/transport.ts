// One JSON-RPC POST to an Element cluster over a dedicated undici Agent: HTTP Basic auth, explicit
// timeouts, keep-alive, a bounded connection count, and every way the exchange can fail mapped to
// one error class (errors.ts). Any response Content-Type is accepted. No retries here.
import { Agent } from 'undici';
import { ElementApiError, ElementAuthError, ElementConnectionError, ElementProtocolError, ElementTimeoutError, ElementTlsError, ElementVersionNotFoundError } from './errors.ts';
import { redactString } from './redact.ts';
import { buildElementConnector } from './tls.ts';
import type { ElementTimeouts, ElementTlsOptions } from './types.ts';

export const DEFAULT_TIMEOUTS: Required<ElementTimeouts> = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };
export const DEFAULT_MAX_CONNECTIONS = 4;
// ListVolumes on a large cluster is a few MB; anything far beyond is not an Element answer.
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface TransportOptions {
  mvip: string;
  username: string;
  password: string;
  tls?: ElementTlsOptions;
  timeouts?: ElementTimeouts;
  maxConnections?: number;
}

export interface Mvip {
  host: string;
  port: number;
  /** `host:port`, IPv6 in brackets: what errors and logs show. */
  authority: string;
}

/** "host" or "host:port" (IPv6 as "[::1]" or "[::1]:443"); the port defaults to 443. */
export function parseMvip(mvip: string): Mvip {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:/?#@\s[\]]+))(?::(\d{1,5}))?$/.exec(mvip.trim());
  const port = match?.[3] === undefined ? 443 : Number(match[3]);
  if (match === null || port < 1 || port > 65535) throw new Error(`mvip must be "host" or "host:port", got ${JSON.stringify(mvip)}`);
  const host = match[1] ?? match[2] ?? '';
  return { host, port, authority: `${match[1] === undefined ? host : `[${host}]`}:${port}` };
}

const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN']);
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|^ERR_SSL_|^ERR_TLS_|^EPROTO$|HOSTNAME_MISMATCH|PIN_MISMATCH/;

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const inner = (error as { errors?: unknown }).errors; // AggregateError from happy-eyeballs connects
  return Array.isArray(inner) ? inner.map(errorCode).find((c) => c !== undefined) : undefined;
}

export class JsonRpcTransport {
  readonly mvip: Mvip;
  readonly timeouts: Required<ElementTimeouts>;
  readonly #agent: Agent;
  readonly #origin: string;
  readonly #authorization: string;
  readonly #password: string;
  #nextId = 1;

  constructor(options: TransportOptions) {
    this.mvip = parseMvip(options.mvip);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.#origin = `https://${this.mvip.authority}`;
    this.#authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`;
    this.#password = options.password;
    this.#agent = new Agent({
      connect: buildElementConnector(options.tls, this.timeouts.connectMs),
      connections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      pipelining: 1,
    });
  }

  /** POSTs `{method, params, id}` to `/json-rpc/<apiVersion>` and returns the `result` member, unparsed. */
  async call(method: string, params: Record<string, unknown>, apiVersion: string): Promise<unknown> {
    const path = `/json-rpc/${apiVersion}`;
    const endpoint = `${this.mvip.authority}${path}`;
    const id = this.#nextId++;
    let status: number;
    let text: string;
    try {
      const response = await this.#agent.request({
        origin: this.#origin,
        path,
        method: 'POST',
        headers: { authorization: this.#authorization, 'content-type': 'application/json-rpc', accept: 'application/json' },
        body: JSON.stringify({ method, params, id }),
      });
      status = response.statusCode;
      text = await readText(response.body, method, endpoint, status);
    } catch (error) {
      throw this.#mapFailure(error, method, endpoint);
    }
    return this.#interpret(method, endpoint, apiVersion, status, text);
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  #interpret(method: string, endpoint: string, apiVersion: string, status: number, text: string): unknown {
    if (status === 401 || status === 403) throw new ElementAuthError(method, endpoint, status);
    if (status === 404) throw new ElementVersionNotFoundError(method, endpoint, apiVersion);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ElementProtocolError(method, endpoint, status, 'response body is not JSON');
    }
    const envelope = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    // Element reports API errors with HTTP 200; an `error` member is honoured on any status anyway.
    if (typeof envelope.error === 'object' && envelope.error !== null) throw this.#apiError(method, envelope.error as Record<string, unknown>);
    if (status < 200 || status > 299) throw new ElementProtocolError(method, endpoint, status, 'unexpected HTTP status');
    if (!('result' in envelope) || typeof envelope.result !== 'object' || envelope.result === null) {
      throw new ElementProtocolError(method, endpoint, status, 'response has neither a result object nor an error');
    }
    return envelope.result;
  }

  #apiError(method: string, error: Record<string, unknown>): ElementApiError {
    const name = typeof error.name === 'string' && error.name !== '' ? error.name : 'xUnknownError';
    const code = typeof error.code === 'number' ? error.code : 500;
    const raw = typeof error.message === 'string' && error.message !== '' ? error.message : name;
    // Element may echo parameters in prose; a key or password must not ride along.
    return new ElementApiError(method, name, code, redactString(raw, [this.#password]));
  }

  #mapFailure(error: unknown, method: string, endpoint: string): Error {
    if (error instanceof ElementProtocolError) return error;
    const code = errorCode(error);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return new ElementTimeoutError(method, endpoint, 'connect', this.timeouts.connectMs, error);
    if (code === 'UND_ERR_HEADERS_TIMEOUT') return new ElementTimeoutError(method, endpoint, 'headers', this.timeouts.headersMs, error);
    if (code === 'UND_ERR_BODY_TIMEOUT') return new ElementTimeoutError(method, endpoint, 'body', this.timeouts.bodyMs, error);
    if (code !== undefined && TLS_CODE.test(code)) {
      const detail = error instanceof Error ? redactString(error.message, [this.#password]) : 'handshake failed';
      return new ElementTlsError(method, endpoint, code, detail, error);
    }
    return new ElementConnectionError(method, endpoint, code, code === undefined || !NOT_CONNECTED_CODES.has(code), error);
  }
}

async function readText(body: AsyncIterable<Uint8Array>, method: string, endpoint: string, status: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > MAX_RESPONSE_BYTES) throw new ElementProtocolError(method, endpoint, status, `response larger than ${MAX_RESPONSE_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
