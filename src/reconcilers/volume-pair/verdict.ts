// The shape every part of the planner returns before it is turned into status and conditions.
import type { DegradedReason, StalledReason } from '../../api/index.ts';
import type {
  ObservedVolume,
  ObservedVolumePair,
  PairingIntent,
  PlanInput,
  PlannedEvent,
  Reason,
  RequeueHint,
  Side,
  Step,
  VolumePairView,
} from './types.ts';

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

export interface Verdict {
  step: Step;
  ready: ConditionSpec;
  stalled?: { reason: StalledReason; message: string };
  degraded?: { reason: DegradedReason; message: string };
  upToDate: ConditionSpec;
  events: PlannedEvent[];
  requeue: RequeueHint;
  /** The intent status should carry after this step. */
  intent: PairingIntent | undefined;
  observation: Observation;
}

export interface Ctx {
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
export function stalledVerdict(ctx: Ctx, reason: StalledReason, message: string, observation: Observation = {}): Verdict {
  return {
    step: NONE,
    ready: { status: 'False', reason, message },
    stalled: { reason, message },
    upToDate: unknownUpToDate(reason, 'not compared while stalled'),
    events: [],
    requeue: 'poll',
    intent: ctx.intent,
    observation,
  };
}

/** Nothing to do until something outside changes (a ClusterPair, a cluster coming back). */
export function waitingVerdict(
  ctx: Ctx,
  reason: Reason,
  message: string,
  requeue: RequeueHint,
  observation: Observation = {},
): Verdict {
  return {
    step: NONE,
    ready: { status: 'False', reason, message },
    upToDate: unknownUpToDate(reason, message),
    events: [],
    requeue,
    intent: ctx.intent,
    observation,
  };
}
