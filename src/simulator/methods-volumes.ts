// Volume methods: CreateVolume, ListVolumes, ModifyVolume, DeleteVolume, RestoreDeletedVolume,
// PurgeDeletedVolume, ListVolumesForAccount. Access and size changes go through markTransition because they can unblock
// or block a volume pair.
import { SimError, volumeNotFound } from './errors.ts';
import type { CallContext, MethodTable } from './method-types.ts';
import { VOLUME_ACCESS, isoSeconds, roundUpToMiB } from './model.ts';
import type { ClusterRecord, VolumeRecord } from './model.ts';
import type { SimWorld } from './world.ts';
import { changeAccess } from './access.ts';
import { beginChange, directionOf } from './replication.ts';
import { renderVolume } from './render.ts';
import { anyVolume, createVolumeRecord, liveVolume, readQos } from './volumes.ts';

const PURGE_AFTER_MS = 8 * 60 * 60 * 1000;
const VOLUME_STATUSES = ['creating', 'snapshotting', 'active', 'deleted'] as const;

function createVolume({ world, cluster, params }: CallContext): Record<string, unknown> {
  const name = params.string('name');
  const accountID = params.int('accountID');
  const totalSize = params.int('totalSize');
  const enable512e = params.optBool('enable512e');
  // `access` is not read: the documented CreateVolume only takes snapMirrorTarget there; use ModifyVolume.
  const qos = readQos(params.optObject('qos'));
  const attributes = params.optObject('attributes');
  const volume = createVolumeRecord(world, cluster, { name, accountID, totalSize, enable512e, qos, attributes });
  return { volume: renderVolume(world, cluster, volume), volumeID: volume.volumeID };
}

function listVolumes({ world, cluster, params }: CallContext): Record<string, unknown> {
  const volumeIDs = params.optIntArray('volumeIDs');
  const volumeName = params.optString('volumeName');
  const accounts = params.optIntArray('accounts');
  const isPaired = params.optBool('isPaired');
  const startVolumeID = params.optInt('startVolumeID') ?? 0;
  const limit = params.optInt('limit') ?? 10000;
  const volumeStatus = params.optEnum('volumeStatus', VOLUME_STATUSES);
  params.optBool('includeVirtualVolumes');
  params.optStringArray('protectionSchemes');
  const { pendingVolumePairsCountAsPaired, listVolumesMissingID } = world.behaviour;

  // Choose the smallest candidate set first, so filtered calls stay O(volumes touched).
  let candidates: Iterable<VolumeRecord>;
  if (volumeIDs !== undefined) {
    const found: VolumeRecord[] = [];
    for (const id of [...new Set(volumeIDs)].sort((a, b) => a - b)) {
      const volume = cluster.volumes.get(id);
      if (volume) found.push(volume);
      else if (listVolumesMissingID === 'error') throw volumeNotFound(id);
    }
    candidates = found;
  } else if (isPaired === true) {
    candidates = [...cluster.paired].sort((a, b) => a - b).flatMap((id) => cluster.volumes.get(id) ?? []);
  } else {
    candidates = cluster.volumes.values();
  }
  const accountSet = accounts && new Set(accounts);
  const volumes: Array<Record<string, unknown>> = [];
  for (const volume of candidates) {
    if (volumes.length >= limit) break;
    if (volume.volumeID < startVolumeID) continue;
    if (volumeName !== undefined && volume.name !== volumeName) continue;
    if (accountSet && !accountSet.has(volume.accountID)) continue;
    const status = volume.deleteTime === '' ? 'active' : 'deleted';
    if (volumeStatus !== undefined && status !== volumeStatus) continue;
    // isPaired:false returns every volume, like a real cluster (element-api.md §3.5).
    if (isPaired === true && !(volume.pair && (volume.pair.remote || pendingVolumePairsCountAsPaired))) continue;
    volumes.push(renderVolume(world, cluster, volume));
  }
  return { volumes };
}

