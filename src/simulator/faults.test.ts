// Fault injection and accounting through the admin API: latency, injected errors, dropped
// responses, clusters down, cut links, simulated I/O, bulk volumes, counters and reset.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatorAdminError } from './admin-client.ts';
import type { SimulatorAdmin } from './admin-client.ts';
import { clusterPairs, createVolume, getVolume, pairClusters, pairState, pairVolumes, startTestSim, waitFor, waitForPairState } from './testing/fixtures.ts';
import type { TestSim } from './testing/fixtures.ts';
import type { RawRpc } from './testing/rpc.ts';

let t: TestSim;
let prod: RawRpc, dr: RawRpc;
let admin: SimulatorAdmin;

beforeAll(async () => {
  t = await startTestSim({ clusters: ['PROD', 'DR'] }, false);
  [prod, dr, admin] = [t.rpc.PROD!, t.rpc.DR!, t.sim.admin];
});
afterAll(() => t.stop());
beforeEach(() => admin.reset());

const failure = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
};

describe('latency', () => {
  it('delays matching calls by at least the configured time', async () => {
    await admin.setLatency({ cluster: 'PROD', method: 'GetLimits', ms: 400 });
    const started = performance.now();
    await prod.call('GetLimits');
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect((await admin.faults()).latency).toEqual({ 'PROD/GetLimits': 400 });
  });
});

describe('injected errors', () => {
  it('fails the next N matching calls without applying them, then recovers', async () => {
    await admin.injectError({ cluster: 'PROD', method: 'AddAccount', name: 'xDBVersionMismatch', count: 2 });
    expect(await prod.errorName('AddAccount', { username: 'a' })).toBe('xDBVersionMismatch');
    expect(await dr.call('AddAccount', { username: 'a' })).toMatchObject({ accountID: expect.any(Number) }); // other cluster untouched
    expect(await prod.errorName('AddAccount', { username: 'a' })).toBe('xDBVersionMismatch');
    expect((await prod.call('ListAccounts')).accounts).toEqual([]);
    await prod.call('AddAccount', { username: 'a' });
    expect((await admin.faults()).errors).toEqual([]);
  });

  it('honours rate 1 (always) and rate 0 (never), with a custom message', async () => {
    const always = await admin.injectError({ method: 'GetLimits', name: 'xNotPrimary', message: 'try again', rate: 1 });
    const body = await dr.envelope('GetLimits');
    expect(body.error).toEqual({ code: 500, name: 'xNotPrimary', message: 'try again' });
    expect(always.id).toEqual(expect.any(Number));
    await admin.clearFaults();
    await admin.injectError({ method: 'GetLimits', name: 'xNotPrimary', rate: 0 });
    expect((await dr.call('GetLimits')).clusterPairsCountMax).toBe(4);
  });

  it('rejects malformed admin requests and unknown clusters', async () => {
    const bad = await failure(admin.injectError({ name: 'notAnElementName' }));
    expect(bad).toBeInstanceOf(SimulatorAdminError);
    expect((bad as SimulatorAdminError).status).toBe(400);
    const unknown = await failure(admin.setClusterDown('NOPE'));
    expect((unknown as SimulatorAdminError).status).toBe(404);
  });
});

describe('apply, then drop the response', () => {
  it('applies the call but destroys the connection, once', async () => {
    const v = await createVolume(prod, 'drop');
    await admin.dropResponse({ cluster: 'PROD', method: 'StartVolumePairing' });
    const error = await failure(prod.call('StartVolumePairing', { volumeID: v.volumeID }));
    expect(error.message).toMatch(/socket hang up|ECONNRESET/);
    expect((await getVolume(prod, v.volumeID)).volumePairs[0].remoteReplication.state).toBe('Unconfigured');
    expect(await prod.errorName('StartVolumePairing', { volumeID: v.volumeID })).toBe('xVolumeAlreadyPaired');
  });
});

