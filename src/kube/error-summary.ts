// What a log line may say about a failed call through client-node's own APIs (Events, Leases):
// the status and a short scrubbed text, never the whole ApiException message, which embeds
// response headers and body.
import { scrubText } from '../observability/redact.ts';

/** client-node's ApiException carries `code`; the project's KubeApiError carries `status`. */
export function statusCode(err: unknown): number | undefined {
  const { code, status } = (err ?? {}) as { code?: unknown; status?: unknown };
  if (typeof code === 'number') return code;
  return typeof status === 'number' ? status : undefined;
}

/** The status code and the first `maxChars` characters of the message, scrubbed of credentials. */
export function errorSummary(err: unknown, maxChars: number): { code?: number; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  const code = statusCode(err);
  return { ...(code === undefined ? {} : { code }), message: scrubText(message.slice(0, maxChars)) };
}