function modifyVolume({ world, cluster, params }: CallContext): Record<string, unknown> {
  const volumeID = params.int('volumeID');
  const access = params.optEnum('access', VOLUME_ACCESS);
  const totalSize = params.optInt('totalSize');
  const qos = readQos(params.optObject('qos'));
  const attributes = params.optObject('attributes');
  const accountID = params.optInt('accountID');
  const fifoSize = params.optInt('fifoSize');
  const minFifoSize = params.optInt('minFifoSize');
  const volume = liveVolume(cluster, volumeID);
  if (accountID !== undefined && !cluster.accounts.has(accountID)) {
    throw new SimError('xAccountIDDoesNotExist', `AccountID ${accountID} does not exist.`);
  }
  if (totalSize !== undefined && totalSize <= 0) throw new SimError('xInvalidParameter', 'totalSize: must be greater than 0.');
  // Grow only, rounded up to a whole MiB (element-api.md §3.5a); the refusal's name is a switch.
  if (totalSize !== undefined && roundUpToMiB(totalSize) < volume.totalSize) {
    throw new SimError(world.behaviour.errorNames.volumeShrink, `totalSize: cannot shrink volume ${volumeID} from ${volume.totalSize} bytes.`);
  }
  const done = beginChange(world, cluster, volume);
  if (access !== undefined) changeAccess(world, cluster, volume, access);
  if (totalSize !== undefined) volume.totalSize = roundUpToMiB(totalSize);
  if (qos !== undefined) volume.qos = { ...volume.qos, ...qos };
  if (attributes !== undefined) volume.attributes = attributes;
  if (accountID !== undefined) volume.accountID = accountID;
  if (fifoSize !== undefined) volume.fifoSize = fifoSize;
  if (minFifoSize !== undefined) volume.minFifoSize = minFifoSize;
  if (totalSize !== undefined) updateSizeMismatchLatch(world, cluster, volume);
  done();
  return { volume: renderVolume(world, cluster, volume) };
}

/**
 * A source that outgrew its target is remembered, so that resumeAfterTargetGrows=manual needs a
 * resume; in 'auto' mode a target that caught up forgets it (a later switch to manual then finds no
 * stale latch).
 */
function updateSizeMismatchLatch(world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord): void {
  const direction = directionOf(world, cluster, volume);
  if (!direction) return;
  const outgrown = direction.target.volume.totalSize < direction.source.volume.totalSize;
  if (!outgrown && world.behaviour.resumeAfterTargetGrows === 'manual') return;
  for (const side of [direction.source.volume, direction.target.volume]) if (side.pair) side.pair.sizeMismatchLatched = outgrown;
}

/** ListVolumesForAccount (since 1.0): the account's volumes in ID order, paged like ListVolumes. */
function listVolumesForAccount({ world, cluster, params }: CallContext): Record<string, unknown> {
  const accountID = params.int('accountID');
  const startVolumeID = params.optInt('startVolumeID') ?? 0;
  const limit = params.optInt('limit') ?? 10000;
  params.optBool('includeVirtualVolumes');
  if (!cluster.accounts.has(accountID)) {
    if (world.behaviour.listVolumesForAccountUnknown === 'empty') return { volumes: [] };
    throw new SimError('xUnknownAccount', 'xUnknownAccount');
  }
  const volumes: Array<Record<string, unknown>> = [];
  for (const volume of cluster.volumes.values()) {
    if (volumes.length >= limit) break;
    if (volume.accountID !== accountID || volume.volumeID < startVolumeID) continue;
    volumes.push(renderVolume(world, cluster, volume));
  }
  return { volumes };
}

function deleteVolume({ world, cluster, params }: CallContext): Record<string, unknown> {
  const volume = liveVolume(cluster, params.int('volumeID'));
  const now = world.now();
  const done = beginChange(world, cluster, volume);
  volume.deleteTime = isoSeconds(now);
  volume.purgeTime = isoSeconds(now + PURGE_AFTER_MS);
  done();
  return { volume: renderVolume(world, cluster, volume) };
}

function restoreDeletedVolume({ world, cluster, params }: CallContext): Record<string, unknown> {
  const volume = anyVolume(cluster, params.int('volumeID'));
  if (volume.deleteTime === '') throw new SimError('xVolumeNotDeleted', `Volume ${volume.volumeID} is not deleted.`);
  const done = beginChange(world, cluster, volume);
  volume.deleteTime = '';
  volume.purgeTime = '';
  done();
  return {};
}

function purgeDeletedVolume({ cluster, params }: CallContext): Record<string, unknown> {
  const volume = anyVolume(cluster, params.int('volumeID'));
  if (volume.deleteTime === '') throw new SimError('xVolumeNotDeleted', `Volume ${volume.volumeID} is not deleted.`);
  cluster.volumes.delete(volume.volumeID);
  cluster.paired.delete(volume.volumeID);
  return {};
}

export const volumeMethods: MethodTable = {
  CreateVolume: { since: '1.0', mutating: true, handler: createVolume },
  ListVolumes: { since: '8.0', mutating: false, handler: listVolumes },
  ListVolumesForAccount: { since: '1.0', mutating: false, handler: listVolumesForAccount },
  ModifyVolume: { since: '1.0', mutating: true, handler: modifyVolume },
  DeleteVolume: { since: '1.0', mutating: true, handler: deleteVolume },
  RestoreDeletedVolume: { since: '1.0', mutating: true, handler: restoreDeletedVolume },
  PurgeDeletedVolume: { since: '1.0', mutating: true, handler: purgeDeletedVolume },
};