describe('cluster down', () => {
  it('refuses connections on the same port until it is up again', async () => {
    await admin.setClusterDown('PROD', 'refuse');
    expect((await admin.clusters()).find((c) => c.name === 'PROD')!.down).toBe('refuse');
    const error = await failure(prod.call('GetLimits'));
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect((await dr.call('GetLimits')).clusterPairsCountMax).toBe(4);
    await admin.setClusterUp('PROD');
    expect((await prod.call('GetLimits')).clusterPairsCountMax).toBe(4);
  });

  it('hangs accepted requests until it is up again', async () => {
    await admin.setClusterDown('PROD', 'hang');
    const error = await failure(prod.call('GetLimits', {}, 300));
    expect(error.message).toMatch(/client timeout/);
    await admin.setClusterUp('PROD');
    expect((await prod.call('GetLimits')).clusterPairsCountMax).toBe(4);
  });
});

describe('cut link', () => {
  it('disconnects cluster and volume pairs, blocks pairing, and recovers when restored', async () => {
    await pairClusters(prod, dr);
    const { src, dst } = await pairVolumes(prod, dr, 'link');
    await admin.cutLink('PROD', 'DR');
    expect(await admin.cutLinks()).toEqual([['DR', 'PROD']]);
    expect((await clusterPairs(prod))[0].status).toBe('Disconnected');
    expect((await clusterPairs(dr))[0].status).toBe('Disconnected');
    expect([await pairState(prod, src), await pairState(dr, dst)]).toEqual(['PausedDisconnected', 'PausedDisconnected']);
    expect((await getVolume(prod, src)).volumePairs[0].remoteReplication.snapshotReplication.state).toBe('PausedDisconnected');

    const other = (await createVolume(prod, 'blocked')).volumeID;
    const target = (await createVolume(dr, 'blocked-r')).volumeID;
    const { volumePairingKey } = await prod.call('StartVolumePairing', { volumeID: other });
    expect(await dr.errorName('CompleteVolumePairing', { volumeID: target, volumePairingKey })).toBe('xMVIPNotPaired');

    await admin.restoreLink('PROD', 'DR');
    await waitFor(() => clusterPairs(prod), (p) => p[0]?.status === 'Connected', 'PROD Connected');
    await waitForPairState(prod, src, 'Active');
    await waitForPairState(dr, dst, 'Active');
    await dr.call('CompleteVolumePairing', { volumeID: target, volumePairingKey });
  });

  it('makes CompleteClusterPairing fail with the peerUnreachable name', async () => {
    await admin.cutLink('PROD', 'DR');
    const started = await prod.call('StartClusterPairing');
    const { errorNames } = await admin.behaviour();
    expect(await dr.errorName('CompleteClusterPairing', { clusterPairingKey: started.clusterPairingKey })).toBe(errorNames.peerUnreachable);
  });
});

describe('volumes from the admin side', () => {
  it('simulated I/O sets lastAccessTime and lastAccessTimeIO', async () => {
    const v = await createVolume(prod, 'io');
    expect(v.lastAccessTime).toBeNull();
    const at = await admin.simulateIo('PROD', v.volumeID);
    expect(await getVolume(prod, v.volumeID)).toMatchObject({ lastAccessTime: at, lastAccessTimeIO: at });
  });

  it('creates volumes in bulk', async () => {
    const { volumeIDs, accountID } = await admin.createVolumes('DR', { count: 250, namePrefix: 'bulk', access: 'replicationTarget' });
    expect(volumeIDs).toHaveLength(250);
    const { volumes } = await dr.call('ListVolumes', { accounts: [accountID] });
    expect(volumes).toHaveLength(250);
    expect(volumes.every((v: { access: string }) => v.access === 'replicationTarget')).toBe(true);
  });

  it('reset empties the clusters but never reuses IDs', async () => {
    const first = await createVolume(prod, 'before');
    await admin.reset();
    expect((await prod.call('ListVolumes')).volumes).toEqual([]);
    const second = await createVolume(prod, 'after');
    expect(second.volumeID).toBeGreaterThan(first.volumeID);
  });
});

describe('call counters', () => {
  it('counts calls per cluster and method, including failed ones, and can be reset', async () => {
    await prod.call('GetLimits');
    await prod.call('GetLimits');
    await prod.errorName('RemoveClusterPair', { clusterPairID: 1 });
    await dr.call('ListClusterPairs');
    expect(await admin.counters()).toEqual({ PROD: { GetLimits: 2, RemoveClusterPair: 1 }, DR: { ListClusterPairs: 1 } });
    await admin.resetCounters();
    expect(await admin.counters()).toEqual({});
  });
});
