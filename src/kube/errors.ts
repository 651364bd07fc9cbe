// One error type for everything the API server (or the way to it) says no to. Callers test the
// HTTP status or the Kubernetes reason, never message text. The message is the Status message
// only: client-node's ApiException embeds response headers, which must not reach logs.

export class KubeApiError extends Error {
  /** HTTP status; 0 when the request never got an HTTP answer (connection refused, timeout, TLS). */
  readonly status: number;
  /** metav1.Status reason (`NotFound`, `Conflict`, `AlreadyExists`, `Forbidden`, `Gone`, `Invalid`…), or a transport reason. */
  readonly reason: string;

  constructor(status: number, reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
  }
}

const reasonByStatus: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** Builds the error from an HTTP status and the raw response body (a metav1.Status when the server wrote one). */
export function kubeApiErrorFromResponse(status: number, body: string, what: string): KubeApiError {
  let reason = reasonByStatus[status] ?? 'Unknown';
  let message = `${what}: HTTP ${status}`;
  try {
    const parsed = JSON.parse(body) as { kind?: unknown; reason?: unknown; message?: unknown };
    if (parsed.kind === 'Status') {
      if (typeof parsed.reason === 'string' && parsed.reason) reason = parsed.reason;
      if (typeof parsed.message === 'string' && parsed.message) message = `${what}: ${parsed.message}`;
    }
  } catch {
    // Not JSON (proxies, 401 without body): status and reason say enough.
  }
  return new KubeApiError(status, reason, message);
}

/** Wraps a failure that produced no HTTP response. */
export function kubeTransportError(error: unknown, what: string): KubeApiError {
  const name = error instanceof Error ? error.name : '';
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const reason = name === 'TimeoutError' ? 'ClientTimeout' : 'ConnectionFailed';
  const detail = typeof code === 'string' ? code : name || 'error';
  return new KubeApiError(0, reason, `${what}: ${reason} (${detail})`, { cause: error });
}

export function isKubeApiError(error: unknown): error is KubeApiError {
  return error instanceof KubeApiError;
}

const hasStatus = (error: unknown, status: number) => error instanceof KubeApiError && error.status === status;

export const isNotFound = (error: unknown): boolean => hasStatus(error, 404);
/** 409: a resourceVersion precondition failed, or (reason AlreadyExists) a create found the name taken. */
export const isConflict = (error: unknown): boolean => hasStatus(error, 409);
export const isAlreadyExists = (error: unknown): boolean => hasStatus(error, 409) && (error as KubeApiError).reason === 'AlreadyExists';
export const isForbidden = (error: unknown): boolean => hasStatus(error, 403);
/** 410 Gone: the resourceVersion is too old (a watch must relist). */
export const isGone = (error: unknown): boolean => hasStatus(error, 410);
export const isInvalid = (error: unknown): boolean => hasStatus(error, 422);
