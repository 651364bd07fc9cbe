// Secret scrubbing for what leaves the process (log lines, Event notes, probe reasons). The text
// patterns (pairing keys, Basic/Bearer credentials, password=…, "password":"…") are the Element
// client's, src/element/redact.ts, so there is one definition of "looks like a secret". The walker
// below is stricter about structure than its redactValue: field names are matched on their ending
// (`adminPassword`, `clientSecret`, `bearerToken`), objects with toJSON (Dates, client-node models)
// are scrubbed in their JSON form, and errors keep their (scrubbed) stack.
import { REDACTED, isSensitiveFieldName, redactString } from '../element/redact.ts';

export { REDACTED };

const SENSITIVE_SUFFIX = /(password|passwd|secret|token|pairingkey|apikey|authorization|cookie|privatekey)$/i;

export function isSensitiveKey(key: string): boolean {
  return isSensitiveFieldName(key) || SENSITIVE_SUFFIX.test(key);
}

/** Returns `text` with pairing keys, Basic/Bearer credentials and password-like values replaced. */
export function scrubText(text: string): string {
  return redactString(text);
}

const MAX_DEPTH = 12;

/**
 * A copy of JSON-like data with every string scrubbed and the primitive values of sensitive
 * fields replaced, at any depth. Errors become plain `{type, message, stack, …}` objects so their
 * message and stack are scrubbed too. Cycles and very deep nesting are cut off, not followed.
 */
export function scrubValue(value: unknown): unknown {
  return scrub(value, 0, new WeakSet<object>());
}

function scrub(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1, seen));
    if (!(value instanceof Error) && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      // Dates, Buffers, client-node models: scrub what JSON.stringify would emit.
      const json: unknown = (value as { toJSON: () => unknown }).toJSON();
      return json === value ? '[Unserializable]' : scrub(json, depth + 1, seen);
    }
    const source: object = value instanceof Error ? errorFields(value) : value;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(source)) {
      out[key] = isSensitiveKey(key) && field !== null && typeof field !== 'object' ? REDACTED : scrub(field, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  for (const [key, field] of Object.entries(error)) fields[key] = field;
  if (error.cause !== undefined) fields['cause'] = error.cause;
  return fields;
}
