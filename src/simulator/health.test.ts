// Replication health: ListVolumeStats asyncDelay, ListSyncJobs, volume growth (element-api.md §3.5a).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAsyncDelay } from '../element/async-delay.ts';
import { createVolume, pairClusters, pairState, pairVolumes, startTestSim, waitFor, waitForPairState } from './testing/fixtures.ts';
import type { TestSim } from './testing/fixtures.ts';
import type { RawRpc } from './testing/rpc.ts';

let t: TestSim;
let prod: RawRpc, dr: RawRpc;

beforeAll(async () => {
  t = await startTestSim({ clusters: ['PROD', 'DR'] });
  [prod, dr] = [t.rpc.PROD!, t.rpc.DR!];
});
afterAll(() => t.stop());
beforeEach(async () => {
  await t.sim.admin.reset();
  await pairClusters(prod, dr);
});

const delayOf = async (rpc: RawRpc, volumeID: number): Promise<string | null> =>
  (await rpc.call('ListVolumeStats', { volumeIDs: [volumeID] })).volumeStats[0].asyncDelay;

describe('ListVolumeStats asyncDelay', () => {
  it('is null for an unpaired volume and for a pending pair', async () => {
    const lone = (await createVolume(prod, 'lone')).volumeID;
    const pending = (await createVolume(prod, 'pending')).volumeID;
    await prod.call('StartVolumePairing', { volumeID: pending });
    const { volumeStats } = await prod.call('ListVolumeStats', { volumeIDs: [pending, lone] });
    expect(volumeStats.map((s: { volumeID: number; asyncDelay: unknown }) => [s.volumeID, s.asyncDelay])).toEqual([[lone, null], [pending, null]]);
    expect(volumeStats[0]).toMatchObject({ accountID: expect.any(Number), volumeSize: expect.any(Number) });
  });

  it('on an Active pair: the target always PT0S, the source its steady lag (settable on the admin API)', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'lag');
    expect(await delayOf(dr, dst)).toBe('PT0S');
    expect(await delayOf(prod, src)).toBe('PT0S');
    await t.sim.admin.setAsyncDelay('PROD', src, 90.5);
    expect(await delayOf(prod, src)).toBe('PT90.5S');
    expect(await delayOf(dr, dst)).toBe('PT0S');
    expect((await t.sim.admin.volumeReplication('PROD', src)).steadyLagSeconds).toBe(90.5);
  });

  it('asyncDelayFormat=hms spells it HH:MM:SS.ffffff', async () => {
    const { src } = await pairVolumes(prod, dr, 'hms');
    await t.sim.admin.setAsyncDelay('PROD', src, 3723.25);
    await t.sim.admin.setBehaviour({ asyncDelayFormat: 'hms' });
    expect(await delayOf(prod, src)).toBe('01:02:03.250000');
  });

  it('while paused it keeps growing from the last sync (asyncDelayWhenStopped=grows)', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'grow');
    await t.sim.admin.setAsyncDelay('PROD', src, 30);
    await prod.call('ModifyVolumePair', { volumeID: src, pausedManual: true });
    const first = parseAsyncDelay(await delayOf(prod, src))!;
    expect(first).toBeGreaterThanOrEqual(30);
    await waitFor(async () => parseAsyncDelay(await delayOf(prod, src))!, (s) => s > first, 'the lag to grow');
    // The target of a stopped pair is as far behind as its source.
    expect(parseAsyncDelay(await delayOf(dr, dst))!).toBeGreaterThanOrEqual(30);
  });

  it('while the link is cut it is null with asyncDelayWhenStopped=null', async () => {
    const { src } = await pairVolumes(prod, dr, 'cut');
    await t.sim.admin.setBehaviour({ asyncDelayWhenStopped: 'null' });
    await t.sim.admin.cutLink('PROD', 'DR');
    expect(await pairState(prod, src)).toBe('PausedDisconnected');
    expect(await delayOf(prod, src)).toBeNull();
    await t.sim.admin.setBehaviour({ asyncDelayWhenStopped: 'grows' });
    expect(parseAsyncDelay(await delayOf(prod, src))).toBeGreaterThanOrEqual(0);
  });

  it('a missing ID is xVolumeIDDoesNotExist or left out per listVolumeStatsMissingID; no volumeIDs lists all', async () => {
    const a = (await createVolume(prod, 'a')).volumeID;
    expect(await prod.errorName('ListVolumeStats', { volumeIDs: [a, 9999] })).toBe('xVolumeIDDoesNotExist');
    await t.sim.admin.setBehaviour({ listVolumeStatsMissingID: 'omit' });
    expect((await prod.call('ListVolumeStats', { volumeIDs: [a, 9999] })).volumeStats.map((s: { volumeID: number }) => s.volumeID)).toEqual([a]);
    expect((await prod.call('ListVolumeStats')).volumeStats).toHaveLength(1);
    expect((await prod.call('GetVolumeStats', { volumeID: a })).volumeStats.volumeID).toBe(a);
  });
});

