// Volume pairing over raw HTTPS, asserting exact wire shapes and states (element-api.md §3.3–3.4,
// F7–F11). The same flows through the project's ElementClient are in pairing-e2e.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeKey } from './identity.ts';
import { createVolume, getVolume, pairClusters, pairState, pairVolumes, startTestSim, waitForPairState } from './testing/fixtures.ts';
import type { TestSim } from './testing/fixtures.ts';
import type { RawRpc } from './testing/rpc.ts';

let t: TestSim;
let prod: RawRpc, dr: RawRpc;
let ids: { aID: number; bID: number; uuid: string };

beforeAll(async () => {
  t = await startTestSim({ clusters: ['PROD', 'DR', 'LONER'] });
  [prod, dr] = [t.rpc.PROD!, t.rpc.DR!];
});
afterAll(() => t.stop());
beforeEach(async () => {
  await t.sim.admin.reset();
  ids = await pairClusters(prod, dr);
});

const statesOf = async (src: number, dst: number) => [await pairState(prod, src), await pairState(dr, dst)];

describe('StartVolumePairing', () => {
  it('returns a key naming the source (F7) and leaves a pending Unconfigured pair on the source only', async () => {
    const prodMvip = t.sim.clusters.find((c) => c.name === 'PROD')!.mvip;
    const src = await createVolume(prod, 'test');
    const { volumePairingKey } = await prod.call('StartVolumePairing', { volumeID: src.volumeID, mode: 'Async' });
    const key = decodeKey(volumePairingKey)!;
    expect(Object.keys(key)).toEqual(['mvip', 'volumeID', 'volumeName', 'volumePairUUID']);
    expect(key).toMatchObject({ mvip: prodMvip, volumeID: src.volumeID, volumeName: 'test' });
    const { volumes } = await prod.call('ListVolumes', { volumeIDs: [src.volumeID], isPaired: true });
    expect(volumes[0].volumePairs).toEqual([
      {
        clusterPairID: 0,
        remoteReplication: {
          mode: 'Async', pauseLimit: 3145728000, remoteServiceID: expect.any(Number), resumeDetails: '',
          snapshotReplication: { state: 'Unconfigured', stateDetails: '' }, state: 'Unconfigured', stateDetails: '',
        },
        remoteSliceID: 0, remoteVolumeID: 0, remoteVolumeName: '', volumePairUUID: key.volumePairUUID,
      },
    ]);
    expect((await prod.call('ListActivePairedVolumes')).volumes.map((v: { volumeID: number }) => v.volumeID)).toEqual([src.volumeID]);
  });

  it('refuses a second start with xVolumeAlreadyPaired until RemoveVolumePair (F7)', async () => {
    const src = await createVolume(prod, 'twice');
    await prod.call('StartVolumePairing', { volumeID: src.volumeID });
    expect(await prod.errorName('StartVolumePairing', { volumeID: src.volumeID })).toBe('xVolumeAlreadyPaired');
    expect(await prod.call('RemoveVolumePair', { volumeID: src.volumeID })).toEqual({});
    await prod.call('StartVolumePairing', { volumeID: src.volumeID });
  });

  it('accepts mode in any case and reports the canonical spelling', async () => {
    const src = await createVolume(prod, 'modes');
    await prod.call('StartVolumePairing', { volumeID: src.volumeID, mode: 'snapshotsonly' });
    expect((await getVolume(prod, src.volumeID)).volumePairs[0].remoteReplication.mode).toBe('SnapshotsOnly');
  });

  it('answers xVolumeIDDoesNotExist for unknown volumes', async () => {
    expect(await prod.errorName('StartVolumePairing', { volumeID: 424242 })).toBe('xVolumeIDDoesNotExist');
    expect(await prod.errorName('CompleteVolumePairing', { volumeID: 424242, volumePairingKey: 'ab' })).toBe('xVolumeIDDoesNotExist');
    expect(await prod.errorName('ModifyVolumePair', { volumeID: 424242, pausedManual: true })).toBe('xVolumeIDDoesNotExist');
    expect(await prod.errorName('RemoveVolumePair', { volumeID: 424242 })).toBe('xVolumeIDDoesNotExist');
  });
});

