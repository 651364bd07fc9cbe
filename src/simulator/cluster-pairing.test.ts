// Cluster pairing over raw HTTPS, asserting exact wire shapes and error names (element-api.md §3.2,
// F3–F6). The same flows through the project's ElementClient are in pairing-e2e.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeKey } from './identity.ts';
import { clusterPairs, createVolume, pairClusters, pairVolumes, startTestSim, waitFor } from './testing/fixtures.ts';
import type { TestSim } from './testing/fixtures.ts';
import type { RawRpc } from './testing/rpc.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let t: TestSim;
let prod: RawRpc, dr: RawRpc, c3: RawRpc;

beforeAll(async () => {
  t = await startTestSim({ clusters: ['PROD', { name: 'DR', elementVersion: '12.5.0.897' }, 'C3', 'C4', 'C5', 'C6'] });
  [prod, dr, c3] = [t.rpc.PROD!, t.rpc.DR!, t.rpc.C3!];
});
afterAll(() => t.stop());
beforeEach(() => t.sim.admin.reset());

async function info(rpc: RawRpc) {
  return (await rpc.call('GetClusterInfo')).clusterInfo;
}

describe('pairing sequence', () => {
  it('returns a key that decodes to the originating cluster (F3) and lists a pending Unconfigured pair (F4)', async () => {
    const prodInfo = await info(prod);
    const started = await prod.call('StartClusterPairing', {});
    expect(started.clusterPairingKey).toMatch(/^[0-9a-f]+$/);
    const key = decodeKey(started.clusterPairingKey)!;
    expect(Object.keys(key)).toEqual(['clusterPairID', 'clusterPairUUID', 'clusterUniqueID', 'mvip', 'name', 'password', 'rpcConnectionID', 'username']);
    expect(key).toMatchObject({ clusterPairID: started.clusterPairID, clusterUniqueID: prodInfo.uniqueID, mvip: prodInfo.mvip, name: 'PROD' });
    expect(key.clusterPairUUID).toMatch(UUID);
    expect(key.username).toMatch(/^__SF_pair_[A-Za-z0-9]{16}$/);
    expect(key.password).toHaveLength(16);
    expect(Buffer.from(JSON.stringify(key)).toString('hex')).toBe(started.clusterPairingKey);

    expect(await clusterPairs(prod)).toEqual([
      { clusterName: '', clusterPairID: started.clusterPairID, clusterPairUUID: key.clusterPairUUID, clusterUUID: '', latency: 0, mvip: '', status: 'Unconfigured', version: '' },
    ]);
  });

  it('completes on the other cluster with its own ID and the shared UUID, Connecting then Connected (F5)', async () => {
    const [prodInfo, drInfo] = [await info(prod), await info(dr)];
    const started = await prod.call('StartClusterPairing');
    const completed = await dr.call('CompleteClusterPairing', { clusterPairingKey: started.clusterPairingKey });
    expect(Object.keys(completed)).toEqual(['clusterPairID']);
    expect(completed.clusterPairID).not.toBe(started.clusterPairID); // staggered per-cluster counters
    const uuid = decodeKey(started.clusterPairingKey)!.clusterPairUUID;

    const prodSide = await waitFor(() => clusterPairs(prod), (p) => p[0]?.status === 'Connected', 'PROD Connected');
    expect(prodSide).toEqual([
      { clusterName: 'DR', clusterPairID: started.clusterPairID, clusterPairUUID: uuid, clusterUUID: drInfo.uniqueID, latency: 1, mvip: drInfo.mvip, status: 'Connected', version: '12.5.0.897' },
    ]);
    const drSide = await waitFor(() => clusterPairs(dr), (p) => p[0]?.status === 'Connected', 'DR Connected');
    expect(drSide).toEqual([
      { clusterName: 'PROD', clusterPairID: completed.clusterPairID, clusterPairUUID: uuid, clusterUUID: prodInfo.uniqueID, latency: 1, mvip: prodInfo.mvip, status: 'Connected', version: '12.5.0.897' },
    ]);
  });

  it('shows Connecting before Connected when the connect delay is long', async () => {
    await t.sim.admin.setBehaviour({ connectDelayMs: 60_000 });
    const started = await prod.call('StartClusterPairing');
    await dr.call('CompleteClusterPairing', { clusterPairingKey: started.clusterPairingKey });
    expect((await clusterPairs(prod))[0].status).toBe('Connecting');
    expect((await clusterPairs(dr))[0].status).toBe('Connecting');
  });

  it('uses per-cluster counters so the two sides get different IDs, never reused after removal', async () => {
    await prod.call('StartClusterPairing'); // PROD's counter moves ahead of DR's
    const first = await pairClusters(prod, dr);
    expect(first.aID).not.toBe(first.bID);
    await prod.call('RemoveClusterPair', { clusterPairID: first.aID });
    await dr.call('RemoveClusterPair', { clusterPairID: first.bID });
    const second = await pairClusters(prod, dr);
    expect(second.aID).toBeGreaterThan(first.aID);
    expect(second.bID).toBeGreaterThan(first.bID);
    expect(second.uuid).not.toBe(first.uuid);
  });

  it('keeps pending pairs accumulating, one per StartClusterPairing, each with a fresh key', async () => {
    const a = await prod.call('StartClusterPairing');
    const b = await prod.call('StartClusterPairing');
    expect(a.clusterPairingKey).not.toBe(b.clusterPairingKey);
    expect((await clusterPairs(prod)).map((p) => p.status)).toEqual(['Unconfigured', 'Unconfigured']);
  });
});

