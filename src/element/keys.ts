// Codec for Element pairing keys: lower-case hex of the UTF-8 bytes of compact JSON with keys
// sorted alphabetically (element-api.md §2.1). Keys are secrets (a cluster key carries a username
// and password), so no error raised here ever contains the key or any part of it: a JSON parser's
// message would quote the input, which is why those messages are dropped.
// Pure JavaScript (no Buffer) so that planners may import it.
import { z } from 'zod';

export type PairingKeyKind = 'cluster' | 'volume';
export type PairingKeyFailure = 'notHex' | 'notUtf8' | 'notJson' | 'invalidFields';

export class PairingKeyError extends Error {
  override readonly name = 'PairingKeyError';
  readonly kind: PairingKeyKind;
  readonly reason: PairingKeyFailure;

  constructor(kind: PairingKeyKind, reason: PairingKeyFailure, detail: string) {
    super(`invalid ${kind} pairing key: ${detail}`);
    this.kind = kind;
    this.reason = reason;
  }
}

/** Unknown members are kept (looseObject) so that a decoded key re-encodes byte for byte. */
export const DecodedClusterPairingKey = z.looseObject({
  clusterPairID: z.number().int(),
  clusterPairUUID: z.string(),
  clusterUniqueID: z.string(),
  mvip: z.string(),
  name: z.string(),
  password: z.string(),
  rpcConnectionID: z.number().int(),
  username: z.string(),
});
export type DecodedClusterPairingKey = z.infer<typeof DecodedClusterPairingKey>;

export const DecodedVolumePairingKey = z.looseObject({
  mvip: z.string(),
  volumeID: z.number().int(),
  volumeName: z.string(),
  volumePairUUID: z.string(),
});
export type DecodedVolumePairingKey = z.infer<typeof DecodedVolumePairingKey>;

// Real keys are a few hundred characters; the bound keeps a garbage Secret from costing much.
const MAX_KEY_LENGTH = 16_384;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a "__proto__" member stays data, not a prototype.
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, member]) => [key, sortKeysDeep(member)]));
  }
  return value;
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Canonical encoding shared by both kinds (exported for tests and the simulator). */
export function encodePairingKeyObject(value: Record<string, unknown>): string {
  return toHex(new TextEncoder().encode(JSON.stringify(sortKeysDeep(value))));
}

function decodeObject(kind: PairingKeyKind, key: string): unknown {
  const hex = typeof key === 'string' ? key.trim() : '';
  if (hex.length === 0 || hex.length > MAX_KEY_LENGTH || !HEX.test(hex)) {
    throw new PairingKeyError(kind, 'notHex', `not an even-length hex string (length ${hex.length})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fromHex(hex));
  } catch {
    throw new PairingKeyError(kind, 'notUtf8', 'hex does not decode to UTF-8 text');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PairingKeyError(kind, 'notJson', 'decoded text is not JSON');
  }
}

function validate<T>(kind: PairingKeyKind, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
  throw new PairingKeyError(kind, 'invalidFields', `missing or invalid members: ${fields.join(', ')}`);
}

export function decodeClusterPairingKey(key: string): DecodedClusterPairingKey {
  return validate('cluster', DecodedClusterPairingKey, decodeObject('cluster', key));
}

export function encodeClusterPairingKey(fields: DecodedClusterPairingKey): string {
  return encodePairingKeyObject(validate('cluster', DecodedClusterPairingKey, fields));
}

export function decodeVolumePairingKey(key: string): DecodedVolumePairingKey {
  return validate('volume', DecodedVolumePairingKey, decodeObject('volume', key));
}

export function encodeVolumePairingKey(fields: DecodedVolumePairingKey): string {
  return encodePairingKeyObject(validate('volume', DecodedVolumePairingKey, fields));
}
