// Volume pairing: StartVolumePairing, CompleteVolumePairing, ListActivePairedVolumes,
// ModifyVolumePair, RemoveVolumePair (element-api.md §3.3–3.5).
import { randomInt } from 'node:crypto';
import { SimError } from './errors.ts';
import { decodeKey, encodeKey, newUuid } from './identity.ts';
import type { CallContext, MethodTable } from './method-types.ts';
import { REPLICATION_MODES } from './model.ts';
import type { VolumePairRecord } from './model.ts';
import { connectedPairWithMvip } from './pair-state.ts';
import { beginChange, settle } from './replication.ts';
import { renderVolume } from './render.ts';
import { anyVolume, liveVolume } from './volumes.ts';

const PAUSE_LIMIT = 3145728000;

interface VolumeKey {
  mvip: string;
  volumeID: number;
  volumeName: string;
  volumePairUUID: string;
}

function parseVolumeKey(text: string): VolumeKey | undefined {
  const raw = decodeKey(text);
  if (!raw) return undefined;
  if (typeof raw.mvip !== 'string' || !Number.isSafeInteger(raw.volumeID)) return undefined;
  if (typeof raw.volumeName !== 'string' || typeof raw.volumePairUUID !== 'string') return undefined;
  return raw as unknown as VolumeKey;
}

const invalidKey = (): SimError => new SimError('xInvalidPairingKey', 'The volume pairing key is not valid.');
const alreadyPaired = (volumeID: number): SimError => new SimError('xVolumeAlreadyPaired', `Volume ${volumeID} is already paired.`);

function newPairRecord(now: number, fields: Pick<VolumePairRecord, 'volumePairUUID' | 'mode'>): VolumePairRecord {
  return { ...fields, pauseLimit: PAUSE_LIMIT, remoteServiceID: randomInt(10, 100), pausedManual: false, resumeFrom: now };
}

function startVolumePairing({ world, cluster, params }: CallContext): Record<string, unknown> {
  const volumeID = params.int('volumeID');
  const mode = params.optEnum('mode', REPLICATION_MODES, world.behaviour.modeCaseInsensitive);
  const volume = liveVolume(cluster, volumeID);
  if (volume.pair) throw alreadyPaired(volumeID);
  if (mode !== undefined && volume.access === 'replicationTarget' && world.behaviour.startVolumePairingModeOnTarget === 'reject') {
    throw new SimError(world.behaviour.errorNames.notSourceVolume, 'The mode can only be set on the source volume.');
  }
  volume.pair = newPairRecord(world.now(), { volumePairUUID: newUuid(), mode: mode ?? 'Async' });
  cluster.paired.add(volumeID);
  const volumePairingKey = encodeKey({
    mvip: world.mvipOf(cluster),
    volumeID,
    volumeName: volume.name,
    volumePairUUID: volume.pair.volumePairUUID,
  });
  return { volumePairingKey };
}

function completeVolumePairing({ world, cluster, params }: CallContext): Record<string, unknown> {
  const volumeID = params.int('volumeID');
  const text = params.string('volumePairingKey');
  const volume = liveVolume(cluster, volumeID);
  const key = parseVolumeKey(text);
  if (!key) throw invalidKey();
  const localClusterPair = connectedPairWithMvip(world, cluster, key.mvip);
  if (!localClusterPair) throw new SimError('xMVIPNotPaired', `The cluster is not paired with MVIP ${key.mvip}.`);
  const source = world.clusterByMvip(key.mvip)!;
  const sourceVolume = source.volumes.get(key.volumeID);
  const sourcePair = sourceVolume?.pair;
  if (!sourceVolume || sourceVolume.deleteTime !== '' || !sourcePair || sourcePair.remote || sourcePair.volumePairUUID !== key.volumePairUUID) {
    throw invalidKey();
  }
  if (volume.pair) throw alreadyPaired(volumeID);
  const remoteClusterPair = world.clusterPairByUuid(source, localClusterPair.clusterPairUUID);
  if (!remoteClusterPair) throw invalidKey();
  const now = world.now();
  sourcePair.remote = {
    clusterName: cluster.name,
    clusterPairUUID: localClusterPair.clusterPairUUID,
    clusterPairID: remoteClusterPair.clusterPairID,
    volumeID,
    volumeName: volume.name,
  };
  sourcePair.resumeFrom = now;
  // The lag before the first sync counts from the pairing (replication.ts).
  sourcePair.lastSyncAt = now;
  volume.pair = newPairRecord(now, { volumePairUUID: sourcePair.volumePairUUID, mode: sourcePair.mode });
  volume.pair.lastSyncAt = now;
  volume.pair.remote = {
    clusterName: source.name,
    clusterPairUUID: localClusterPair.clusterPairUUID,
    clusterPairID: localClusterPair.clusterPairID,
    volumeID: sourceVolume.volumeID,
    volumeName: sourceVolume.name,
  };
  cluster.paired.add(volumeID);
  return {};
}