describe('ListSyncJobs', () => {
  it('lists a remote job with progress while the pair is Resuming*, none once Active', async () => {
    await t.sim.admin.setBehaviour({ resumeDelayMs: 60_000 });
    const src = (await createVolume(prod, 'sync')).volumeID;
    const dst = (await createVolume(dr, 'sync-r')).volumeID;
    await dr.call('ModifyVolume', { volumeID: dst, access: 'replicationTarget' });
    const { volumePairingKey } = await prod.call('StartVolumePairing', { volumeID: src });
    await dr.call('CompleteVolumePairing', { volumeID: dst, volumePairingKey });
    await waitFor(() => pairState(prod, src), (s) => s?.startsWith('Resuming') === true, 'Resuming*');
    const [job] = (await prod.call('ListSyncJobs')).syncJobs;
    expect(job).toMatchObject({ type: 'remote', srcVolumeID: src, dstVolumeID: dst, branchType: 'volume', stage: 'metadata' });
    expect(job.percentComplete).toBeGreaterThanOrEqual(0);
    expect(job.percentComplete).toBeLessThan(100);
    expect(job.remainingTime).toBeGreaterThan(0);
    expect(job.remainingTime).toBeLessThanOrEqual(60);
    // syncJobsListedOn=source: the target cluster lists none; 'both' lists it there too.
    expect((await dr.call('ListSyncJobs')).syncJobs).toEqual([]);
    await t.sim.admin.setBehaviour({ syncJobsListedOn: 'both' });
    expect((await dr.call('ListSyncJobs')).syncJobs).toMatchObject([{ srcVolumeID: src, dstVolumeID: dst }]);
    const later = await waitFor(() => prod.call('ListSyncJobs'), (r) => r.syncJobs[0]?.remainingTime < job.remainingTime, 'progress');
    expect(later.syncJobs[0].elapsedTime).toBeGreaterThanOrEqual(0);
    await t.sim.admin.setBehaviour({ resumeDelayMs: 0 });
    await waitForPairState(prod, src, 'Active');
    expect((await prod.call('ListSyncJobs')).syncJobs).toEqual([]);
  });
});

describe('volume growth', () => {
  it('never shrinks: the refusal uses errorNames.volumeShrink; equal or larger sizes round up to a MiB', async () => {
    const v = (await createVolume(prod, 'shrink')).volumeID;
    expect(await prod.errorName('ModifyVolume', { volumeID: v, totalSize: 1_000_000_000 })).toBe('xVolumeShrinkProhibited');
    await t.sim.admin.setBehaviour({ errorNames: { volumeShrink: 'xInvalidParameter' } });
    expect(await prod.errorName('ModifyVolume', { volumeID: v, totalSize: 1_000_000_000 })).toBe('xInvalidParameter');
    expect((await prod.call('ModifyVolume', { volumeID: v, totalSize: 2_000_000_000 })).volume.totalSize).toBe(2000683008);
    expect((await prod.call('ModifyVolume', { volumeID: v, totalSize: 2000683009 })).volume.totalSize).toBe(2000683008 + 1048576);
  });

  it('resumeAfterTargetGrows=manual: growing the target keeps the pause until a resume on the source', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'manual');
    await prod.call('ModifyVolume', { volumeID: src, totalSize: 3_000_000_000 });
    await dr.call('ModifyVolume', { volumeID: dst, totalSize: 3_000_000_000 });
    expect([await pairState(prod, src), await pairState(dr, dst)]).toEqual(['PausedVolumeSizeMismatch', 'PausedVolumeSizeMismatch']);
    await prod.call('ModifyVolumePair', { volumeID: src, pausedManual: false });
    await waitForPairState(prod, src, 'Active');
    await waitForPairState(dr, dst, 'Active');
  });

  it('resumeAfterTargetGrows=auto: growing the target resumes by itself', async () => {
    await t.sim.admin.setBehaviour({ resumeAfterTargetGrows: 'auto' });
    const { src, dst } = await pairVolumes(prod, dr, 'auto');
    await prod.call('ModifyVolume', { volumeID: src, totalSize: 3_000_000_000 });
    expect(await pairState(prod, src)).toBe('PausedVolumeSizeMismatch');
    await dr.call('ModifyVolume', { volumeID: dst, totalSize: 3_000_000_000 });
    await waitForPairState(prod, src, 'Active');
  });

  it('a target that caught up in auto mode leaves no latch behind when the switch turns manual', async () => {
    await t.sim.admin.setBehaviour({ resumeAfterTargetGrows: 'auto' });
    const { src, dst } = await pairVolumes(prod, dr, 'stale');
    await prod.call('ModifyVolume', { volumeID: src, totalSize: 3_000_000_000 });
    await dr.call('ModifyVolume', { volumeID: dst, totalSize: 3_000_000_000 });
    await waitForPairState(prod, src, 'Active');
    await t.sim.admin.setBehaviour({ resumeAfterTargetGrows: 'manual' });
    expect(await pairState(prod, src)).toBe('Active');
  });

  it('a resume while the target is still smaller leaves the pair paused', async () => {
    const { src } = await pairVolumes(prod, dr, 'early');
    await prod.call('ModifyVolume', { volumeID: src, totalSize: 3_000_000_000 });
    await prod.call('ModifyVolumePair', { volumeID: src, pausedManual: false });
    expect(await pairState(prod, src)).toBe('PausedVolumeSizeMismatch');
  });
});