describe('pairing errors', () => {
  it('rejects pairing a cluster with itself with xInvalidKey and the observed message (F6)', async () => {
    const started = await prod.call('StartClusterPairing');
    const body = await prod.envelope('CompleteClusterPairing', { clusterPairingKey: started.clusterPairingKey });
    expect(body.error).toEqual({ code: 500, name: 'xInvalidKey', message: 'Pairing a cluster with itself is not permitted.' });
  });

  it('rejects a second pairing of the same clusters with xPairingAlreadyExists and leaves the pending pair (F6)', async () => {
    await pairClusters(prod, dr);
    const extra = await prod.call('StartClusterPairing');
    expect(await dr.errorName('CompleteClusterPairing', { clusterPairingKey: extra.clusterPairingKey })).toBe('xPairingAlreadyExists');
    const pending = (await clusterPairs(prod)).find((p) => p.clusterPairID === extra.clusterPairID);
    expect(pending.status).toBe('Unconfigured');
    await prod.call('RemoveClusterPair', { clusterPairID: extra.clusterPairID });
    expect((await clusterPairs(prod)).map((p) => p.status)).toEqual(['Connected']);
  });

  it('answers xPairingAlreadyExists when a consumed key is completed again on the same cluster', async () => {
    const started = await prod.call('StartClusterPairing');
    await dr.call('CompleteClusterPairing', { clusterPairingKey: started.clusterPairingKey });
    expect(await dr.errorName('CompleteClusterPairing', { clusterPairingKey: started.clusterPairingKey })).toBe('xPairingAlreadyExists');
  });

  it('rejects RemoveClusterPair of an unknown ID with xPairingDoesNotExist (F6)', async () => {
    expect(await prod.errorName('RemoveClusterPair', { clusterPairID: 9999 })).toBe('xPairingDoesNotExist');
  });

  it('rejects malformed keys and keys whose pending pair was removed or consumed (switchable name)', async () => {
    const names = (await t.sim.admin.behaviour()).errorNames;
    expect(await dr.errorName('CompleteClusterPairing', { clusterPairingKey: 'zz-not-hex' })).toBe(names.invalidClusterKey);
    expect(await dr.errorName('CompleteClusterPairing', { clusterPairingKey: Buffer.from('[1,2]').toString('hex') })).toBe(names.invalidClusterKey);
    const revoked = await prod.call('StartClusterPairing');
    await prod.call('RemoveClusterPair', { clusterPairID: revoked.clusterPairID });
    expect(await dr.errorName('CompleteClusterPairing', { clusterPairingKey: revoked.clusterPairingKey })).toBe(names.invalidClusterKey);
    const consumed = await prod.call('StartClusterPairing');
    await dr.call('CompleteClusterPairing', { clusterPairingKey: consumed.clusterPairingKey });
    expect(await c3.errorName('CompleteClusterPairing', { clusterPairingKey: consumed.clusterPairingKey })).toBe(names.invalidClusterKey);
    await t.sim.admin.setBehaviour({ errorNames: { invalidClusterKey: 'xSomethingElse' } });
    expect(await dr.errorName('CompleteClusterPairing', { clusterPairingKey: 'abcd' })).toBe('xSomethingElse');
  });

  it('enforces at most four cluster pairs on both sides', async () => {
    const names = (await t.sim.admin.behaviour()).errorNames;
    for (const peer of ['DR', 'C3', 'C4', 'C5']) await pairClusters(prod, t.rpc[peer]!);
    expect(await prod.errorName('StartClusterPairing')).toBe(names.clusterPairLimit);
    const fromC6 = await t.rpc.C6!.call('StartClusterPairing');
    expect(await prod.errorName('CompleteClusterPairing', { clusterPairingKey: fromC6.clusterPairingKey })).toBe(names.clusterPairLimit);
    expect((await prod.call('GetLimits')).clusterPairsCountMax).toBe(4);
  });
});