function listActivePairedVolumes({ world, cluster, params }: CallContext): Record<string, unknown> {
  const startVolumeID = params.optInt('startVolumeID') ?? 0;
  const limit = params.optInt('limit') ?? world.behaviour.activePairedVolumesDefaultLimit;
  const ids = [...cluster.paired].filter((id) => id >= startVolumeID).sort((a, b) => a - b);
  const volumes: Array<Record<string, unknown>> = [];
  for (const id of ids) {
    if (volumes.length >= limit) break;
    const volume = cluster.volumes.get(id);
    if (volume && volume.deleteTime === '') volumes.push(renderVolume(world, cluster, volume));
  }
  return { volumes };
}

function modifyVolumePair({ world, cluster, params }: CallContext): Record<string, unknown> {
  const volumeID = params.int('volumeID');
  const pausedManual = params.optBool('pausedManual');
  const mode = params.optEnum('mode', REPLICATION_MODES, world.behaviour.modeCaseInsensitive);
  const pauseLimit = params.optInt('pauseLimit');
  const volume = liveVolume(cluster, volumeID);
  const { behaviour } = world;
  if (!volume.pair) {
    if (behaviour.modifyVolumePairOnUnpaired === 'accept') return {};
    throw new SimError(behaviour.errorNames.volumeNotPaired, `Volume ${volumeID} is not paired.`);
  }
  if (volume.access === 'replicationTarget' && behaviour.modifyVolumePairOnTarget === 'reject') {
    throw new SimError(behaviour.errorNames.notSourceVolume, 'ModifyVolumePair must be called on the source volume.');
  }
  const partnerPair = world.partnerOf(volume)?.volume.pair;
  const sides = partnerPair ? [volume.pair, partnerPair] : [volume.pair];
  const done = beginChange(world, cluster, volume);
  for (const side of sides) {
    if (mode !== undefined) side.mode = mode;
    if (pauseLimit !== undefined) side.pauseLimit = pauseLimit;
    // Resuming clears a pause (and a latched size mismatch) from either side; pausing marks the
    // side it was called on.
    if (pausedManual === false) {
      side.pausedManual = false;
      side.sizeMismatchLatched = false;
    }
  }
  if (pausedManual === true) volume.pair.pausedManual = true;
  done();
  return {};
}

function removeVolumePair({ world, cluster, params }: CallContext): Record<string, unknown> {
  const volumeID = params.int('volumeID');
  const volume = anyVolume(cluster, volumeID);
  if (!volume.pair) {
    if (world.behaviour.removeVolumePairOnUnpaired === 'accept') return {};
    throw new SimError(world.behaviour.errorNames.volumeNotPaired, `Volume ${volumeID} is not paired.`);
  }
  // One-sided: the partner keeps its record and reads StoppedMisconfigured.
  settle(world, cluster, volume);
  delete volume.pair;
  cluster.paired.delete(volumeID);
  return {};
}

export const volumePairMethods: MethodTable = {
  StartVolumePairing: { since: '6.0', mutating: true, handler: startVolumePairing },
  CompleteVolumePairing: { since: '6.0', mutating: true, handler: completeVolumePairing },
  ListActivePairedVolumes: { since: '6.0', mutating: false, handler: listActivePairedVolumes },
  ModifyVolumePair: { since: '6.0', mutating: true, handler: modifyVolumePair },
  RemoveVolumePair: { since: '6.0', mutating: true, handler: removeVolumePair },
};
