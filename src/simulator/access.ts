// Access changes made with ModifyVolume: recorded for the admin API's history, and a demotion to
// replicationTarget or locked ends the volume's iSCSI session ("Changing a volume to
// locked/replicationTarget terminates its iSCSI sessions", element-api.md §3.4). The simulator
// models at most one session per volume, opened by simulated I/O.
import type { ClusterRecord, VolumeAccess, VolumeRecord } from './model.ts';
import type { SimWorld } from './world.ts';

const ENDS_SESSIONS: ReadonlySet<VolumeAccess> = new Set(['replicationTarget', 'locked']);

export function changeAccess(world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord, to: VolumeAccess): void {
  const from = volume.access;
  if (from === to) return;
  volume.access = to;
  let sessionsEnded = 0;
  if (ENDS_SESSIONS.has(to) && volume.sessionOpen === true) {
    volume.sessionOpen = false;
    volume.sessionsEnded = (volume.sessionsEnded ?? 0) + 1;
    sessionsEnded = 1;
  }
  const seq = (world.accessChanges.at(-1)?.seq ?? 0) + 1;
  const time = new Date(world.now()).toISOString();
  world.accessChanges.push({ seq, time, cluster: cluster.name, volumeID: volume.volumeID, from, to, sessionsEnded });
}

/**
 * Simulated host I/O: every access touches lastAccessTime; a readWrite volume is written (a new
 * dataVersion) and keeps a session open. A replicationTarget or locked volume takes no session.
 */
export function simulateIo(cluster: ClusterRecord, volume: VolumeRecord, stamp: string): { written: boolean } {
  volume.lastAccessTime = volume.lastAccessTimeIO = stamp;
  if (!ENDS_SESSIONS.has(volume.access)) volume.sessionOpen = true;
  if (volume.access !== 'readWrite') return { written: false };
  volume.writeCount = (volume.writeCount ?? 0) + 1;
  volume.dataVersion = `${cluster.name}/${volume.volumeID}/${volume.writeCount}`;
  return { written: true };
}