describe('CompleteVolumePairing', () => {
  it('pairs a readWrite target as PausedMisconfigured, then Resuming* and Active once it is replicationTarget (F8)', async () => {
    await t.sim.admin.setBehaviour({ resumeDelayMs: 60_000 });
    const src = (await createVolume(prod, 'test')).volumeID;
    const dst = (await createVolume(dr, 'testr')).volumeID;
    const { volumePairingKey } = await prod.call('StartVolumePairing', { volumeID: src, mode: 'Async' });
    expect(await dr.call('CompleteVolumePairing', { volumePairingKey, volumeID: dst })).toEqual({});
    expect(await statesOf(src, dst)).toEqual(['PausedMisconfigured', 'PausedMisconfigured']);
    const modified = await dr.call('ModifyVolume', { volumeID: dst, access: 'replicationTarget' });
    expect(modified.volume).toMatchObject({ volumeID: dst, access: 'replicationTarget' });
    expect(await statesOf(src, dst)).toEqual(['ResumingConnected', 'ResumingConnected']);
    await t.sim.admin.setBehaviour({ resumeDelayMs: 100 });
    await waitForPairState(prod, src, 'Active');
    await waitForPairState(dr, dst, 'Active');
  });

  it('pairs a target that was made replicationTarget before completion straight to Active', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'early');
    expect(await statesOf(src, dst)).toEqual(['Active', 'Active']);
  });

  it('links both sides with their own clusterPairIDs, each other IDs and names, and one UUID (F9)', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'test');
    const [source] = (await prod.call('ListActivePairedVolumes')).volumes;
    const [target] = (await dr.call('ListActivePairedVolumes')).volumes;
    expect(source).toMatchObject({ volumeID: src, access: 'readWrite', name: 'test' });
    expect(target).toMatchObject({ volumeID: dst, access: 'replicationTarget', name: 'test-r' });
    expect(source.volumePairs[0]).toEqual({
      clusterPairID: ids.aID,
      remoteReplication: {
        mode: 'Async', pauseLimit: 3145728000, remoteServiceID: expect.any(Number), resumeDetails: '',
        snapshotReplication: { state: 'Idle', stateDetails: '' }, state: 'Active', stateDetails: '',
      },
      remoteSliceID: dst, remoteVolumeID: dst, remoteVolumeName: 'test-r', volumePairUUID: expect.any(String),
    });
    expect(target.volumePairs[0]).toMatchObject({ clusterPairID: ids.bID, remoteVolumeID: src, remoteSliceID: src, remoteVolumeName: 'test' });
    expect(target.volumePairs[0].volumePairUUID).toBe(source.volumePairs[0].volumePairUUID);
  });

  it('answers xMVIPNotPaired without a Connected cluster pair with the key mvip (F8)', async () => {
    const loner = t.rpc.LONER!;
    const src = (await createVolume(prod, 'a')).volumeID;
    const dst = (await createVolume(loner, 'b')).volumeID;
    const { volumePairingKey } = await prod.call('StartVolumePairing', { volumeID: src });
    expect(await loner.errorName('CompleteVolumePairing', { volumeID: dst, volumePairingKey })).toBe('xMVIPNotPaired');
    // While the cluster pair is still Connecting, too.
    await t.sim.admin.setBehaviour({ connectDelayMs: 60_000 });
    const started = await prod.call('StartClusterPairing');
    await loner.call('CompleteClusterPairing', { clusterPairingKey: started.clusterPairingKey });
    expect(await loner.errorName('CompleteVolumePairing', { volumeID: dst, volumePairingKey })).toBe('xMVIPNotPaired');
  });

  it('answers xInvalidPairingKey for corrupt, revoked and consumed keys (F8)', async () => {
    const src = (await createVolume(prod, 'k')).volumeID;
    const [d1, d2] = [(await createVolume(dr, 'k1')).volumeID, (await createVolume(dr, 'k2')).volumeID];
    const { volumePairingKey } = await prod.call('StartVolumePairing', { volumeID: src });
    const corrupt = volumePairingKey.slice(0, -4) + 'ffff';
    expect(await dr.errorName('CompleteVolumePairing', { volumeID: d1, volumePairingKey: corrupt })).toBe('xInvalidPairingKey');
    expect(await dr.errorName('CompleteVolumePairing', { volumeID: d1, volumePairingKey: 'nothex' })).toBe('xInvalidPairingKey');
    await dr.call('CompleteVolumePairing', { volumeID: d1, volumePairingKey });
    expect(await dr.errorName('CompleteVolumePairing', { volumeID: d2, volumePairingKey })).toBe('xInvalidPairingKey');
    const src2 = (await createVolume(prod, 'k3')).volumeID;
    const revoked = (await prod.call('StartVolumePairing', { volumeID: src2 })).volumePairingKey;
    await prod.call('RemoveVolumePair', { volumeID: src2 });
    expect(await dr.errorName('CompleteVolumePairing', { volumeID: d2, volumePairingKey: revoked })).toBe('xInvalidPairingKey');
  });

  it('answers xVolumeAlreadyPaired when the target volume already has a pair', async () => {
    const { dst } = await pairVolumes(prod, dr, 'taken');
    const other = (await createVolume(prod, 'other')).volumeID;
    const { volumePairingKey } = await prod.call('StartVolumePairing', { volumeID: other });
    expect(await dr.errorName('CompleteVolumePairing', { volumeID: dst, volumePairingKey })).toBe('xVolumeAlreadyPaired');
  });
});

