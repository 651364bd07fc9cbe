import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeClusterPairingKey } from './keys.ts';
import { REDACTED, redactHeaders, redactString, redactValue } from './redact.ts';
import { DOC_CLUSTER_KEY, F3_CLUSTER_KEY, F7_VOLUME_KEY, SEED_CORRUPTED_CLUSTER_KEY } from './testing/element-api-examples.ts';

const PASSWORD = 'i^Yho I-dwM}LgaK';

describe('redactString', () => {
  it.each([
    ['a cluster key', F3_CLUSTER_KEY],
    ['a volume key', F7_VOLUME_KEY],
    ['a corrupted key', SEED_CORRUPTED_CLUSTER_KEY],
    ['an upper-case key', DOC_CLUSTER_KEY.toUpperCase()],
  ])('removes %s wherever it appears', (_name, key) => {
    const out = redactString(`CompleteClusterPairing failed for key ${key}; retrying`);
    expect(out).toBe(`CompleteClusterPairing failed for key ${REDACTED}; retrying`);
  });

  it('removes secret members in JSON, query strings and prose', () => {
    const json = JSON.stringify({ method: 'CompleteClusterPairing', params: { clusterPairingKey: 'abc', password: 'p"w' }, username: 'admin' });
    const out = redactString(json);
    expect(out).toBe(`{"method":"CompleteClusterPairing","params":{"clusterPairingKey":"${REDACTED}","password":"${REDACTED}"},"username":"admin"}`);
    expect(redactString('user=admin&password=hunter22&x=1')).toBe(`user=admin&password=${REDACTED}&x=1`);
    expect(redactString('volumePairingKey: deadbeef, volumeID: 260')).toBe(`volumePairingKey: ${REDACTED}, volumeID: 260`);
  });

  it('removes Authorization headers and bare credentials tokens, keeping prose', () => {
    expect(redactString('Authorization: Basic YWRtaW46cHc=')).toBe(`Authorization: ${REDACTED}`);
    expect(redactString('{"authorization":"Basic YWRtaW46cHc="}')).toBe(`{"authorization":"${REDACTED}"}`);
    expect(redactString('curl -H "Authorization: Bearer eyJhbGciOi.x.y" https://h')).toBe(`curl -H "Authorization: ${REDACTED}" https://h`);
    expect(redactString('sent Basic YWRtaW46cHc= to the MVIP')).toBe(`sent Basic ${REDACTED} to the MVIP`);
    expect(redactString('HTTP Basic authentication failed')).toBe('HTTP Basic authentication failed');
  });

  it('removes URL credentials and known secret values', () => {
    expect(redactString('GET https://admin:pw@10.0.0.1/json-rpc/8.0')).toBe(`GET https://${REDACTED}@10.0.0.1/json-rpc/8.0`);
    expect(redactString('login as admin with s3cret-value failed', ['s3cret-value'])).toBe(`login as admin with ${REDACTED} failed`);
    expect(redactString('pw ab', ['ab'])).toBe('pw ab');
  });

  it('leaves ordinary Element text alone', () => {
    for (const text of [
      'Pairing a cluster with itself is not permitted.',
      'VolumeID 9999 does not exist.',
      'accounts: Invalid type: expected array but found 7',
      'clusterPairUUID b9322478-3779-4cd3-908f-2a48f22202fe scsiNAADeviceID 6f47acc100000000776377620000009e',
    ]) {
      expect(redactString(text)).toBe(text);
    }
  });

  it('never lets any generated cluster key or its password through', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 12, maxLength: 24, unit: 'grapheme-ascii' }).filter((p) => p.trim().length >= 12),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        (password, before, after) => {
          const key = encodeClusterPairingKey({
            clusterPairID: 1, clusterPairUUID: 'u', clusterUniqueID: 'abcd', mvip: '10.0.0.1', name: 'n', password, rpcConnectionID: 1, username: '__SF_pair_x',
          });
          const out = redactString(`${before}${key}${after}`);
          expect(out).not.toContain(key.slice(0, 40));
          expect(out).toContain(REDACTED);
        },
      ),
    );
  });
});

describe('redactValue', () => {
  it('redacts sensitive members at any depth and scrubs strings', () => {
    const input = {
      method: 'CompleteVolumePairing',
      params: { volumeID: 260, volumePairingKey: F7_VOLUME_KEY },
      headers: { Authorization: 'Basic YWRtaW46cHc=', accept: 'application/json' },
      nested: [{ Password: PASSWORD }, `key was ${F3_CLUSTER_KEY}`],
    };
    expect(redactValue(input)).toEqual({
      method: 'CompleteVolumePairing',
      params: { volumeID: 260, volumePairingKey: REDACTED },
      headers: { Authorization: REDACTED, accept: 'application/json' },
      nested: [{ Password: REDACTED }, `key was ${REDACTED}`],
    });
    expect(input.params.volumePairingKey).toBe(F7_VOLUME_KEY);
  });

  it('turns errors into plain objects with scrubbed messages and cuts cycles', () => {
    const error = Object.assign(new Error(`bad key ${F3_CLUSTER_KEY}`), { code: 'X', password: 'pw' });
    const cyclic: Record<string, unknown> = { error };
    cyclic.self = cyclic;
    const out = redactValue(cyclic) as { error: Record<string, unknown>; self: unknown };
    expect(out.error).toMatchObject({ name: 'Error', message: `bad key ${REDACTED}`, code: 'X', password: REDACTED });
    expect(out.self).toBe('[Circular]');
    expect(JSON.stringify(out)).not.toContain(F3_CLUSTER_KEY.slice(0, 40));
  });

  it('keeps a "__proto__" member as data', () => {
    const out = redactValue(JSON.parse('{"__proto__":{"password":"x"}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ password: REDACTED });
  });

  it('redacts header maps', () => {
    expect(redactHeaders({ authorization: 'Basic YWRtaW46cHc=', 'content-type': 'application/json-rpc' })).toEqual({
      authorization: REDACTED,
      'content-type': 'application/json-rpc',
    });
  });
});
