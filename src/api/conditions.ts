// The condition catalogue of DESIGN.md §2 and pure helpers over metav1.Condition lists.
// Types and reasons are stable API (automation switches on them); messages are free text.
import { z } from 'zod';
import { withCrd } from './crd-meta.ts';
import { Timestamp, kubeTime } from './common.ts';

export const ConditionType = {
  Ready: 'Ready',
  /** kstatus: True while the resource works toward its spec (src/api/kstatus.ts). */
  Reconciling: 'Reconciling',
  Stalled: 'Stalled',
  Degraded: 'Degraded',
  UpToDate: 'UpToDate',
  TLSVerified: 'TLSVerified',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const ConditionStatus = z
  .enum(['True', 'False', 'Unknown'])
  .describe('Status of the condition: True, False or Unknown.');
export type ConditionStatus = z.infer<typeof ConditionStatus>;

/** Reasons shared by the Ready condition of every kind. */
const commonReadyReasons = {
  Deleting: 'Deleting',
  ReconcilePaused: 'ReconcilePaused',
  /** The schema cannot read the stored spec (shell/invalid-spec.ts); Stalled=True with the same reason. */
  InvalidSpec: 'InvalidSpec',
} as const;

export const ElementClusterReadyReason = {
  ...commonReadyReasons,
  Connected: 'Connected',
  AuthFailed: 'AuthFailed',
  Unreachable: 'Unreachable',
  TLSError: 'TLSError',
  SecretNotFound: 'SecretNotFound',
  SecretForbidden: 'SecretForbidden',
  /** The credentials Secret does not list spec.mvip in `elementrepl.io/allowed-mvips`: nothing is sent. */
  SecretNotAllowed: 'SecretNotAllowed',
  IdentityMismatch: 'IdentityMismatch',
  /** Another, older ElementCluster already stands for the same Element cluster (clusterUniqueID). */
  DuplicateCluster: 'DuplicateCluster',
  UnsupportedVersion: 'UnsupportedVersion',
  InUse: 'InUse',
} as const;
export type ElementClusterReadyReason = (typeof ElementClusterReadyReason)[keyof typeof ElementClusterReadyReason];

export const ClusterPairReadyReason = {
  ...commonReadyReasons,
  Paired: 'Paired',
  ClusterNotReady: 'ClusterNotReady',
  Pairing: 'Pairing',
  Connecting: 'Connecting',
  Disconnected: 'Disconnected',
  InUse: 'InUse',
  /** Observe: Element has no pair and the operator does not create one (UpToDate=False says the same). */
  Drifted: 'Drifted',
} as const;
export type ClusterPairReadyReason = (typeof ClusterPairReadyReason)[keyof typeof ClusterPairReadyReason];

export const VolumePairReadyReason = {
  ...commonReadyReasons,
  /** Ready=True: replicating, state Active. */
  Active: 'Active',
  /** Ready=True: paused because spec.paused asks for it (state PausedManual). */
  Paused: 'Paused',
  ClusterPairNotReady: 'ClusterPairNotReady',
  Pairing: 'Pairing',
  /** Resuming* states. */
  Syncing: 'Syncing',
  Degraded: 'Degraded',
  /** Observe: Element does not match the spec and the operator does not change it. */
  Drifted: 'Drifted',
  /** DESIGN §8: a switchover is asked for and waits for its preconditions (pause, Active, lag 0, sizes). */
  SwitchoverPending: 'SwitchoverPending',
  /** DESIGN §8: demoting the old primary, promoting the new one, or waiting for Active in the new direction. */
  Switching: 'Switching',
  /** DESIGN §8: a forced failover promoted the new primary; the old one could not be demoted (its cluster does not answer). */
  FailedOver: 'FailedOver',
} as const;
export type VolumePairReadyReason = (typeof VolumePairReadyReason)[keyof typeof VolumePairReadyReason];

export const StalledReason = {
  /** Stalled=False. */
  NotStalled: 'NotStalled',
  /** Stalled=False: the paused annotation holds everything back (a paused resource is never Stalled for kstatus). */
  ReconcilePaused: 'ReconcilePaused',
  InvalidSpec: 'InvalidSpec',
  UnexplainedPendingPair: 'UnexplainedPendingPair',
  VolumeAlreadyPaired: 'VolumeAlreadyPaired',
  TargetInUse: 'TargetInUse',
  TargetTooSmall: 'TargetTooSmall',
  /** VolumePair: the target's 512e setting (enable512e) differs from the source's; no volume can change it. */
  BlockSizeMismatch: 'BlockSizeMismatch',
  PairLimitReached: 'PairLimitReached',
  SameCluster: 'SameCluster',
  VersionSkew: 'VersionSkew',
  Conflict: 'Conflict',
  NamespaceNotAllowed: 'NamespaceNotAllowed',
  /** VolumePair: a volume belongs to an Element account the namespace may not use (ClusterPair namespaceAccounts). */
  AccountNotAllowed: 'AccountNotAllowed',
  /** VolumePair: the pair exists already and the ClusterPair does not allow adopting it (volumePairPolicy.adoptExisting). */
  AdoptionNotAllowed: 'AdoptionNotAllowed',
  /** VolumePair: the target became writable after it was paired (a manual cutover); overwriting it needs the approval annotation. */
  ResyncRequired: 'ResyncRequired',
  /** VolumePair: a planned switchover of a SnapshotsOnly pair (the target holds only replicated snapshots); use failover: Forced. */
  SwitchoverUnsafe: 'SwitchoverUnsafe',
  /** ClusterPair: Element lists a pair whose remote cluster neither a uniqueID nor an MVIP identifies. */
  PairIdentityUnknown: 'PairIdentityUnknown',
} as const;
export type StalledReason = (typeof StalledReason)[keyof typeof StalledReason];

export const DegradedReason = {
  /** Degraded=False. */
  NotDegraded: 'NotDegraded',
  PausedDisconnected: 'PausedDisconnected',
  StoppedMisconfigured: 'StoppedMisconfigured',
  PausedVolumeSizeMismatch: 'PausedVolumeSizeMismatch',
  PausedMisconfigured: 'PausedMisconfigured',
  DirectionMismatch: 'DirectionMismatch',
  /** VolumePair: a forced failover promoted the new primary while the old one could not be demoted. */
  FailedOver: 'FailedOver',
  /** ClusterPair: the pair was re-created and its volume pairs need `elementrepl.io/allow-repair`. */
  RepairRequired: 'RepairRequired',
  /** Any other Paused* state; the message names it. */
  Paused: 'Paused',
  /** ClusterPair: at least one side lists the pair as Misconfigured, Disconnected or Unknown (or lost its half). */
  Disconnected: 'Disconnected',
} as const;
export type DegradedReason = (typeof DegradedReason)[keyof typeof DegradedReason];

/**
 * Reconciling=True carries the Ready reason of the work in progress (Pairing, Syncing, …; the
 * table READY_REASON_KSTATUS in kstatus.ts says which); these are the reasons of Reconciling=False.
 */
export const ReconcilingReason = {
  /** Reconciling=False: Ready, stalled (see Stalled) or degraded (see Degraded): nothing in progress. */
  NotReconciling: 'NotReconciling',
  /** Reconciling=False and Stalled=False: the paused annotation holds everything back. */
  ReconcilePaused: 'ReconcilePaused',
} as const;
export type ReconcilingReason = (typeof ReconcilingReason)[keyof typeof ReconcilingReason];

export const UpToDateReason = {
  InSync: 'InSync',
  Drifted: 'Drifted',
} as const;
export type UpToDateReason = (typeof UpToDateReason)[keyof typeof UpToDateReason];

export const TLSVerifiedReason = {
  CAVerified: 'CAVerified',
  CertificatePinned: 'CertificatePinned',
  InsecureSkipVerify: 'InsecureSkipVerify',
} as const;
export type TLSVerifiedReason = (typeof TLSVerifiedReason)[keyof typeof TLSVerifiedReason];

export type ConditionReason =
  | ElementClusterReadyReason
  | ClusterPairReadyReason
  | VolumePairReadyReason
  | ReconcilingReason
  | StalledReason
  | DegradedReason
  | UpToDateReason
  | TLSVerifiedReason;

/** metav1.Condition, with the API server's own validation. */
export const Condition = z
  .object({
    type: z
      .string()
      .max(316)
      .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/)
      .describe('Type of the condition in CamelCase, e.g. Ready, Reconciling, Stalled, Degraded, UpToDate, TLSVerified.'),
    status: ConditionStatus,
    observedGeneration: z
      .int()
      .min(0)
      .optional()
      .describe('metadata.generation the condition was computed from.'),
    lastTransitionTime: Timestamp.describe('Last time the status of the condition changed.'),
    reason: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
      .describe('Machine-readable UpperCamelCase reason; stable API.'),
    message: z.string().max(32768).describe('Human-readable details; never contains keys or credentials.'),
  })
  .describe('A metav1.Condition.');
