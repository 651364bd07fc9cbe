import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PairingKeyError,
  decodeClusterPairingKey,
  decodeVolumePairingKey,
  encodeClusterPairingKey,
  encodeVolumePairingKey,
  type DecodedClusterPairingKey,
} from './keys.ts';
import {
  DOC_CLUSTER_KEY,
  DOC_CLUSTER_KEY_JSON,
  DOC_VOLUME_KEY,
  DOC_VOLUME_KEY_JSON,
  F3_CLUSTER_KEY,
  F3_CLUSTER_KEY_JSON,
  F7_VOLUME_KEY,
  F7_VOLUME_KEY_JSON,
  SEED_CORRUPTED_CLUSTER_KEY,
  SEED_ODD_LENGTH_KEY,
} from './testing/element-api-examples.ts';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('cluster pairing keys', () => {
  it.each([
    ['docs §2.1 example', DOC_CLUSTER_KEY, DOC_CLUSTER_KEY_JSON],
    ['F3 (PROD)', F3_CLUSTER_KEY, F3_CLUSTER_KEY_JSON],
  ])('decodes the %s and re-encodes it byte for byte', (_name, key, json) => {
    const decoded = decodeClusterPairingKey(key);
    expect(decoded).toEqual(JSON.parse(json));
    expect(encodeClusterPairingKey(decoded)).toBe(key);
  });

  it('reads the documented members of the F3 key', () => {
    const decoded = decodeClusterPairingKey(F3_CLUSTER_KEY);
    expect(decoded.clusterPairID).toBe(55);
    expect(decoded.clusterPairUUID).toBe('b9322478-3779-4cd3-908f-2a48f22202fe');
    expect(decoded.clusterUniqueID).toBe('wcwb');
    expect(decoded.mvip).toBe('10.0.0.10');
    expect(decoded.username).toMatch(/^__SF_pair_/);
  });

  it('accepts upper-case hex and surrounding whitespace but always encodes lower case', () => {
    const decoded = decodeClusterPairingKey(`  ${DOC_CLUSTER_KEY.toUpperCase()}\n`);
    expect(encodeClusterPairingKey(decoded)).toBe(DOC_CLUSTER_KEY);
  });

  it('rejects the corrupted key of the vendor page without quoting it', () => {
    const error = caught(() => decodeClusterPairingKey(SEED_CORRUPTED_CLUSTER_KEY));
    expect(error).toBeInstanceOf(PairingKeyError);
    const { message, reason } = error as PairingKeyError;
    expect(reason).toBe('notUtf8');
    expect(message).not.toContain('7b22');
    expect(message).not.toContain('i^Yho');
    expect(String(error)).not.toMatch(/[0-9a-f]{16}/);
  });

  it('rejects an odd-length key as not hex', () => {
    const error = caught(() => decodeClusterPairingKey(SEED_ODD_LENGTH_KEY)) as PairingKeyError;
    expect(error.reason).toBe('notHex');
    expect(error.message).not.toContain('7b22');
  });

  it('rejects hex of text that is not JSON without echoing the text', () => {
    const secretText = '{"password":"hunter2-secret",';
    const key = Buffer.from(secretText, 'utf8').toString('hex');
    const error = caught(() => decodeClusterPairingKey(key)) as PairingKeyError;
    expect(error.reason).toBe('notJson');
    expect(error.message).not.toContain('hunter2');
    expect(error.cause).toBeUndefined();
  });

  it('names missing members but not their values', () => {
    const key = Buffer.from(JSON.stringify({ clusterPairID: 'x', password: 'hunter2-secret' })).toString('hex');
    const error = caught(() => decodeClusterPairingKey(key)) as PairingKeyError;
    expect(error.reason).toBe('invalidFields');
    expect(error.message).toContain('clusterPairID');
    expect(error.message).toContain('username');
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects a volume key given as a cluster key', () => {
    expect(() => decodeClusterPairingKey(DOC_VOLUME_KEY)).toThrow(PairingKeyError);
  });

  it('rejects empty and non-string input', () => {
    expect(() => decodeClusterPairingKey('')).toThrow(PairingKeyError);
    expect(() => decodeClusterPairingKey(42 as unknown as string)).toThrow(PairingKeyError);
  });
});

