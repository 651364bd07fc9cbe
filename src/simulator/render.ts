// Wire shapes of Volume, PairedCluster and Account objects (element-api.md §2, F4/F5/F9). UUID
// fields are always valid UUIDs or null, access and protection schemes always canonical.
import { iqn, scsiEUIDeviceID, scsiNAADeviceID } from './identity.ts';
import type { AccountRecord, ClusterPairRecord, ClusterRecord, VolumeRecord } from './model.ts';
import { clusterPairConnection, volumePairState } from './pair-state.ts';
import type { SimWorld } from './world.ts';

const QOS_CURVE = {
  '1048576': 15000, '131072': 1950, '16384': 270, '262144': 3900, '32768': 500,
  '4096': 100, '524288': 7600, '65536': 1000, '8192': 160,
} as const;

export function renderClusterPair(world: SimWorld, cluster: ClusterRecord, pair: ClusterPairRecord): Record<string, unknown> {
  const { status } = clusterPairConnection(world, cluster, pair);
  const peer = pair.peer ? world.clusters.get(pair.peer.clusterName) : undefined;
  const rendered: Record<string, unknown> = {
    clusterName: pair.peer?.clusterName ?? '',
    clusterPairID: pair.clusterPairID,
    clusterPairUUID: pair.clusterPairUUID,
    clusterUUID: peer?.uniqueID ?? '',
    latency: status === 'Connected' ? 1 : 0,
    mvip: peer ? world.mvipOf(peer) : '',
    status,
    version: peer?.elementVersion ?? '',
  };
  // Older releases: an integer (old docs example 5487) or no member at all (8.6 fixtures).
  const form = world.behaviour.clusterPairClusterUUID;
  if (form === 'absent') delete rendered.clusterUUID;
  if (form === 'integer') rendered.clusterUUID = peer ? integerClusterUUID(peer.uuid) : 0;
  return rendered;
}

/** A stable small integer per cluster, derived from its UUID (what it meant on old releases is unknown). */
export const integerClusterUUID = (uuid: string): number => parseInt(uuid.replace(/-/g, '').slice(0, 4), 16) % 10000;

function renderVolumePairs(world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord): Array<Record<string, unknown>> {
  const pair = volume.pair;
  if (!pair) return [];
  const view = volumePairState(world, cluster, volume);
  const remote = pair.remote;
  // The remote name is the "last-observed" one: follow renames while the partner exists.
  const remoteName = remote ? (world.partnerOf(volume)?.volume.name ?? remote.volumeName) : '';
  return [
    {
      clusterPairID: remote?.clusterPairID ?? 0,
      remoteReplication: {
        mode: pair.mode,
        pauseLimit: pair.pauseLimit,
        remoteServiceID: pair.remoteServiceID,
        resumeDetails: '',
        snapshotReplication: { state: view.snapshotState, stateDetails: '' },
        state: view.state,
        stateDetails: '',
      },
      remoteSliceID: remote?.volumeID ?? 0,
      remoteVolumeID: remote?.volumeID ?? 0,
      remoteVolumeName: remoteName,
      volumePairUUID: pair.volumePairUUID,
    },
  ];
}

export function renderVolume(world: SimWorld, cluster: ClusterRecord, volume: VolumeRecord): Record<string, unknown> {
  return {
    access: volume.access,
    accountID: volume.accountID,
    attributes: volume.attributes,
    blockSize: 4096,
    createTime: volume.createTime,
    currentProtectionScheme: 'doubleHelix',
    deleteTime: volume.deleteTime,
    enable512e: volume.enable512e,
    enableSnapMirrorReplication: false,
    fifoSize: volume.fifoSize,
    iqn: iqn(cluster.uniqueID, volume.name, volume.volumeID),
    lastAccessTime: volume.lastAccessTime,
    lastAccessTimeIO: volume.lastAccessTimeIO,
    minFifoSize: volume.minFifoSize,
    name: volume.name,
    previousProtectionScheme: null,
    purgeTime: volume.purgeTime,
    qos: { ...volume.qos, curve: { ...QOS_CURVE } },
    qosPolicyID: volume.qosPolicyID,
    scsiEUIDeviceID: scsiEUIDeviceID(cluster.uniqueID, volume.volumeID),
    scsiNAADeviceID: scsiNAADeviceID(cluster.uniqueID, volume.volumeID),
    sliceCount: 1,
    status: volume.deleteTime === '' ? 'active' : 'deleted',
    totalSize: volume.totalSize,
    virtualVolumeID: null,
    volumeAccessGroups: [],
    volumeConsistencyGroupUUID: volume.volumeConsistencyGroupUUID,
    volumeID: volume.volumeID,
    volumePairs: renderVolumePairs(world, cluster, volume),
    volumeUUID: volume.volumeUUID,
  };
}

export function renderAccount(cluster: ClusterRecord, account: AccountRecord): Record<string, unknown> {
  const volumes: number[] = [];
  for (const volume of cluster.volumes.values()) if (volume.accountID === account.accountID) volumes.push(volume.volumeID);
  return {
    accountID: account.accountID,
    attributes: account.attributes,
    enableChap: true,
    initiatorSecret: account.initiatorSecret,
    status: 'active',
    storageContainerID: '00000000-0000-0000-0000-000000000000',
    targetSecret: account.targetSecret,
    username: account.username,
    volumes,
  };
}
