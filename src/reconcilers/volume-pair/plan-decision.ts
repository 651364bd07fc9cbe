// The decision every part of the VolumePair planner returns, before plan.ts turns it into the
// plan (status, conditions, Events), and the facts every part decides from.
import type { DegradedReason, Incident, StalledReason, VolumePairSwitchover } from '../../api/index.ts';
import type {
  ObservedVolume,
  ObservedVolumePair,
  PairingIntent,
  PlanInput,
  PlannedEvent,
  Reason,
  Requeue,
  Side,
  Step,
  VolumePairView,
} from './plan-types.ts';

export interface ConditionSpec {
  status: 'True' | 'False' | 'Unknown';
  reason: Reason;
  message: string;
}

/** What was seen on Element, for status. Absent parts keep the previous status values. */
export interface Observation {
  volumes?: { A: ObservedVolume; B: ObservedVolume };
  sourceSide?: Side;
  /** The established pair linking our two volumes. */
  pair?: { uuid: string; A: ObservedVolumePair; B: ObservedVolumePair };
}

export interface Decision {
  step: Step;
  ready: ConditionSpec;
  stalled?: { reason: StalledReason; message: string };
  degraded?: { reason: DegradedReason; message: string };
  upToDate: ConditionSpec;
  /** Tied to what the status records: emitted after the status write. */
  statusEvents: PlannedEvent[];
  /** Tied to the step: emitted only after it ran. */
  stepEvents?: PlannedEvent[];
  requeue: Requeue;
  /** The intent status should carry after this step. */
  intent: PairingIntent | undefined;
  /** The incident status should carry (undefined: none, or it is over). */
  incident?: Incident;
  /** The switchover intent status should carry: absent keeps the recorded one, null clears it. */
  switchover?: VolumePairSwitchover | null;
  /** The direction to record in status.primarySide (absent: keep the recorded one). */
  primarySide?: Side;
  observation: Observation;
}

export interface Facts {
  input: PlanInput;
  vp: VolumePairView;
  spec: VolumePairView['spec'];
  /** Manage on both the VolumePair and its ClusterPair. */
  manage: boolean;
  intent: PairingIntent | undefined;
}

export const NONE: Step = { kind: 'none' };

/** UpToDate cannot be judged; it carries the reason that prevents it. */
export const unknownUpToDate = (reason: Reason, message: string): ConditionSpec => ({ status: 'Unknown', reason, message });

/** A finding that waits for a human: nothing is mutated, observation goes on at the poll. */
export function stalledDecision(facts: Facts, reason: StalledReason, message: string, observation: Observation = {}): Decision {
  return {
    step: NONE,
    ready: { status: 'False', reason, message },
    stalled: { reason, message },
    upToDate: unknownUpToDate(reason, 'not compared while stalled'),
    statusEvents: [],
    requeue: 'poll',
    intent: facts.intent,
    observation,
  };
}

/** Nothing to do until something outside changes (a ClusterPair, a cluster coming back). */
export function waitingDecision(
  facts: Facts,
  reason: Reason,
  message: string,
  requeue: Requeue,
  observation: Observation = {},
): Decision {
  return {
    step: NONE,
    ready: { status: 'False', reason, message },
    upToDate: unknownUpToDate(reason, message),
    statusEvents: [],
    requeue,
    intent: facts.intent,
    observation,
  };
}
