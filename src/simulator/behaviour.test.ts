// Every behaviour switch is honoured in each setting. These tests say nothing about which setting
// real Element follows (element-api.md tags them [U]/[I]); they pin the simulator's contract.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyBehaviourPatch, defaultBehaviour, patchFromAssignment } from './behaviour.ts';
import { createVolume, getVolume, pairClusters, pairState, pairVolumes, startTestSim, waitForPairState } from './testing/fixtures.ts';
import type { TestSim } from './testing/fixtures.ts';
import type { RawRpc } from './testing/rpc.ts';

describe('behaviour patches', () => {
  it('parses --set assignments, including dotted error names and JSON values', () => {
    expect(patchFromAssignment('resumeDelayMs=5')).toEqual({ resumeDelayMs: 5 });
    expect(patchFromAssignment('orphanedClusterPairStatus=Disconnected')).toEqual({ orphanedClusterPairStatus: 'Disconnected' });
    expect(patchFromAssignment('errorNames.clusterPairLimit=xTooMany')).toEqual({ errorNames: { clusterPairLimit: 'xTooMany' } });
    expect(patchFromAssignment('resumingStates=["ResumingConnected"]')).toEqual({ resumingStates: ['ResumingConnected'] });
  });

  it('rejects unknown keys and bad values, naming the key', () => {
    expect(() => patchFromAssignment('noSuchSwitch=1')).toThrow(/noSuchSwitch/);
    expect(() => patchFromAssignment('orphanedClusterPairStatus=Gone')).toThrow(/orphanedClusterPairStatus/);
    expect(() => patchFromAssignment('resumeDelayMs=-1')).toThrow(/resumeDelayMs/);
    expect(() => patchFromAssignment('novalue')).toThrow(/key=value/);
    expect(() => applyBehaviourPatch(defaultBehaviour(), { errorNames: { nope: 'x' } })).toThrow();
  });

  it('merges error names instead of replacing them', () => {
    const merged = applyBehaviourPatch(defaultBehaviour(), { errorNames: { volumeNotPaired: 'xOther' } });
    expect(merged.errorNames.volumeNotPaired).toBe('xOther');
    expect(merged.errorNames.clusterPairLimit).toBe(defaultBehaviour().errorNames.clusterPairLimit);
  });
});

