// How a failed step is described: safe text for status, Events and errors (no key, password or
// Authorization value ever), and the error a step throws when what it needs is not stored.
import { ElementApiError, ElementTransportError, redactString } from '../../element/index.ts';
import { NoClientError } from '../observation-cache.ts';

/**
 * A message about a failure that is safe for status, Events and errors: Element API errors by
 * method and name, transport errors by class, anything else redacted.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof ElementApiError) return `${error.method} failed: ${error.name}`;
  if (error instanceof ElementTransportError) return `${error.method} failed: ${error.name} (${redactString(error.message)})`;
  if (error instanceof NoClientError) return error.message;
  if (error instanceof Error) return redactString(error.message);
  return redactString(String(error));
}

/** Thrown for a step that cannot run with what is stored (e.g. the key Secret vanished). */
export class StepPreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepPreconditionError';
  }
}

interface WithConditions {
  conditions?: readonly { type: string; message: string }[] | undefined;
}

/** The status with a note appended to the Ready condition's message (safe text only). */
export function withReadyNote<T>(status: T, note: string): T {
  const conditions = (status as WithConditions).conditions;
  if (conditions === undefined) return status;
  return { ...status, conditions: conditions.map((c) => (c.type === 'Ready' ? { ...c, message: `${c.message}; ${note}` } : c)) };
}
