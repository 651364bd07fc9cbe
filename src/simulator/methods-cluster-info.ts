// Cluster identity methods: GetClusterInfo, GetClusterVersionInfo, GetLimits (element-api.md §2.6).
import type { CallContext, MethodTable } from './method-types.ts';
import { MVIP_HOST } from './world.ts';

function getClusterInfo({ world, cluster }: CallContext): Record<string, unknown> {
  const clusterInfo: Record<string, unknown> = {
    attributes: {},
    defaultProtectionScheme: 'doubleHelix',
    enabledProtectionSchemes: ['doubleHelix'],
    encryptionAtRestState: 'disabled',
    ensemble: [MVIP_HOST],
    mvip: world.mvipOf(cluster),
    mvipInterface: 'team1G',
    mvipNodeID: 1,
    mvipVlanTag: '0',
    name: cluster.name,
    repCount: 2,
    softwareEncryptionAtRestState: 'disabled',
    supportedProtectionSchemes: ['doubleHelix'],
    svip: MVIP_HOST,
    svipInterface: 'team10G',
    svipNodeID: 1,
    svipVlanTag: '0',
    uniqueID: cluster.uniqueID,
    uuid: cluster.uuid,
  };
  // Switch clusterInfoUuid: releases without the member exist, which ones is unknown.
  if (world.behaviour.clusterInfoUuid === 'absent') delete clusterInfo.uuid;
  return { clusterInfo };
}

function getClusterVersionInfo({ cluster }: CallContext): Record<string, unknown> {
  return {
    clusterAPIVersion: cluster.apiVersion,
    clusterVersion: cluster.elementVersion,
    clusterVersionInfo: [{ nodeID: 1, nodeInternalRevision: cluster.elementVersion, nodeVersion: cluster.elementVersion }],
    pendingClusterVersion: cluster.elementVersion,
    softwareVersionInfo: {
      currentVersion: cluster.elementVersion,
      nodeID: 0,
      packageName: '',
      pendingVersion: cluster.elementVersion,
      startTime: '',
    },
  };
}

function getLimits({ world }: CallContext): Record<string, unknown> {
  return {
    accountCountMax: 5000,
    accountNameLengthMax: 64,
    accountNameLengthMin: 1,
    bulkVolumeJobsPerNodeMax: 8,
    bulkVolumeJobsPerVolumeMax: 2,
    clusterPairsCountMax: world.behaviour.maxClusterPairs,
    initiatorNameLengthMax: 224,
    maxAuthSessionsForCluster: 1024,
    snapshotNameLengthMax: 255,
    snapshotsPerVolumeMax: 32,
    volumeAccessGroupCountMax: 1000,
    volumeBurstIOPSMax: 200000,
    volumeCountMax: 4000,
    volumeMaxIOPSMax: 200000,
    volumeMinIOPSMax: 15000,
    volumeMinIOPSMin: 50,
    volumeNameLengthMax: 64,
    volumeNameLengthMin: 1,
    volumeSizeMax: 17592186044416,
    volumeSizeMin: 1000000000,
    volumesPerAccountCountMax: 2000,
  };
}

export const clusterInfoMethods: MethodTable = {
  GetClusterInfo: { since: '1.0', mutating: false, handler: getClusterInfo },
  GetClusterVersionInfo: { since: '1.0', mutating: false, handler: getClusterVersionInfo },
  GetLimits: { since: '1.0', mutating: false, handler: getLimits },
};