describe('removal', () => {
  it('is one-sided: the survivor reads Misconfigured (default switch) and can then be removed', async () => {
    const { aID, bID } = await pairClusters(prod, dr);
    expect(await prod.call('RemoveClusterPair', { clusterPairID: aID })).toEqual({});
    expect(await clusterPairs(prod)).toEqual([]);
    expect((await clusterPairs(dr))[0]).toMatchObject({ clusterPairID: bID, status: 'Misconfigured', clusterName: 'PROD' });
    await dr.call('RemoveClusterPair', { clusterPairID: bID });
    expect(await clusterPairs(dr)).toEqual([]);
  });

  it('honours orphanedClusterPairStatus=Disconnected', async () => {
    await t.sim.admin.setBehaviour({ orphanedClusterPairStatus: 'Disconnected' });
    const { aID } = await pairClusters(prod, dr);
    await prod.call('RemoveClusterPair', { clusterPairID: aID });
    expect((await clusterPairs(dr))[0].status).toBe('Disconnected');
  });

  it('keeps an orphaned half in the way of re-pairing until it is removed', async () => {
    const { aID, bID } = await pairClusters(prod, dr);
    await prod.call('RemoveClusterPair', { clusterPairID: aID });
    const again = await prod.call('StartClusterPairing');
    expect(await dr.errorName('CompleteClusterPairing', { clusterPairingKey: again.clusterPairingKey })).toBe('xPairingAlreadyExists');
    await dr.call('RemoveClusterPair', { clusterPairID: bID });
    await dr.call('CompleteClusterPairing', { clusterPairingKey: again.clusterPairingKey });
  });

  it('rejects or accepts RemoveClusterPair while volume pairs use it, per removeClusterPairWithVolumePairs', async () => {
    const { aID } = await pairClusters(prod, dr);
    await pairVolumes(prod, dr, 'inuse');
    const behaviour = await t.sim.admin.behaviour();
    expect(behaviour.removeClusterPairWithVolumePairs).toBe('reject');
    expect(await prod.errorName('RemoveClusterPair', { clusterPairID: aID })).toBe(behaviour.errorNames.clusterPairInUse);
    await t.sim.admin.setBehaviour({ removeClusterPairWithVolumePairs: 'accept' });
    expect(await prod.call('RemoveClusterPair', { clusterPairID: aID })).toEqual({});
    const src = (await prod.call('ListActivePairedVolumes')).volumes[0];
    expect(src.volumePairs[0].remoteReplication.state).toBe('PausedDisconnected');
  });

  it('removes a pending pair, which is not in use by anything', async () => {
    await createVolume(prod, 'unused');
    const pending = await prod.call('StartClusterPairing');
    expect(await prod.call('RemoveClusterPair', { clusterPairID: pending.clusterPairID })).toEqual({});
  });
});
