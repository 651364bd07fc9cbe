// Admin routes for replication and DR drills: simulated I/O (writes that replicate), the volume's
// replication view, a steady lag for asyncDelay, and the history of access changes.
import { cluster, HttpError, liveVolumeOr404 } from './admin-http.ts';
import type { Route } from './admin-http.ts';
import { AsyncDelayRequest } from './admin-schema.ts';
import type { IoResult, VolumeReplicationView } from './admin-schema.ts';
import { simulateIo } from './access.ts';
import { isoSeconds } from './model.ts';
import { asyncDelayMs, currentData, settle } from './replication.ts';

const VOLUME = String.raw`^\/admin\/clusters\/([^/]+)\/volumes\/(\d+)`;

export const replicationRoutes: Array<[string, RegExp, Route]> = [
  ['POST', new RegExp(`${VOLUME}\\/io$`), (c, _body, m): IoResult => {
    const record = cluster(c, m[1]);
    const volume = liveVolumeOr404(record, m[2]);
    const { written } = simulateIo(record, volume, isoSeconds(c.world.now()));
    c.world.changed();
    return { lastAccessTime: volume.lastAccessTime ?? '', written, dataVersion: currentData(c.world, record, volume) };
  }],
  ['GET', new RegExp(`${VOLUME}\\/replication$`), (c, _body, m): VolumeReplicationView => {
    const record = cluster(c, m[1]);
    const volume = liveVolumeOr404(record, m[2]);
    const delay = asyncDelayMs(c.world, record, volume);
    return {
      volumeID: volume.volumeID,
      access: volume.access,
      dataVersion: currentData(c.world, record, volume),
      writeCount: volume.writeCount ?? 0,
      sessionOpen: volume.sessionOpen ?? false,
      sessionsEnded: volume.sessionsEnded ?? 0,
      asyncDelaySeconds: delay === null ? null : delay / 1000,
      steadyLagSeconds: (volume.steadyLagMs ?? 0) / 1000,
    };
  }],
  ['POST', new RegExp(`${VOLUME}\\/async-delay$`), (c, body, m) => {
    const { seconds } = AsyncDelayRequest.parse(body);
    const record = cluster(c, m[1]);
    const volume = liveVolumeOr404(record, m[2]);
    // Settle first so the lag up to now is accounted with the old value.
    settle(c.world, record, volume);
    volume.steadyLagMs = Math.round(seconds * 1000);
    c.world.changed();
    return {};
  }],
  ['GET', /^\/admin\/access-changes$/, (c, _body, _m, query) => {
    const name = query.get('cluster');
    const id = query.get('volumeID');
    if (id !== null && !/^\d+$/.test(id)) throw new HttpError(400, 'volumeID must be an integer');
    const changes = c.world.accessChanges.filter(
      (change) => (name === null || change.cluster === name) && (id === null || change.volumeID === Number(id)),
    );
    return { changes };
  }],
];
