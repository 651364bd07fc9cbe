// Volume records: creation (shared by CreateVolume and the admin bulk endpoint) and lookups with
// Element's error for a missing or deleted volume.
import { SimError, volumeNotFound } from './errors.ts';
import { newUuid } from './identity.ts';
import { DEFAULT_QOS, isoSeconds, roundUpToMiB } from './model.ts';
import type { ClusterRecord, Qos, VolumeAccess, VolumeRecord } from './model.ts';
import { ParamReader } from './params.ts';
import type { SimWorld } from './world.ts';

export interface NewVolume {
  name: string;
  accountID: number;
  totalSize: number;
  enable512e?: boolean;
  access?: VolumeAccess;
  qos?: Partial<Qos>;
  attributes?: Record<string, unknown>;
}

export function createVolumeRecord(world: SimWorld, cluster: ClusterRecord, spec: NewVolume): VolumeRecord {
  if (spec.name.length === 0 || spec.name.length > 64) throw new SimError('xInvalidParameter', 'name: length must be 1 to 64.');
  if (spec.totalSize <= 0) throw new SimError('xInvalidParameter', 'totalSize: must be greater than 0.');
  if (!cluster.accounts.has(spec.accountID)) {
    throw new SimError('xAccountIDDoesNotExist', `AccountID ${spec.accountID} does not exist.`);
  }
  const volume: VolumeRecord = {
    volumeID: cluster.nextVolumeID++,
    name: spec.name,
    accountID: spec.accountID,
    totalSize: roundUpToMiB(spec.totalSize),
    enable512e: spec.enable512e ?? true,
    access: spec.access ?? 'readWrite',
    attributes: spec.attributes ?? {},
    qos: { ...DEFAULT_QOS, ...spec.qos },
    qosPolicyID: null,
    fifoSize: 24,
    minFifoSize: 0,
    createTime: isoSeconds(world.now()),
    deleteTime: '',
    purgeTime: '',
    volumeUUID: newUuid(),
    volumeConsistencyGroupUUID: newUuid(),
    lastAccessTime: null,
    lastAccessTimeIO: null,
  };
  cluster.volumes.set(volume.volumeID, volume);
  return volume;
}

/** A volume that exists and is not deleted. */
export function liveVolume(cluster: ClusterRecord, volumeID: number): VolumeRecord {
  const volume = cluster.volumes.get(volumeID);
  if (!volume || volume.deleteTime !== '') throw volumeNotFound(volumeID);
  return volume;
}

/** A volume that exists, deleted or not. */
export function anyVolume(cluster: ClusterRecord, volumeID: number): VolumeRecord {
  const volume = cluster.volumes.get(volumeID);
  if (!volume) throw volumeNotFound(volumeID);
  return volume;
}

/** Reads a `qos` object member; unknown members (curve) are accepted and ignored. */
export function readQos(raw: Record<string, unknown> | undefined): Partial<Qos> | undefined {
  if (raw === undefined) return undefined;
  const reader = new ParamReader(raw);
  const qos: Partial<Qos> = {};
  for (const key of ['minIOPS', 'maxIOPS', 'burstIOPS', 'burstTime'] as const) {
    const value = reader.optInt(key);
    if (value !== undefined) qos[key] = value;
  }
  return qos;
}
