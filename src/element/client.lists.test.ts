// Paging and the replication-health reads (ListVolumeStats, ListSyncJobs, ListVolumesForAccount)
// against a fixture server that pages the way element-api.md §3.1 describes.
import { describe, expect, it } from 'vitest';
import { isMutatingMethod } from './classify.ts';
import { f9Volume } from './testing/element-api-examples.ts';
import { routeByMethod, type FixtureHandler } from './testing/fixture-server.ts';
import { useReplayServers } from './testing/replay-setup.ts';

const ctx = useReplayServers();

/** Serves `ids` as volumes, honouring startVolumeID and limit (default `defaultLimit`). */
function pagedVolumes(ids: number[], defaultLimit = 10000, honourPaging = true): FixtureHandler {
  return (request) => {
    const params = (request.rpc?.params ?? {}) as { startVolumeID?: number; limit?: number };
    const start = honourPaging ? (params.startVolumeID ?? 0) : 0;
    const limit = honourPaging ? (params.limit ?? defaultLimit) : Infinity;
    const volumes = ids.filter((id) => id >= start).slice(0, limit).map((volumeID) => f9Volume({ volumeID, volumePairs: [] }));
    return { result: { volumes } };
  };
}

const IDS = [3, 5, 8, 13, 21, 34, 55];

describe('paging', () => {
  it('listActivePairedVolumes walks every page with startVolumeID/limit', async () => {
    ctx.prod.setHandler(routeByMethod({ ListActivePairedVolumes: pagedVolumes(IDS) }));
    const volumes = await ctx.client(ctx.prod, { apiVersion: '12.5', pageSize: 3 }).listActivePairedVolumes();
    expect(volumes.map((v) => v.volumeID)).toEqual(IDS);
    expect(ctx.prod.rpcCalls().map((c) => c.params)).toEqual([
      { limit: 3 },
      { startVolumeID: 9, limit: 3 },
      { startVolumeID: 35, limit: 3 },
    ]);
  });

  it('listVolumes without a limit walks every page and keeps the caller filters', async () => {
    ctx.prod.setHandler(routeByMethod({ ListVolumes: pagedVolumes(IDS) }));
    const volumes = await ctx.client(ctx.prod, { apiVersion: '12.5', pageSize: 4 }).listVolumes({ isPaired: true });
    expect(volumes.map((v) => v.volumeID)).toEqual(IDS);
    expect(ctx.prod.rpcCalls().map((c) => c.params)).toEqual([
      { isPaired: true, limit: 4 },
      { isPaired: true, startVolumeID: 14, limit: 4 },
    ]);
  });

  it('listVolumes with an explicit limit makes one request as asked', async () => {
    ctx.prod.setHandler(routeByMethod({ ListVolumes: pagedVolumes(IDS) }));
    const volumes = await ctx.client(ctx.prod, { apiVersion: '12.5', pageSize: 2 }).listVolumes({ startVolumeID: 5, limit: 3 });
    expect(volumes.map((v) => v.volumeID)).toEqual([5, 8, 13]);
    expect(ctx.prod.rpcCalls()).toHaveLength(1);
  });

  it('stops instead of looping when the cluster ignores the paging parameters', async () => {
    ctx.prod.setHandler(routeByMethod({ ListActivePairedVolumes: pagedVolumes(IDS, 10000, false) }));
    const volumes = await ctx.client(ctx.prod, { apiVersion: '12.5', pageSize: 3 }).listActivePairedVolumes();
    expect(volumes.map((v) => v.volumeID)).toEqual(IDS);
    expect(ctx.prod.rpcCalls()).toHaveLength(2);
  });

  it('listVolumesForAccount sends the account and pages', async () => {
    ctx.prod.setHandler(routeByMethod({ ListVolumesForAccount: pagedVolumes(IDS) }));
    const volumes = await ctx.client(ctx.prod, { apiVersion: '12.5', pageSize: 5 }).listVolumesForAccount(7);
    expect(volumes.map((v) => v.volumeID)).toEqual(IDS);
    expect(ctx.prod.rpcCalls().map((c) => c.params)).toEqual([
      { accountID: 7, limit: 5 },
      { accountID: 7, startVolumeID: 22, limit: 5 },
    ]);
  });

  it('rejects a page size that is not a positive integer', () => {
    expect(() => ctx.client(ctx.prod, { pageSize: 0 })).toThrow(/pageSize/);
  });
});

