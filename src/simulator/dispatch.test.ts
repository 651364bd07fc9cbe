// Property test of the JSON-RPC dispatcher: whatever a client sends to whichever method, the answer
// is one well-formed JSON-RPC object with either a result or an Element error (code 500), and never
// an internal failure. Runs in-process, without HTTP.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultBehaviour } from './behaviour.ts';
import { dispatchRpc } from './dispatch.ts';
import { FaultStore } from './faults.ts';
import { silentLogger } from './log.ts';
import { METHODS } from './methods.ts';
import { newClusterRecord } from './model.ts';
import { SimWorld } from './world.ts';

function world(): SimWorld {
  const w = new SimWorld(defaultBehaviour());
  for (const [name, port] of [['PROD', 1001], ['DR', 1002]] as const) {
    w.clusters.set(name, newClusterRecord(name, '12.5.0.897', port, { cert: '', key: '' }));
  }
  return w;
}

const PARAM_NAMES = ['volumeID', 'volumeIDs', 'accounts', 'accountID', 'name', 'totalSize', 'access', 'mode', 'pausedManual', 'isPaired',
  'clusterPairID', 'clusterPairingKey', 'volumePairingKey', 'username', 'qos', 'attributes', 'limit', 'startVolumeID', 'volumeStatus'];

const paramValue = fc.oneof(
  fc.jsonValue(),
  fc.integer({ min: 0, max: 5 }),
  fc.constantFrom('readWrite', 'replicationTarget', 'Async', 'sync', 'active', 'deleted', 'abc', ''),
  fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
);

describe('dispatchRpc', () => {
  it('answers every method and parameter mix with a result or an Element error', async () => {
    const w = world();
    const deps = { world: w, faults: new FaultStore(), log: silentLogger() };
    const cluster = w.clusters.get('PROD')!;
    // Some objects to act on, so handlers get past the "does not exist" checks.
    const account = await dispatchRpc(deps, cluster, '12.5', JSON.stringify({ method: 'AddAccount', params: { username: 't' } }));
    expect(account.kind).toBe('respond');
    for (let i = 0; i < 3; i++) {
      await dispatchRpc(deps, cluster, '12.5', JSON.stringify({ method: 'CreateVolume', params: { name: `v${i}`, accountID: 1, totalSize: 1e9 } }));
    }
    const request = fc.record(
      {
        method: fc.oneof(fc.constantFrom(...Object.keys(METHODS)), fc.string(), fc.jsonValue()),
        params: fc.oneof(fc.dictionary(fc.constantFrom(...PARAM_NAMES), paramValue), fc.jsonValue()),
        id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const outcome = await dispatchRpc(deps, cluster, '12.5', JSON.stringify(req));
        expect(outcome.kind).toBe('respond');
        if (outcome.kind !== 'respond') return;
        const body = JSON.parse(outcome.body) as Record<string, unknown>;
        expect('result' in body !== 'error' in body).toBe(true);
        expect(body.id).toEqual(req.id ?? null);
        if ('error' in body) {
          const error = body.error as { code: number; name: string; message: string };
          expect(error.code).toBe(500);
          expect(error.name).toMatch(/^x[A-Za-z]+$/);
          expect(error.name).not.toBe('xUnexpectedError');
          expect(typeof error.message).toBe('string');
        }
      }),
      { numRuns: 1500 },
    );
  });
});