describe('switches against running clusters', () => {
  let t: TestSim;
  let prod: RawRpc, dr: RawRpc;

  beforeAll(async () => {
    t = await startTestSim({ clusters: ['PROD', 'DR', 'C3'] });
    [prod, dr] = [t.rpc.PROD!, t.rpc.DR!];
  });
  afterAll(() => t.stop());
  beforeEach(() => t.sim.admin.reset());

  it('maxClusterPairs and pendingClusterPairsCountTowardLimit', async () => {
    await t.sim.admin.setBehaviour({ maxClusterPairs: 1, pendingClusterPairsCountTowardLimit: true });
    expect((await prod.call('GetLimits')).clusterPairsCountMax).toBe(1);
    await prod.call('StartClusterPairing');
    const limit = (await t.sim.admin.behaviour()).errorNames.clusterPairLimit;
    expect(await prod.errorName('StartClusterPairing')).toBe(limit);
    await t.sim.admin.reset();
    await t.sim.admin.setBehaviour({ maxClusterPairs: 1, pendingClusterPairsCountTowardLimit: false });
    const first = await prod.call('StartClusterPairing');
    const second = await prod.call('StartClusterPairing');
    await dr.call('CompleteClusterPairing', { clusterPairingKey: first.clusterPairingKey });
    expect(await t.rpc.C3!.errorName('CompleteClusterPairing', { clusterPairingKey: second.clusterPairingKey })).toBe(limit);
  });

  it('pendingVolumePairsCountAsPaired', async () => {
    const v = await createVolume(prod, 'pending');
    await prod.call('StartVolumePairing', { volumeID: v.volumeID });
    await t.sim.admin.setBehaviour({ pendingVolumePairsCountAsPaired: false });
    expect((await prod.call('ListVolumes', { isPaired: true })).volumes).toEqual([]);
    await t.sim.admin.setBehaviour({ pendingVolumePairsCountAsPaired: true });
    expect((await prod.call('ListVolumes', { isPaired: true })).volumes).toHaveLength(1);
  });

  it('pauseStateMapping: callerSide versus sourceSide when the target side pauses', async () => {
    await pairClusters(prod, dr);
    const { src, dst } = await pairVolumes(prod, dr, 'pause');
    await dr.call('ModifyVolumePair', { volumeID: dst, pausedManual: true });
    expect([await pairState(prod, src), await pairState(dr, dst)]).toEqual(['PausedManualRemote', 'PausedManual']);
    await t.sim.admin.setBehaviour({ pauseStateMapping: 'sourceSide' });
    expect([await pairState(prod, src), await pairState(dr, dst)]).toEqual(['PausedManual', 'PausedManualRemote']);
    await prod.call('ModifyVolumePair', { volumeID: src, pausedManual: false }); // resuming clears either side's pause
    await waitForPairState(dr, dst, 'Active');
  });

  it('modifyVolumePairOnTarget and startVolumePairingModeOnTarget', async () => {
    await pairClusters(prod, dr);
    const { dst } = await pairVolumes(prod, dr, 'target');
    const names = (await t.sim.admin.behaviour()).errorNames;
    expect(await dr.call('ModifyVolumePair', { volumeID: dst, mode: 'Sync' })).toEqual({});
    await t.sim.admin.setBehaviour({ modifyVolumePairOnTarget: 'reject', startVolumePairingModeOnTarget: 'reject' });
    expect(await dr.errorName('ModifyVolumePair', { volumeID: dst, mode: 'Async' })).toBe(names.notSourceVolume);
    const t2 = (await createVolume(dr, 't2')).volumeID;
    await dr.call('ModifyVolume', { volumeID: t2, access: 'replicationTarget' });
    expect(await dr.errorName('StartVolumePairing', { volumeID: t2, mode: 'Async' })).toBe(names.notSourceVolume);
    await dr.call('StartVolumePairing', { volumeID: t2 }); // without a mode it is allowed
  });

  it('modifyVolumePairOnUnpaired and removeVolumePairOnUnpaired', async () => {
    const v = (await createVolume(prod, 'solo')).volumeID;
    const names = (await t.sim.admin.behaviour()).errorNames;
    await t.sim.admin.setBehaviour({ modifyVolumePairOnUnpaired: 'accept', removeVolumePairOnUnpaired: 'reject' });
    expect(await prod.call('ModifyVolumePair', { volumeID: v, pausedManual: true })).toEqual({});
    expect(await prod.errorName('RemoveVolumePair', { volumeID: v })).toBe(names.volumeNotPaired);
  });

  it('modeCaseInsensitive=false requires canonical spelling', async () => {
    await t.sim.admin.setBehaviour({ modeCaseInsensitive: false });
    const v = (await createVolume(prod, 'case')).volumeID;
    expect(await prod.errorName('StartVolumePairing', { volumeID: v, mode: 'sync' })).toBe('xUnrecognizedEnumString');
    await prod.call('StartVolumePairing', { volumeID: v, mode: 'Sync' });
  });

  it('sizeMismatchPauses=false ignores a smaller target', async () => {
    await t.sim.admin.setBehaviour({ sizeMismatchPauses: false });
    await pairClusters(prod, dr);
    const { src, dst } = await pairVolumes(prod, dr, 'sizes');
    await prod.call('ModifyVolume', { volumeID: src, totalSize: 5_000_000_000 });
    expect([await pairState(prod, src), await pairState(dr, dst)]).toEqual(['Active', 'Active']);
  });

  it('resumingStates and resumeDelayMs shape the Resuming phase', async () => {
    await t.sim.admin.setBehaviour({ resumingStates: ['ResumingDataTransfer'], resumeDelayMs: 60_000 });
    await pairClusters(prod, dr);
    const src = (await createVolume(prod, 'phase')).volumeID;
    const dst = (await createVolume(dr, 'phase-r')).volumeID;
    await dr.call('ModifyVolume', { volumeID: dst, access: 'replicationTarget' });
    const { volumePairingKey } = await prod.call('StartVolumePairing', { volumeID: src });
    await dr.call('CompleteVolumePairing', { volumeID: dst, volumePairingKey });
    expect((await getVolume(prod, src)).volumePairs[0].remoteReplication).toMatchObject({
      state: 'ResumingDataTransfer',
      snapshotReplication: { state: 'Idle' },
    });
  });

  it('enforceMethodVersions=false serves newer methods on old endpoints', async () => {
    const { url, username, password } = t.sim.clusters[0]!;
    const { rawRequest } = await import('./testing/rpc.ts');
    const call = async () =>
      JSON.parse((await rawRequest(url.replace(/12\.5$/, '7.0'), JSON.stringify({ method: 'ListVolumes' }), { ca: t.sim.caPem, auth: { username, password } })).text);
    expect((await call()).error.name).toBe('xUnknownAPIMethod');
    await t.sim.admin.setBehaviour({ enforceMethodVersions: false });
    expect((await call()).result.volumes).toEqual([]);
  });
});
