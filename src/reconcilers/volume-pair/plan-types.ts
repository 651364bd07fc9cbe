// Inputs and outputs of the VolumePair planner (DESIGN §2 VolumePair, §3 VolumePair algorithm).
// These are planner-local views: the reconcile shell maps the CRD objects and Element results
// onto them, so the planner stays pure and its tests need no client or API server.

import type {
  ConditionReason,
  PrimarySide,
  ReplicationMode,
  VolumePairPairing,
  VolumePairSpec,
  VolumePairStatus,
  VolumePairSwitchover,
} from '../../api/index.ts';
import type { Plan, PlannedEvent, Requeue } from '../shell/plan.ts';

export type { PlannedEvent, Requeue };

export type { ReplicationMode };
export type Side = PrimarySide;

/** Write-ahead intent in status.pairing: Starting before StartVolumePairing, Completing once the key is stored. */
export type PairingIntent = VolumePairPairing;

export interface VolumePairView {
  namespace: string;
  name: string;
  generation: number;
  creationTimestamp: string;
  annotations: Readonly<Record<string, string>>;
  deleting: boolean;
  hasFinalizer: boolean;
  spec: VolumePairSpec;
  status: VolumePairStatus;
}

/** What the planner needs of the referenced ClusterPair (undefined in the input = not found). */
export interface ClusterPairView {
  /** Both clusters list the pair (status carries both clusterPairIDs). */
  paired: boolean;
  /** connectionStatus is Connected. */
  connected: boolean;
  /** Local clusterPairIDs on each side, when known. */
  clusterPairIDs?: { A: number; B: number };
  /** Absent: every namespace is allowed; empty: none (DESIGN §10). */
  allowedNamespaces?: readonly string[];
  /** When set, the Element accounts each listed namespace may name per side; other namespaces may name none. */
  namespaceAccounts?: readonly { namespace: string; accountsA: readonly number[]; accountsB: readonly number[] }[];
  /** What VolumePairs under this ClusterPair may do. */
  volumePairPolicy: { adoptExisting: boolean; allowOverwrite: boolean };
  managementPolicy: 'Manage' | 'Observe';
  /** `elementrepl.io/allow-repair: "true"` on the ClusterPair: re-pair volumes of a replaced cluster pair. */
  allowRepair: boolean;
}

/** Element's volume pair object (only the fields the planner reads). */
export interface ObservedVolumePair {
  clusterPairID: number;
  remoteVolumeID: number;
  volumePairUUID?: string | undefined;
  remoteReplication?: {
    mode?: string;
    state?: string;
    snapshotReplication?: { state?: string } | null;
  } | null;
}

/** Element's volume object (only the fields the planner reads). */
export interface ObservedVolume {
  volumeID: number;
  name: string;
  accountID: number;
  access: string;
  totalSize: number;
  enable512e: boolean;
  lastAccessTime?: string | null;
  status?: string;
  deleteTime?: string | null;
  volumePairs?: readonly ObservedVolumePair[] | null;
  /** Element listed `volumePairs: null`: the pairs are unknown, not absent. */
  volumePairsUnknown?: boolean;
}

/**
 * One side as the shell observed it: the ElementCluster could not be asked, or the volumes that
 * match the side's lookup (see `volumeLookup`) as currently listed.
 */
export type SideObservation =
  | { reachable: false; message: string }
  | { reachable: true; candidates: readonly ObservedVolume[] };

/** Another VolumePair that names a volume (by owned status ID or by spec ID). */
export interface Claim {
  /** namespace/name */
  key: string;
  creationTimestamp: string;
  elementCluster: string;
  volumeID: number;
  /** The claimant recorded this volume as owned in its status. */
  owned: boolean;
  /** The claimant's namespace may use the ClusterPair (claims from namespaces that may not count only once owned). */
  allowed: boolean;
}

/** Replication health read for the pair (DESIGN §9); every field may be missing. */
export interface ReplicationReading {
  /** The source's asyncDelay in seconds, when ListVolumeStats listed a readable value. */
  asyncDelaySeconds?: number;
  /** When that ListVolumeStats was sent (ISO, millisecond precision). */
  readAt?: string;
  /** The last sync this process computed: newer than status.lastSyncTime between status refreshes. */
  lastKnownSync?: string;
  /** The source's remote sync job, while one runs. */
  syncJob?: { percentComplete?: number; remainingSeconds?: number };
}

export interface PlanInput {
  now: string;
  volumePair: VolumePairView;
  clusterPair: ClusterPairView | undefined;
  sides: { A: SideObservation; B: SideObservation };
  /** Identity of the Element cluster behind each side (its clusterUniqueID, else the ElementCluster's name): claims key on it. */
  elementClusters: { A: string; B: string };
  /** Claims by other VolumePairs on the candidate volumes of both sides. */
  claims: readonly Claim[];
  /** The key Secret of this VolumePair exists. */
  keySecretExists: boolean;
  /** Lag and sync progress as read (absent: nothing read, e.g. in planner tests). */
  replication?: ReplicationReading;
  /** --lag-warning-threshold in seconds (default 300). */
  lagWarningThresholdSeconds?: number;
}


export type RemoveWhy = 'ownPending' | 'leftover' | 'approved' | 'repair' | 'deletion';

export type Step =
  | { kind: 'none' }
  | { kind: 'addFinalizer' }
  | { kind: 'dropFinalizer' }
  | { kind: 'writeIntent'; intent: PairingIntent }
  /** The switchover intent (status.switchover) is written before each ModifyVolume of a switchover. */
  | { kind: 'writeIntent'; switchover: VolumePairSwitchover }
  | { kind: 'clearIntent' }
  /** replicationTarget before pairing; the recorded previous access when a pairing is given up. */
  | { kind: 'modifyVolumeAccess'; side: Side; volumeID: number; access: string }
  /** The shell stores the returned key in the key Secret at once, before anything else. */
  | { kind: 'startVolumePairing'; side: Side; volumeID: number; mode: ReplicationMode }
  /** The shell reads the key from the key Secret; a failed Complete discards the key. */
  | { kind: 'completeVolumePairing'; side: Side; volumeID: number }
  | { kind: 'deleteKeySecret'; why: 'verified' | 'stale' | 'deleting' }
  | { kind: 'removeVolumePair'; side: Side; volumeID: number; volumePairUUID: string | undefined; why: RemoveWhy }
  /** ModifyVolume totalSize on the target (grow only; a whole number of MiB). */
  | { kind: 'growVolume'; side: Side; volumeID: number; totalSize: number }
  | {
      kind: 'modifyVolumePair';
      side: Side;
      volumeID: number;
      change: { mode: ReplicationMode } | { pausedManual: boolean };
    };

/** The VolumePair planner's result: the one plan shape of every kind, plus the lag for the metric. */
export type VolumePairPlan = Plan<Step, VolumePairStatus> & {
  /** The replication lag now (every poll; the status holds a throttled copy). Undefined: no pair, or no sync ever known. */
  replicationLag?: { lastSyncTime: string; seconds: number } | undefined;
};

/** Reasons the planner may put on the Ready, Stalled, Degraded and UpToDate conditions. */
export type Reason = ConditionReason;
