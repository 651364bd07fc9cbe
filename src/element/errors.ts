// Errors raised by the Element client. An API error (the cluster answered with a JSON-RPC `error`)
// is kept apart from transport failures (no usable answer), because callers decide differently:
// an API error is a definite answer, a transport failure on a mutating call may hide a change.
// Messages never contain request parameters, pairing keys, passwords or Authorization headers.

/** The cluster answered `{"error": {name, code, message}}`. `name` is Element's, e.g. `xVolumeAlreadyPaired`. */
export class ElementApiError extends Error {
  override readonly name: string;
  readonly code: number;
  readonly method: string;

  constructor(method: string, elementName: string, code: number, message: string) {
    super(message);
    this.name = elementName;
    this.code = code;
    this.method = method;
  }
}

/** Base of every failure to get a usable JSON-RPC answer. `endpoint` is `host:port/path`, no credentials. */
export class ElementTransportError extends Error {
  override readonly name: string = 'ElementTransportError';
  readonly method: string;
  readonly endpoint: string;

  constructor(method: string, endpoint: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.method = method;
    this.endpoint = endpoint;
  }
}

/**
 * `connect`: TCP/TLS setup took too long — nothing was sent. `headers`/`body`: the request was sent
 * and the answer did not (fully) arrive — a mutation may have been applied.
 */
export type TimeoutPhase = 'connect' | 'headers' | 'body';

export class ElementTimeoutError extends ElementTransportError {
  override readonly name = 'ElementTimeoutError';
  readonly phase: TimeoutPhase;

  constructor(method: string, endpoint: string, phase: TimeoutPhase, timeoutMs: number, cause?: unknown) {
    super(method, endpoint, `${method} to ${endpoint}: no ${phase === 'connect' ? 'connection' : `response ${phase}`} within ${timeoutMs} ms`, cause);
    this.phase = phase;
  }
}

/**
 * Refused, reset, unreachable, closed. `requestMayHaveBeenSent` is false only when the failure
 * happened before a connection existed (refused, DNS, unreachable): then nothing reached the server.
 */
export class ElementConnectionError extends ElementTransportError {
  override readonly name = 'ElementConnectionError';
  readonly code: string | undefined;
  readonly requestMayHaveBeenSent: boolean;

  constructor(method: string, endpoint: string, code: string | undefined, requestMayHaveBeenSent: boolean, cause?: unknown) {
    super(method, endpoint, `${method} to ${endpoint}: connection failed (${code ?? 'unknown'})`, cause);
    this.code = code;
    this.requestMayHaveBeenSent = requestMayHaveBeenSent;
  }
}

/** Certificate verification, hostname, pin mismatch or handshake failure. Nothing was sent. */
export class ElementTlsError extends ElementTransportError {
  override readonly name = 'ElementTlsError';
  readonly code: string | undefined;

  constructor(method: string, endpoint: string, code: string | undefined, detail: string, cause?: unknown) {
    super(method, endpoint, `${method} to ${endpoint}: TLS failure (${code ?? 'unknown'}): ${detail}`, cause);
    this.code = code;
  }
}

/** HTTP 401/403: Element answers bad credentials with an HTML page, not JSON-RPC. */
export class ElementAuthError extends ElementTransportError {
  override readonly name = 'ElementAuthError';
  readonly status: number;

  constructor(method: string, endpoint: string, status: number) {
    super(method, endpoint, `${method} to ${endpoint}: HTTP ${status}, credentials rejected`);
    this.status = status;
  }
}

/** HTTP 404 on `/json-rpc/<version>`: the cluster does not serve this API version. */
export class ElementVersionNotFoundError extends ElementTransportError {
  override readonly name = 'ElementVersionNotFoundError';
  readonly apiVersion: string;

  constructor(method: string, endpoint: string, apiVersion: string) {
    super(method, endpoint, `${method} to ${endpoint}: HTTP 404, API version ${apiVersion} not served`);
    this.apiVersion = apiVersion;
  }
}

/** An answer that is not JSON-RPC: unexpected HTTP status, not JSON, no `result`/`error`, or a result of the wrong shape. */
export class ElementProtocolError extends ElementTransportError {
  override readonly name = 'ElementProtocolError';
  readonly status: number | undefined;

  constructor(method: string, endpoint: string, status: number | undefined, detail: string) {
    super(method, endpoint, `${method} to ${endpoint}: ${detail}${status === undefined ? '' : ` (HTTP ${status})`}`);
    this.status = status;
  }
}

export function isElementApiError(error: unknown, ...names: string[]): error is ElementApiError {
  return error instanceof ElementApiError && (names.length === 0 || names.includes(error.name));
}
