// The simulator's stored state. Everything time-dependent is kept as timestamps and turned into
// Element states only when read (pair-state.ts), so idle pairs cost nothing.
import type { Pem } from '../pki/certs.ts';
import { apiVersionOf, newUniqueID, newUuid } from './identity.ts';

export const VOLUME_ACCESS = ['readOnly', 'readWrite', 'locked', 'replicationTarget', 'snapMirrorTarget'] as const;
export type VolumeAccess = (typeof VOLUME_ACCESS)[number];
export const REPLICATION_MODES = ['Async', 'Sync', 'SnapshotsOnly'] as const;
export type ReplicationMode = (typeof REPLICATION_MODES)[number];

export interface Qos {
  minIOPS: number;
  maxIOPS: number;
  burstIOPS: number;
  burstTime: number;
}

export interface AccountRecord {
  accountID: number;
  username: string;
  initiatorSecret: string;
  targetSecret: string;
  attributes: Record<string, unknown>;
}

/** The remote half of a completed volume pair, as seen from this side. */
export interface VolumePairRemote {
  clusterName: string;
  clusterPairUUID: string;
  /** This cluster's clusterPairID at completion (kept even if the cluster pair is later removed). */
  clusterPairID: number;
  volumeID: number;
  volumeName: string;
}

export interface VolumePairRecord {
  volumePairUUID: string;
  mode: ReplicationMode;
  pauseLimit: number;
  remoteServiceID: number;
  /** Absent while pending (Unconfigured, source side only). */
  remote?: VolumePairRemote;
  pausedManual: boolean;
  /** When an event last cleared every static blocker; the Resuming* phase starts here. */
  resumeFrom: number;
  /** When the pair last finished a sync, stamped when replication stops (replication.ts). */
  lastSyncAt?: number;
  /** Set when the source outgrew its target; with resumeAfterTargetGrows=manual only a resume clears it. */
  sizeMismatchLatched?: boolean;
}

export interface VolumeRecord {
  volumeID: number;
  name: string;
  accountID: number;
  totalSize: number;
  enable512e: boolean;
  access: VolumeAccess;
  attributes: Record<string, unknown>;
  qos: Qos;
  qosPolicyID: number | null;
  fifoSize: number;
  minFifoSize: number;
  createTime: string;
  deleteTime: string;
  purgeTime: string;
  volumeUUID: string;
  volumeConsistencyGroupUUID: string;
  lastAccessTime: string | null;
  lastAccessTimeIO: string | null;
  pair?: VolumePairRecord;
  /** Steady replication lag of this volume as a source while Active, set by the admin API (ms). */
  steadyLagMs?: number;
  /** Simulated data: the last write this volume holds ("CLUSTER/volumeID/n"), replicated source → target. */
  dataVersion?: string | null;
  /** Writes made on this volume through the admin I/O endpoint. */
  writeCount?: number;
  /** An iSCSI session is open (simulated I/O opened it); a demotion ends it. */
  sessionOpen?: boolean;
  /** iSCSI sessions ended by changing this volume to replicationTarget or locked. */
  sessionsEnded?: number;
}

/** One ModifyVolume access change, for the admin API's history (never two writers, DR drills). */
export interface AccessChange {
  /** Order across all clusters (timestamps can tie). */
  seq: number;
  time: string;
  cluster: string;
  volumeID: number;
  from: VolumeAccess;
  to: VolumeAccess;
  /** iSCSI sessions this change ended (0 or 1 in the simulator). */
  sessionsEnded: number;
}

export interface ClusterPairRecord {
  clusterPairID: number;
  clusterPairUUID: string;
  /** Set once the pairing completed on either side. */
  peer?: { clusterName: string; completedAt: number };
  /** Credentials carried by the key while pending (originating side only). */
  pairing?: { username: string; password: string; rpcConnectionID: number };
}

export interface ClusterRecord {
  name: string;
  uniqueID: string;
  uuid: string;
  elementVersion: string;
  apiVersion: string;
  port: number;
  cert: Pem;
  nextClusterPairID: number;
  nextVolumeID: number;
  nextAccountID: number;
  accounts: Map<number, AccountRecord>;
  volumes: Map<number, VolumeRecord>;
  clusterPairs: Map<number, ClusterPairRecord>;
  /** IDs of volumes with a pair record (pending or not): ListActivePairedVolumes is O(paired). */
  paired: Set<number>;
}

export const DEFAULT_ELEMENT_VERSION = '12.5.0.897';
export const DEFAULT_QOS: Qos = { minIOPS: 50, maxIOPS: 15000, burstIOPS: 15000, burstTime: 60 };
export const MIB = 1024 * 1024;
export const roundUpToMiB = (bytes: number): number => Math.ceil(bytes / MIB) * MIB;

/**
 * `index` staggers the ID counters (cluster pairs 1, 11, 21…; volumes 1, 101, 201…) so the two
 * sides of a pair never share an ID by accident and a client that mixes local and remote IDs fails.
 */
export function newClusterRecord(name: string, elementVersion: string, port: number, cert: Pem, index = 0): ClusterRecord {
  return {
    name,
    uniqueID: newUniqueID(),
    uuid: newUuid(),
    elementVersion,
    apiVersion: apiVersionOf(elementVersion),
    port,
    cert,
    nextClusterPairID: 1 + 10 * index,
    nextVolumeID: 1 + 100 * index,
    nextAccountID: 1,
    accounts: new Map(),
    volumes: new Map(),
    clusterPairs: new Map(),
    paired: new Set(),
  };
}

/** Clears a cluster's objects but keeps identity, port, certificate and ID counters (IDs are never reused). */
export function clearClusterObjects(cluster: ClusterRecord): void {
  cluster.accounts.clear();
  cluster.volumes.clear();
  cluster.clusterPairs.clear();
  cluster.paired.clear();
}

export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
