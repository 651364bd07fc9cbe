// Element states of cluster pairs and volume pairs, derived from stored facts and the clock at read
// time (element-api.md §3.7). Nothing here mutates except markTransition, which stamps resumeFrom.
import type { ClusterPairRecord, ClusterRecord, VolumeRecord } from './model.ts';
import type { SimWorld } from './world.ts';

export type ClusterPairStatus = 'Unconfigured' | 'Connecting' | 'Connected' | 'Misconfigured' | 'Disconnected';

export interface Connection {
  status: ClusterPairStatus;
  /** When the pair is (or will be) Connected; set for Connecting and Connected. */
  connectedAt?: number;
}

export function clusterPairConnection(world: SimWorld, cluster: ClusterRecord, pair: ClusterPairRecord): Connection {
  if (!pair.peer) return { status: 'Unconfigured' };
  const peerCluster = world.clusters.get(pair.peer.clusterName);
  const peerPair = peerCluster && world.clusterPairByUuid(peerCluster, pair.clusterPairUUID);
  if (!peerPair) return { status: world.behaviour.orphanedClusterPairStatus };
  if (world.isLinkCut(cluster.name, pair.peer.clusterName)) return { status: 'Disconnected' };
  const start = Math.max(pair.peer.completedAt, world.restoredAt(cluster.name, pair.peer.clusterName));
  const connectedAt = start + world.behaviour.connectDelayMs;
  return { status: world.now() < connectedAt ? 'Connecting' : 'Connected', connectedAt };
}

/** The Connected pair this cluster has with the cluster at `mvip`, if any. */
export function connectedPairWithMvip(world: SimWorld, cluster: ClusterRecord, mvip: string): ClusterPairRecord | undefined {
  const remote = world.clusterByMvip(mvip);
  if (!remote) return undefined;
  for (const pair of cluster.clusterPairs.values()) {
    if (pair.peer?.clusterName !== remote.name) continue;
    if (clusterPairConnection(world, cluster, pair).status === 'Connected') return pair;
  }
  return undefined;
}

/**
 * Why a pair cannot replicate, ignoring connectivity and time; null when it would resume. Used to
 * detect the moment an event clears the last blocker (markTransition) and for the reported state.
 */
function staticBlocker(world: SimWorld, volume: VolumeRecord, partner: VolumeRecord | undefined): string | null {
  const pair = volume.pair;
  if (!pair) return 'None';
  if (!pair.remote) return 'Unconfigured';
  if (!partner || !partner.pair) return 'StoppedMisconfigured';
  if (volume.deleteTime !== '' || partner.deleteTime !== '') return 'PausedMisconfigured';
  const accesses = [volume.access, partner.access];
  if (!accesses.includes('readWrite') || !accesses.includes('replicationTarget')) return 'PausedMisconfigured';
  const [source, target] = volume.access === 'readWrite' ? [volume, partner] : [partner, volume];
  if (world.behaviour.sizeMismatchPauses) {
    if (target.totalSize < source.totalSize) return 'PausedVolumeSizeMismatch';
    // Growing the target does not resume by itself in 'manual' mode: a resume clears the latch.
    const latched = pair.sizeMismatchLatched === true || partner.pair.sizeMismatchLatched === true;
    if (latched && world.behaviour.resumeAfterTargetGrows === 'manual') return 'PausedVolumeSizeMismatch';
  }
  if (pair.pausedManual || partner.pair.pausedManual) {
    if (world.behaviour.pauseStateMapping === 'sourceSide') return volume === source ? 'PausedManual' : 'PausedManualRemote';
    return pair.pausedManual ? 'PausedManual' : 'PausedManualRemote';
  }
  return null;
}

export interface ReplicationView {
  state: string;
  snapshotState: string;
  /** While Resuming*: when the phase started and how long it lasts (for ListSyncJobs). */
  resuming?: { startedAt: number; durationMs: number };
}

export function volumePairState(world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord): ReplicationView {
  const pair = volume.pair;
  if (!pair?.remote) return { state: 'Unconfigured', snapshotState: 'Unconfigured' };
  const partner = world.partnerOf(volume);
  if (!partner) return { state: 'StoppedMisconfigured', snapshotState: 'StoppedMisconfigured' };
  const localPair = world.clusterPairByUuid(cluster, pair.remote.clusterPairUUID);
  const connection = localPair ? clusterPairConnection(world, cluster, localPair) : undefined;
  if (!connection || connection.connectedAt === undefined || connection.status !== 'Connected') {
    return { state: 'PausedDisconnected', snapshotState: 'PausedDisconnected' };
  }
  const blocker = staticBlocker(world, volume, partner.volume);
  if (blocker !== null) return { state: blocker, snapshotState: blocker };
  const { resumeDelayMs, resumingStates } = world.behaviour;
  const start = Math.max(pair.resumeFrom, partner.volume.pair?.resumeFrom ?? 0, connection.connectedAt);
  const elapsed = world.now() - start;
  if (elapsed < resumeDelayMs && resumingStates.length > 0) {
    const index = Math.min(resumingStates.length - 1, Math.floor((elapsed / resumeDelayMs) * resumingStates.length));
    return { state: resumingStates[Math.max(0, index)] ?? 'Active', snapshotState: 'Idle', resuming: { startedAt: start, durationMs: resumeDelayMs } };
  }
  return { state: 'Active', snapshotState: 'Idle' };
}

/**
 * Call before a change that may affect a volume's pair; call the returned function afterwards.
 * When the change cleared the last static blocker, both sides start their Resuming* phase now.
 */
export function markTransition(world: SimWorld, volume: VolumeRecord): () => void {
  const partner = world.partnerOf(volume)?.volume;
  const before = staticBlocker(world, volume, partner);
  return () => {
    const after = staticBlocker(world, volume, world.partnerOf(volume)?.volume);
    if (before === null || after !== null) return;
    const now = world.now();
    if (volume.pair) volume.pair.resumeFrom = now;
    if (partner?.pair) partner.pair.resumeFrom = now;
  };
}
