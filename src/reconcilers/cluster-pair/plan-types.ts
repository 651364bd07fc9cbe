// Input and output of the ClusterPair planner (DESIGN §3, ClusterPair). Pure data: the I/O shell
// (reconcile.ts) builds a ClusterPairPlanInput from the API server and the observation cache,
// and applies the ClusterPairPlan it gets back. Only the fields the planner reads are modelled.
import type { ClusterView } from '../cluster-view.ts';
import type { Plan, PlannedEvent, Requeue } from '../shell/plan.ts';

export type { PlannedEvent, Requeue };
import type { ClusterPairPairing, ClusterPairStatus, Condition, ConditionInput, ConnectionStatus, Incident } from '../../api/index.ts';

export type { ConnectionStatus };
export type Side = 'A' | 'B';

/** One element of `ListClusterPairs.clusterPairs` (element-api §2.2), reduced to what we read. */
export interface ObservedClusterPair {
  clusterPairID: number;
  clusterPairUUID: string | null;
  /** On 12.x the remote cluster's uniqueID; integer or absent on old versions. */
  clusterUUID?: string | number | null;
  clusterName?: string;
  mvip?: string;
  status: string;
  latency?: number;
  version?: string;
}

/** A volume from `ListActivePairedVolumes`, reduced to what deletion and repair need. */
export interface ObservedPairedVolume {
  volumeID: number;
  name?: string;
  volumePairs: { clusterPairID: number }[];
  /** Element listed `volumePairs: null`: which pairs it has is unknown (it may be on ours). */
  pairsUnknown?: boolean;
}

/** What one Element cluster answered; `available: false` means it could not be listed. */
export type Listing<T> = { available: true; items: T[] } | { available: false; reason: string };

export type { ClusterView };

/**
 * Write-ahead intent kept in `status.pairing` while pairing (DESIGN §3, step 4): pending pairs on A
 * above `highestPairIDOnA` are ours. Phase Starting until the key is stored, then Completing.
 */
export type PairingIntent = ClusterPairPairing;

export interface SideStatus {
  clusterPairID: number;
  status: string;
  latencyMs?: number;
  remoteClusterName?: string;
  remoteMVIP?: string;
  remoteVersion?: string;
}

/** The part of a ClusterPair's status the planner reads back (its own earlier output). */
export type ObservedClusterPairStatus = Pick<ClusterPairStatus, 'clusterPairUUID' | 'sideA' | 'sideB' | 'connectionStatus' | 'pairing' | 'incident'> & {
  /** Only type, status and reason are read (to announce a new Stalled or Degraded finding once). */
  conditions?: readonly { type: string; status: string; reason: string }[];
};

export type DeletionPolicy = 'Delete' | 'Orphan';
export type ManagementPolicy = 'Manage' | 'Observe';

export interface ClusterPairView {
  name: string;
  /** metadata.uid: part of every incident token, so no other object's approval matches. */
  uid: string;
  generation: number;
  deletionPolicy: DeletionPolicy;
  managementPolicy: ManagementPolicy;
  annotations: Record<string, string>;
  deleting: boolean;
  hasFinalizer: boolean;
  status: ObservedClusterPairStatus;
}

/** The operator-owned key Secret of this ClusterPair: its annotations, never its data. */
export interface KeySecretView {
  clusterPairUUID?: string;
  /** The pending pair StartClusterPairing created on A. */
  clusterPairIDOnA?: number;
}

export interface ClusterPairPlanInput {
  pair: ClusterPairView;
  clusterA: ClusterView;
  clusterB: ClusterView;
  pairsOnA: Listing<ObservedClusterPair>;
  pairsOnB: Listing<ObservedClusterPair>;
  /** ListActivePairedVolumes per side; only read for deletion and one-sided repair. */
  volumesOnA: Listing<ObservedPairedVolume>;
  volumesOnB: Listing<ObservedPairedVolume>;
  /** Present when this ClusterPair's key Secret exists. */
  keySecret?: KeySecretView;
  /** `namespace/name` of VolumePairs whose clusterPairRef names this ClusterPair. */
  referencingVolumePairs: string[];
  /** Pending pairs that other ClusterPairs' key Secrets account for, per side (never ours to touch). */
  pendingOwnedElsewhere: { A: number[]; B: number[] };
  /** `GetLimits.clusterPairsCountMax` (4). */
  pairLimit: number;
  pollIntervalMs: number;
  /** RFC 3339 time of this reconcile. */
  now: string;
}

export type Step =
  | { kind: 'none' }
  | { kind: 'addFinalizer' }
  | { kind: 'dropFinalizer' }
  /** Persist `status.pairing` (the shell's status write is the step) before any Start. */
  | { kind: 'writeIntent'; intent: PairingIntent }
  /** StartClusterPairing on A and store the key in the key Secret at once, under A's pairing lock. */
  | { kind: 'startPairing' }
  /** CompleteClusterPairing on B with the key from the key Secret. */
  | { kind: 'completePairing'; clusterPairUUID: string }
  | { kind: 'deleteKeySecret' }
  /** Drop `status.pairing` (the status write is the step). */
  | { kind: 'clearIntent' }
  /** RemoveClusterPair of a pending (or unattributed one-sided) pair: ours by intent, or approved. */
  | { kind: 'removePendingPair'; side: Side; clusterPairID: number; attribution: 'ours' | 'approved' }
  /** RemoveClusterPair of our surviving half after the other side removed its half. */
  | { kind: 'removeHalf'; side: Side; clusterPairID: number }
  /** RemoveClusterPair on both sides (deletion); an absent ID means that half is already gone. */
  | { kind: 'removeBoth'; clusterPairIDs: { A?: number; B?: number } };
export type StepKind = Step['kind'];

/** Ready, Stalled, Degraded, UpToDate; reasons from the catalogue in src/api/conditions.ts. */
export type DesiredCondition = ConditionInput;

/** The status the shell writes (conditions get lastTransitionTime/observedGeneration there). */
export interface DesiredStatus {
  observedGeneration: number;
  clusterPairUUID?: string;
  sideA?: ObservedClusterPairStatus['sideA'];
  sideB?: ObservedClusterPairStatus['sideB'];
  connectionStatus?: ConnectionStatus;
  pairing?: PairingIntent;
  /** The UnexplainedPendingPair incident, while it lasts. */
  incident?: Incident;
  conditions: DesiredCondition[];
}

/** The ClusterPair planner's result: the one plan shape of every kind. */
export type ClusterPairPlan = Plan<Step, StoredStatus>;

/** The status as stored: conditions with their transition times. */
export type StoredStatus = ClusterPairStatus & { conditions: Condition[] };
