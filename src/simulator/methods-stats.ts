// Replication health reads: ListVolumeStats, GetVolumeStats (asyncDelay, element-api.md §3.5a) and
// ListSyncJobs (initial/resumed sync progress). All derived from the clock at read time.
import { volumeNotFound } from './errors.ts';
import type { CallContext, MethodTable } from './method-types.ts';
import type { ClusterRecord, VolumeRecord } from './model.ts';
import { volumePairState } from './pair-state.ts';
import { asyncDelayMs, directionOf, formatDelay } from './replication.ts';
import type { SimWorld } from './world.ts';

const BLOCK = 4096;

function renderStats(world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord): Record<string, unknown> {
  const delay = asyncDelayMs(world, cluster, volume);
  const writes = volume.writeCount ?? 0;
  return {
    accountID: volume.accountID,
    actualIOPS: 0,
    asyncDelay: delay === null ? null : formatDelay(delay, world.behaviour.asyncDelayFormat),
    averageIOPSize: 0,
    burstIOPSCredit: 0,
    clientQueueDepth: 0,
    latencyUSec: 0,
    nonZeroBlocks: writes,
    readBytes: 0,
    readOps: 0,
    throttle: 0,
    timestamp: new Date(world.now()).toISOString(),
    unalignedReads: 0,
    unalignedWrites: 0,
    volumeAccessGroups: [],
    volumeID: volume.volumeID,
    volumeSize: volume.totalSize,
    volumeUtilization: 0,
    writeBytes: writes * BLOCK,
    writeOps: writes,
    zeroBlocks: Math.max(0, Math.floor(volume.totalSize / BLOCK) - writes),
  };
}

function listVolumeStats({ world, cluster, params }: CallContext): Record<string, unknown> {
  const volumeIDs = params.optIntArray('volumeIDs');
  if (volumeIDs === undefined) return { volumeStats: [...cluster.volumes.values()].map((v) => renderStats(world, cluster, v)) };
  const volumeStats: Array<Record<string, unknown>> = [];
  for (const id of [...new Set(volumeIDs)].sort((a, b) => a - b)) {
    const volume = cluster.volumes.get(id);
    if (volume) volumeStats.push(renderStats(world, cluster, volume));
    else if (world.behaviour.listVolumeStatsMissingID === 'error') throw volumeNotFound(id);
  }
  return { volumeStats };
}

function getVolumeStats({ world, cluster, params }: CallContext): Record<string, unknown> {
  const volumeID = params.int('volumeID');
  const volume = cluster.volumes.get(volumeID);
  if (!volume) throw volumeNotFound(volumeID);
  return { volumeStats: renderStats(world, cluster, volume) };
}

/** The first Resuming* states copy metadata, the last one data (element-api.md §2.5 stage names). */
const stageOf = (state: string): string => (state === 'ResumingDataTransfer' ? 'data' : 'metadata');

function listSyncJobs({ world, cluster }: CallContext): Record<string, unknown> {
  const syncJobs: Array<Record<string, unknown>> = [];
  const now = world.now();
  for (const id of [...cluster.paired].sort((a, b) => a - b)) {
    const volume = cluster.volumes.get(id);
    if (!volume?.pair?.remote) continue;
    const view = volumePairState(world, cluster, volume);
    const direction = view.resuming && directionOf(world, cluster, volume);
    if (!view.resuming || !direction) continue;
    if (direction.source.volume !== volume && world.behaviour.syncJobsListedOn === 'source') continue;
    const { startedAt, durationMs } = view.resuming;
    const elapsedMs = Math.max(0, now - startedAt);
    const totalBlocks = Math.max(1, Math.ceil(direction.source.volume.totalSize / BLOCK));
    syncJobs.push({
      blocksPerSecond: durationMs > 0 ? Math.round((totalBlocks / durationMs) * 1000) : totalBlocks,
      branchType: 'volume',
      dstServiceID: direction.target.volume.pair?.remoteServiceID ?? 0,
      dstVolumeID: direction.target.volume.volumeID,
      elapsedTime: Math.round(elapsedMs / 1000),
      percentComplete: durationMs > 0 ? Math.min(99, Math.floor((elapsedMs / durationMs) * 100)) : 99,
      remainingTime: Math.max(0, durationMs - elapsedMs) / 1000,
      srcServiceID: direction.source.volume.pair?.remoteServiceID ?? 0,
      srcVolumeID: direction.source.volume.volumeID,
      stage: stageOf(view.state),
      type: 'remote',
    });
  }
  return { syncJobs };
}

export const statsMethods: MethodTable = {
  ListVolumeStats: { since: '1.0', mutating: false, handler: listVolumeStats },
  GetVolumeStats: { since: '1.0', mutating: false, handler: getVolumeStats },
  ListSyncJobs: { since: '1.0', mutating: false, handler: listSyncJobs },
};