export type Condition = z.infer<typeof Condition>;

export const Conditions = withCrd(
  z.array(Condition).describe('Current state of the resource as metav1.Conditions, one per type.'),
  { listType: 'map', listMapKeys: ['type'] },
);

export type ConditionInput = {
  readonly type: ConditionType;
  readonly status: ConditionStatus;
  readonly reason: ConditionReason;
  readonly message: string;
};

/**
 * Returns a new list with `input` set. lastTransitionTime moves to `now` only when the status
 * changes (or the condition is new), as metav1 conventions require; the order is kept.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  generation: number | undefined,
  now: Date,
): Condition[] {
  const list = conditions ?? [];
  const previous = list.find((c) => c.type === input.type);
  const next: Condition = {
    type: input.type,
    status: input.status,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    lastTransitionTime:
      previous !== undefined && previous.status === input.status ? previous.lastTransitionTime : kubeTime(now),
    reason: input.reason,
    message: input.message,
  };
  if (previous === undefined) return [...list, next];
  return list.map((c) => (c.type === input.type ? next : c));
}

export function getCondition(conditions: readonly Condition[] | undefined, type: ConditionType): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: ConditionType): boolean {
  return getCondition(conditions, type)?.status === 'True';
}

export function removeCondition(conditions: readonly Condition[] | undefined, type: ConditionType): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