describe('volume pairing keys', () => {
  it.each([
    ['docs §2.1 example', DOC_VOLUME_KEY, DOC_VOLUME_KEY_JSON],
    ['F7 (PROD volume 158)', F7_VOLUME_KEY, F7_VOLUME_KEY_JSON],
  ])('decodes the %s and re-encodes it byte for byte', (_name, key, json) => {
    const decoded = decodeVolumePairingKey(key);
    expect(decoded).toEqual(JSON.parse(json));
    expect(encodeVolumePairingKey(decoded)).toBe(key);
  });

  it('rejects a cluster key given as a volume key', () => {
    expect(() => decodeVolumePairingKey(DOC_CLUSTER_KEY)).toThrow(PairingKeyError);
  });
});

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const clusterKeyFields: fc.Arbitrary<DecodedClusterPairingKey> = fc.record({
  clusterPairID: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  clusterPairUUID: fc.uuid(),
  clusterUniqueID: text,
  mvip: text,
  name: text,
  password: text,
  rpcConnectionID: fc.integer({ min: 0, max: 2 ** 32 }),
  username: text,
});

describe('pairing key properties', () => {
  it('round-trips any cluster key, as lower-case hex of sorted compact JSON', () => {
    fc.assert(
      fc.property(clusterKeyFields, (fields) => {
        const key = encodeClusterPairingKey(fields);
        expect(key).toMatch(/^(?:[0-9a-f]{2})+$/);
        const json = Buffer.from(key, 'hex').toString('utf8');
        expect(Object.keys(JSON.parse(json) as object)).toEqual(Object.keys(fields).sort());
        expect(json).toBe(JSON.stringify(JSON.parse(json)));
        expect(decodeClusterPairingKey(key)).toEqual(fields);
      }),
    );
  });

  it('round-trips any volume key, keeping unknown members', () => {
    fc.assert(
      fc.property(
        fc.record({ mvip: text, volumeID: fc.integer({ min: 0 }), volumeName: text, volumePairUUID: fc.uuid() }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['mvip', 'volumeID', 'volumeName', 'volumePairUUID'].includes(k)), fc.jsonValue(), { maxKeys: 3 }),
        (fields, extra) => {
          const withExtra = { ...extra, ...fields };
          const key = encodeVolumePairingKey(withExtra);
          expect(encodeVolumePairingKey(decodeVolumePairingKey(key))).toBe(key);
        },
      ),
    );
  });

  it('fails only with PairingKeyError on arbitrary input, never quoting it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{0,80}$/)), (input) => {
        try {
          decodeClusterPairingKey(input);
        } catch (error) {
          expect(error).toBeInstanceOf(PairingKeyError);
          if (input.trim().length >= 8) expect((error as Error).message).not.toContain(input.trim());
        }
      }),
    );
  });

  it('never reveals the password when a real key is damaged by one character', () => {
    fc.assert(
      fc.property(fc.nat({ max: DOC_CLUSTER_KEY.length - 1 }), fc.constantFrom('0', 'f', 'g', ''), (index, replacement) => {
        const damaged = DOC_CLUSTER_KEY.slice(0, index) + replacement + DOC_CLUSTER_KEY.slice(index + 1);
        try {
          decodeClusterPairingKey(damaged);
        } catch (error) {
          expect(error).toBeInstanceOf(PairingKeyError);
          expect((error as Error).message).not.toContain('i^Yho');
          expect((error as Error).message).not.toContain(damaged.slice(0, 40));
        }
      }),
    );
  });
});
