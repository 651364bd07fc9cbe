// What flows over an established volume pair, derived lazily like the pair states: the lag
// (ListVolumeStats asyncDelay) and the simulated data (dataVersion). While a pair is Active the
// target holds the source's data and the lag is the source's steady lag; nothing is stored per
// second. Any change that may stop a pair first calls settle(), which stamps the last sync and
// copies the source's data to the target, so the stopped pair keeps what it had.
import type { ClusterRecord, VolumeRecord } from './model.ts';
import { markTransition, volumePairState } from './pair-state.ts';
import type { Partner, SimWorld } from './world.ts';

export interface Direction {
  source: Partner;
  target: Partner;
}

/** Source and target of a completed pair when exactly one side is readWrite and the other a target. */
export function directionOf(world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord): Direction | undefined {
  const partner = world.partnerOf(volume);
  if (!partner) return undefined;
  const self = { cluster, volume };
  if (volume.access === 'readWrite' && partner.volume.access === 'replicationTarget') return { source: self, target: partner };
  if (volume.access === 'replicationTarget' && partner.volume.access === 'readWrite') return { source: partner, target: self };
  return undefined;
}

export const isActive = (world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord): boolean =>
  volume.pair?.remote !== undefined && volumePairState(world, cluster, volume).state === 'Active';

/** Stamps the last sync and replicates the data of an Active pair; a no-op otherwise. */
export function settle(world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord): void {
  if (!isActive(world, cluster, volume)) return;
  const direction = directionOf(world, cluster, volume);
  if (!direction) return;
  const { source, target } = direction;
  const syncedAt = world.now() - (source.volume.steadyLagMs ?? 0);
  for (const side of [source.volume, target.volume]) if (side.pair) side.pair.lastSyncAt = syncedAt;
  target.volume.dataVersion = source.volume.dataVersion ?? null;
}

/** settle() for every paired volume of a cluster (before a link cut or a cluster-pair removal). */
export function settleCluster(world: SimWorld, cluster: ClusterRecord): void {
  for (const id of cluster.paired) {
    const volume = cluster.volumes.get(id);
    if (volume) settle(world, cluster, volume);
  }
}

/** settle() then markTransition(): the wrapper every pair-affecting change goes through. */
export function beginChange(world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord): () => void {
  settle(world, cluster, volume);
  return markTransition(world, volume);
}

/** The data a volume holds now: an Active target holds its source's. */
export function currentData(world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord): string | null {
  if (volume.access === 'replicationTarget' && isActive(world, cluster, volume)) {
    const direction = directionOf(world, cluster, volume);
    if (direction) return direction.source.volume.dataVersion ?? null;
  }
  return volume.dataVersion ?? null;
}

/**
 * asyncDelay in ms: null when not paired (or pending); on an Active pair 0 for the target ("always
 * 0", element-api.md §3.5a) and the steady lag for the source; otherwise the time since the last
 * sync (before the first one: since CompleteVolumePairing), or null per asyncDelayWhenStopped.
 */
export function asyncDelayMs(world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord): number | null {
  const pair = volume.pair;
  if (!pair?.remote) return null;
  if (isActive(world, cluster, volume)) {
    return volume.access === 'replicationTarget' ? 0 : (volume.steadyLagMs ?? 0);
  }
  if (world.behaviour.asyncDelayWhenStopped === 'null') return null;
  return Math.max(0, world.now() - (pair.lastSyncAt ?? pair.resumeFrom));
}

const two = (n: number): string => String(n).padStart(2, '0');

/** ISO 8601 ("PT90.5S") or "HH:MM:SS.ffffff" (hours may exceed 24), per asyncDelayFormat. */
export function formatDelay(ms: number, format: 'iso8601' | 'hms'): string {
  const micros = Math.round(ms * 1000);
  const totalSeconds = Math.floor(micros / 1e6);
  const fraction = micros % 1e6;
  if (format === 'iso8601') {
    return fraction === 0 ? `PT${totalSeconds}S` : `PT${totalSeconds}.${String(fraction).padStart(6, '0').replace(/0+$/, '')}S`;
  }
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  return `${two(hours)}:${two(minutes)}:${two(totalSeconds % 60)}.${String(fraction).padStart(6, '0')}`;
}
