// The Event-reason catalogue (DESIGN §4: stable UpperCamelCase reasons, sparingly), beside the
// condition catalogue. Findings are announced with the reason of the condition they set (a Warning
// when Stalled or Degraded turns True, or an ElementCluster's Ready reason changes): those come
// from conditions.ts. Reasons are stable API: alerting and `kubectl get events` filters use them.
import type { ConditionReason } from './conditions.ts';

export const EventReason = {
  /** Warning: the step of a reconcile failed; the message names the step and the safe error. */
  StepFailed: 'StepFailed',
  /** Warning: the finalizer was dropped without Element calls (elementrepl.io/force-delete). */
  ForceDeleted: 'ForceDeleted',
  /** ElementCluster: the MVIP answered as the recorded cluster. */
  Connected: 'Connected',
  /** ClusterPair: an existing pair was adopted. */
  Adopted: 'Adopted',
  /** ClusterPair: StartClusterPairing/CompleteClusterPairing made the pair. */
  Paired: 'Paired',
  /** ClusterPair: a pending cluster pair (ours by intent, or approved) was removed. */
  PendingPairRemoved: 'PendingPairRemoved',
  /** ClusterPair: a half left by a one-sided removal was removed to pair again. */
  Repaired: 'Repaired',
  /** VolumePair: an existing volume pair was adopted. */
  AdoptedExistingPair: 'AdoptedExistingPair',
  /** VolumePair: StartVolumePairing/CompleteVolumePairing made the pair. */
  VolumePairingCompleted: 'VolumePairingCompleted',
  /** VolumePair: our pending pair was removed to start again with a new key. */
  PairingRestarted: 'PairingRestarted',
  /** VolumePair: a one-sided leftover of our pair was removed. */
  LeftoverPairRemoved: 'LeftoverPairRemoved',
  /** VolumePair: ModifyVolumePair set the mode of spec.mode. */
  ModeChanged: 'ModeChanged',
  /** VolumePair: replication paused as spec.paused asks. */
  ReplicationPaused: 'ReplicationPaused',
  /** VolumePair: replication resumed (spec.paused false, or an unrequested manual pause undone). */
  ReplicationResumed: 'ReplicationResumed',
  /** Warning, VolumePair: the replication lag rose above --lag-warning-threshold. */
  ReplicationLagging: 'ReplicationLagging',
  /** VolumePair: the replication lag is back under --lag-warning-threshold. */
  ReplicationCaughtUp: 'ReplicationCaughtUp',
  /** VolumePair: the target was grown to the source's size (targetSizePolicy: Grow); the message has both sizes. */
  TargetGrown: 'TargetGrown',
  /** VolumePair: a planned switchover (or a forced failover) ended Active in the new direction. */
  SwitchedOver: 'SwitchedOver',
  /** Warning, VolumePair: a forced failover promoted the new primary; the old one could not be demoted. */
  FailedOver: 'FailedOver',
  /** VolumePair: an approved resync demoted the volume written since the split; replication resumes from the primary. */
  Resynced: 'Resynced',
  /** VolumePair: RemoveVolumePair on deletion. */
  VolumePairRemoved: 'VolumePairRemoved',
} as const;
export type EventReason = (typeof EventReason)[keyof typeof EventReason];

/** Every reason an Event of the operator may carry: the catalogue above and the condition reasons. */
export type AnyEventReason = EventReason | ConditionReason;