describe('replication health reads', () => {
  it('listVolumeStats sends the IDs once each and keeps volumeID and asyncDelay (string or null)', async () => {
    ctx.prod.setHandler(
      routeByMethod({
        ListVolumeStats: {
          result: {
            volumeStats: [
              { volumeID: 158, asyncDelay: 'PT12S', readBytes: 1, accountID: 1 },
              { volumeID: 159, asyncDelay: null },
              { volumeID: 160 },
              { volumeID: 161, asyncDelay: 7 },
            ],
          },
        },
      }),
    );
    const stats = await ctx.client(ctx.prod, { apiVersion: '12.5' }).listVolumeStats([158, 159, 158, 160, 161]);
    expect(stats).toEqual([
      { volumeID: 158, asyncDelay: 'PT12S' },
      { volumeID: 159, asyncDelay: null },
      { volumeID: 160, asyncDelay: null },
      { volumeID: 161, asyncDelay: null },
    ]);
    expect(ctx.prod.rpcCalls().map((c) => c.params)).toEqual([{ volumeIDs: [158, 159, 160, 161] }]);
  });

  it('listVolumeStats of no IDs asks nothing', async () => {
    ctx.prod.setHandler(routeByMethod({}));
    expect(await ctx.client(ctx.prod, { apiVersion: '12.5' }).listVolumeStats([])).toEqual([]);
    expect(ctx.prod.rpcCalls()).toHaveLength(0);
  });

  it('listSyncJobs reads remote jobs with progress and tolerates nulls and other job types', async () => {
    ctx.prod.setHandler(
      routeByMethod({
        ListSyncJobs: {
          result: {
            syncJobs: [
              { type: 'remote', stage: 'data', branchType: 'volume', srcVolumeID: 158, dstVolumeID: 260, srcServiceID: 14, dstServiceID: 91, percentComplete: 42.5, remainingTime: 12.25, elapsedTime: 9, blocksPerSecond: 1000 },
              { type: 'slice', sliceID: 3, volumeID: 7, percentComplete: 10, remainingTime: null, stage: 'whole' },
            ],
          },
        },
      }),
    );
    const jobs = await ctx.client(ctx.prod, { apiVersion: '12.5' }).listSyncJobs();
    expect(jobs[0]).toEqual({ type: 'remote', stage: 'data', branchType: 'volume', srcVolumeID: 158, dstVolumeID: 260, srcServiceID: 14, dstServiceID: 91, percentComplete: 42.5, remainingTime: 12.25, elapsedTime: 9, blocksPerSecond: 1000 });
    expect(jobs[1]).toMatchObject({ type: 'slice', volumeID: 7, percentComplete: 10, remainingTime: undefined });
  });

  it('modifyVolume sends totalSize', async () => {
    ctx.dr.setHandler(routeByMethod({ ModifyVolume: { result: { volume: f9Volume({ volumeID: 260, totalSize: 3000000000 }) } } }));
    await ctx.client(ctx.dr, { apiVersion: '12.5' }).modifyVolume({ volumeID: 260, totalSize: 3_000_000_000 });
    expect(ctx.dr.rpcCalls().map((c) => c.params)).toEqual([{ volumeID: 260, totalSize: 3_000_000_000 }]);
  });

  it.each(['ListVolumeStats', 'ListSyncJobs', 'ListVolumesForAccount'])('%s is a read', (method) => {
    expect(isMutatingMethod(method)).toBe(false);
  });
});
