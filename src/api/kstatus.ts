// What kstatus (sigs.k8s.io/cli-utils; Flux health checks, `kubectl wait`-style tools) reads from
// our status, as data: every Ready reason of every kind maps to exactly one reading (DESIGN §9).
// kstatus rules (cli-utils v0.37, checked against live objects by test/kstatus.test.ts):
// observedGeneration behind metadata.generation → InProgress; Reconciling=True → InProgress;
// Stalled=True → Failed; otherwise Ready decides: True → Current, False → InProgress. So a
// resource that is neither Reconciling nor Stalled but not Ready (Degraded, Disconnected,
// paused) reads InProgress: Flux `wait` waits on it until its timeout, never Failed, because
// such a fault may heal by itself. Degraded itself is not read (alerts and Argo CD report it). Pure.
import type { ConditionInput } from './conditions.ts';
import {
  ClusterPairReadyReason,
  ElementClusterReadyReason,
  StalledReason,
  VolumePairReadyReason,
} from './conditions.ts';
import type { Kind } from './group.ts';

/**
 * Reconciling: work in progress; Stalled: a human must act; Current: Ready=True; Neither: not
 * Ready, yet nothing in progress and nothing stalled (degraded, disconnected, paused).
 */
export type KstatusReading = 'Reconciling' | 'Stalled' | 'Current' | 'Neither';

/** Stalled reasons that stand on Ready when a pair kind stalls (not the Stalled=False ones). */
type StallingReason = Exclude<StalledReason, 'NotStalled' | 'ReconcilePaused'>;

const STALLED_ON_READY = Object.fromEntries(
  Object.values(StalledReason)
    .filter((r) => r !== StalledReason.NotStalled && r !== StalledReason.ReconcilePaused)
    .map((r) => [r, 'Stalled']),
) as Record<StallingReason, 'Stalled'>;

/** Ready reasons every kind shares (Deleting, ReconcilePaused, InvalidSpec). */
const COMMON = {
  Deleting: 'Reconciling',
  ReconcilePaused: 'Neither',
  InvalidSpec: 'Stalled',
} as const satisfies Record<string, KstatusReading>;

/**
 * Ready reason → kstatus reading, per kind. The Record types make the compiler demand every
 * catalogue reason; a unit test checks the same at run time. Ready=True reasons read Current.
 */
export const READY_REASON_KSTATUS: {
  readonly ElementCluster: Readonly<Record<ElementClusterReadyReason, KstatusReading>>;
  readonly ClusterPair: Readonly<Record<ClusterPairReadyReason | StallingReason, KstatusReading>>;
  readonly VolumePair: Readonly<Record<VolumePairReadyReason | StallingReason, KstatusReading>>;
} = {
  ElementCluster: {
    ...COMMON,
    Connected: 'Current',
    // Retried (backoff, poll, or a watched Secret changing): these may heal on their own, or by a
    // manifest applied in the same sync (a Secret, a RoleBinding).
    AuthFailed: 'Reconciling',
    Unreachable: 'Reconciling',
    TLSError: 'Reconciling',
    SecretNotFound: 'Reconciling',
    SecretForbidden: 'Reconciling',
    // Nothing changes until a human edits the Secret's allow-list, the spec, or deletes a duplicate.
    SecretNotAllowed: 'Stalled',
    IdentityMismatch: 'Stalled',
    DuplicateCluster: 'Stalled',
    UnsupportedVersion: 'Stalled',
    // Deletion waits for the ClusterPairs that use it.
    InUse: 'Reconciling',
  },
  ClusterPair: {
    ...STALLED_ON_READY,
    ...COMMON,
    Paired: 'Current',
    ClusterNotReady: 'Reconciling',
    Pairing: 'Reconciling',
    Connecting: 'Reconciling',
    // Degraded=True (reason Disconnected or RepairRequired): the operator cannot make progress by itself.
    Disconnected: 'Neither',
    InUse: 'Reconciling',
    Drifted: 'Neither',
  },
  VolumePair: {
    ...STALLED_ON_READY,
    ...COMMON,
    Active: 'Current',
    Paused: 'Current',
    ClusterPairNotReady: 'Reconciling',
    Pairing: 'Reconciling',
    Syncing: 'Reconciling',
    Degraded: 'Neither',
    Drifted: 'Neither',
    // Waits for a pause to end, Active, lag 0 or a grown volume: may come by itself or by a host stopping writes.
    SwitchoverPending: 'Reconciling',
    Switching: 'Reconciling',
    // Degraded=True FailedOver: the old site is lost; nothing to do until it comes back.
    FailedOver: 'Neither',
  },
};

/** Every reason a kind's Ready condition can carry: its catalogue, plus the Stalled reasons on the pair kinds. */
export function readyReasons(kind: Kind): readonly string[] {
  const stalling = Object.keys(STALLED_ON_READY);
  if (kind === 'ElementCluster') return Object.values(ElementClusterReadyReason);
  if (kind === 'ClusterPair') return [...new Set([...Object.values(ClusterPairReadyReason), ...stalling])];
  return [...new Set([...Object.values(VolumePairReadyReason), ...stalling])];
}

/** The reading of a Ready condition. Ready=True is Current; an unknown reason counts as work in progress (never claims done). */
export function kstatusReading(kind: Kind, ready: Pick<ConditionInput, 'status' | 'reason'>): KstatusReading {
  if (ready.status === 'True') return 'Current';
  const table: Readonly<Record<string, KstatusReading>> = READY_REASON_KSTATUS[kind];
  return table[ready.reason] ?? 'Reconciling';
}

/** Reconciling from Ready: True with Ready's reason and message while work is in progress. */
export function reconcilingCondition(kind: Kind, ready: Pick<ConditionInput, 'status' | 'reason' | 'message'>): ConditionInput {
  const reading = kstatusReading(kind, ready);
  if (reading === 'Reconciling') return { type: 'Reconciling', status: 'True', reason: ready.reason, message: ready.message };
  const why = reading === 'Stalled' ? 'stalled: a human must act (see Stalled)' : ready.status === 'True' ? 'the spec is reached' : `nothing in progress (Ready reason ${ready.reason})`;
  return { type: 'Reconciling', status: 'False', reason: 'NotReconciling', message: why };
}

/** A paused resource is neither Reconciling nor Stalled (kstatus reads its Ready=False as InProgress). */
export function pausedKstatusConditions(message: string): [ConditionInput, ConditionInput] {
  return [
    { type: 'Reconciling', status: 'False', reason: 'ReconcilePaused', message },
    { type: 'Stalled', status: 'False', reason: 'ReconcilePaused', message },
  ];
}
