import { describe, expect, it } from 'vitest';
import { REDACTED, scrubText, scrubValue } from './redact.ts';

// A cluster pairing key as Element hands it out: hex of compact JSON with a username and password.
const pairingKey = Buffer.from(
  JSON.stringify({ clusterPairID: 3, clusterPairUUID: 'f1b4c7e2-0d6a-4c5b-9a51-2b1f3c4d5e6f', clusterUniqueID: 'abcd', mvip: '10.0.0.10', password: 'Zq8pW3nT', username: '__SF_pair_3' }),
).toString('hex');

describe('scrubText', () => {
  it.each([
    ['a whole pairing key', `completing with ${pairingKey} now`],
    ['a pairing key glued to other hex digits', `x=ab${pairingKey}`],
    ['a truncated pairing key', `key ${pairingKey.slice(0, 60)}`],
  ])('removes %s', (_name, text) => {
    const out = scrubText(text);
    expect(out).not.toContain(pairingKey.slice(0, 40));
    expect(out).toContain(REDACTED);
  });

  it('keeps hex that does not decode to JSON (UUIDs, fingerprints)', () => {
    const fingerprint = 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778';
    expect(scrubText(`pinned ${fingerprint}`)).toBe(`pinned ${fingerprint}`);
  });

  it.each([
    ['password=hunter2&user=admin', 'hunter2'],
    ['{"password":"hun\\"ter2","user":"admin"}', 'hun\\"ter2'],
    ["{'adminPassword': 'hunter2'}", 'hunter2'],
    ['clusterPairingKey: abc123def', 'abc123def'],
    ['Authorization: Basic YWRtaW46aHVudGVyMg==', 'YWRtaW46aHVudGVyMg=='],
    ['curl -H "authorization: Bearer eyJhbGciOi.payload.sig"', 'eyJhbGciOi'],
  ])('removes the secret in %s', (text, secret) => {
    expect(scrubText(text)).not.toContain(secret);
  });

  it('leaves ordinary text alone', () => {
    const text = 'VolumePair db/pair-1 is Active on cluster dc1 (volumeID 158)';
    expect(scrubText(text)).toBe(text);
  });
});

describe('scrubValue', () => {
  it('redacts sensitive fields at any depth and scrubs every string', () => {
    const input = { a: { b: { c: { d: { e: { password: 'deep-secret', note: `key ${pairingKey}` } } } } }, list: [{ token: 'tok-123' }] };
    const text = JSON.stringify(scrubValue(input));
    expect(text).not.toContain('deep-secret');
    expect(text).not.toContain('tok-123');
    expect(text).not.toContain(pairingKey.slice(0, 40));
    expect(text).toContain('"note":"key [REDACTED]"');
  });

  it('turns errors into plain objects with scrubbed message, stack and cause', () => {
    const error = new Error(`CompleteClusterPairing failed for ${pairingKey}`, { cause: new Error('password=hunter2') });
    const text = JSON.stringify(scrubValue({ err: error }));
    expect(text).toContain('CompleteClusterPairing failed');
    expect(text).not.toContain(pairingKey.slice(0, 40));
    expect(text).not.toContain('hunter2');
  });

  it('keeps dates as their JSON form and survives cycles', () => {
    const node: Record<string, unknown> = { at: new Date('2030-01-02T03:04:05Z') };
    node['self'] = node;
    expect(scrubValue(node)).toEqual({ at: '2030-01-02T03:04:05.000Z', self: '[Circular]' });
  });
});