describe('ModifyVolumePair', () => {
  it('pauses (PausedManual here, PausedManualRemote there), resumes, and changes mode on both sides (F10)', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'test');
    expect(await prod.call('ModifyVolumePair', { volumeID: src, pausedManual: true })).toEqual({});
    expect(await statesOf(src, dst)).toEqual(['PausedManual', 'PausedManualRemote']);
    await prod.call('ModifyVolumePair', { volumeID: src, pausedManual: false });
    await waitForPairState(prod, src, 'Active');
    await waitForPairState(dr, dst, 'Active');
    await prod.call('ModifyVolumePair', { volumeID: src, mode: 'sync' });
    expect((await getVolume(prod, src)).volumePairs[0].remoteReplication.mode).toBe('Sync');
    expect((await getVolume(dr, dst)).volumePairs[0].remoteReplication.mode).toBe('Sync');
    expect(await prod.call('ModifyVolumePair', { volumeID: src })).toEqual({});
    expect(await statesOf(src, dst)).toEqual(['Active', 'Active']);
  });

  it('rejects unpaired volumes with the volumeNotPaired error name (switch)', async () => {
    const lone = (await createVolume(prod, 'lone')).volumeID;
    const { errorNames } = await t.sim.admin.behaviour();
    expect(await prod.errorName('ModifyVolumePair', { volumeID: lone, pausedManual: true })).toBe(errorNames.volumeNotPaired);
  });
});

describe('pair health follows the volumes', () => {
  it('one-sided RemoveVolumePair leaves the partner StoppedMisconfigured until it is removed too (F11)', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'test');
    expect(await prod.call('RemoveVolumePair', { volumeID: src })).toEqual({});
    expect((await getVolume(prod, src)).volumePairs).toEqual([]);
    expect(await pairState(dr, dst)).toBe('StoppedMisconfigured');
    await dr.call('RemoveVolumePair', { volumeID: dst });
    expect((await getVolume(dr, dst)).volumePairs).toEqual([]);
    expect(await dr.call('RemoveVolumePair', { volumeID: dst })).toEqual({}); // unpaired: no error (F11)
  });

  it('deleting a volume makes the partner PausedMisconfigured; restoring resumes; purging stops it', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'del');
    const deleted = await dr.call('DeleteVolume', { volumeID: dst });
    expect(deleted.volume).toMatchObject({ status: 'deleted', volumeID: dst });
    expect(deleted.volume.deleteTime).not.toBe('');
    expect(await pairState(prod, src)).toBe('PausedMisconfigured');
    await dr.call('RestoreDeletedVolume', { volumeID: dst });
    await waitForPairState(prod, src, 'Active');
    await dr.call('DeleteVolume', { volumeID: dst });
    await dr.call('PurgeDeletedVolume', { volumeID: dst });
    expect(await pairState(prod, src)).toBe('StoppedMisconfigured');
  });

  it('flipping the source away pauses the pair; reversing both sides resumes in the other direction', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'rev');
    await prod.call('ModifyVolume', { volumeID: src, access: 'replicationTarget' });
    expect(await statesOf(src, dst)).toEqual(['PausedMisconfigured', 'PausedMisconfigured']);
    await dr.call('ModifyVolume', { volumeID: dst, access: 'readWrite' });
    await waitForPairState(prod, src, 'Active');
    await waitForPairState(dr, dst, 'Active');
  });

  it('a target smaller than its source reads PausedVolumeSizeMismatch until the target grows', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'size');
    const grown = await prod.call('ModifyVolume', { volumeID: src, totalSize: 3_000_000_000 });
    expect(grown.volume.totalSize).toBe(Math.ceil(3_000_000_000 / 1048576) * 1048576);
    expect(await statesOf(src, dst)).toEqual(['PausedVolumeSizeMismatch', 'PausedVolumeSizeMismatch']);
    await dr.call('ModifyVolume', { volumeID: dst, totalSize: 3_000_000_000 });
    // resumeAfterTargetGrows defaults to 'manual': a resume on the source clears the pause.
    await prod.call('ModifyVolumePair', { volumeID: src, pausedManual: false });
    await waitForPairState(prod, src, 'Active');
  });

  it('reports the remote volume name as last observed', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'named');
    expect((await getVolume(prod, src)).volumePairs[0].remoteVolumeName).toBe('named-r');
    expect((await getVolume(dr, dst)).volumePairs[0].remoteVolumeName).toBe('named');
  });
});
