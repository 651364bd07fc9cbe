// The shape every part of the planner returns before it is turned into status and conditions.
import type {
  ObservedVolume,
  ObservedVolumePair,
  PairingIntent,
  PlanInput,
  PlannedEvent,
  RequeueHint,
  Side,
  Step,
  VolumePairSpecView,
  VolumePairView,
} from './types.ts';

export interface ConditionSpec {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
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
  stalled?: { reason: string; message: string };
  degraded?: { reason: string; message: string };
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
  spec: VolumePairSpecView;
  /** Manage on both the VolumePair and its ClusterPair. */
  manage: boolean;
  intent: PairingIntent | undefined;
}

export const NONE: Step = { kind: 'none' };

export const unknownUpToDate = (message: string): ConditionSpec => ({ status: 'Unknown', reason: 'NotObserved', message });

/** A finding that waits for a human: nothing is mutated, observation goes on at the poll. */
export function stalledVerdict(ctx: Ctx, reason: string, message: string, observation: Observation = {}): Verdict {
  return {
    step: NONE,
    ready: { status: 'False', reason, message },
    stalled: { reason, message },
    upToDate: unknownUpToDate('not compared while stalled'),
    events: [],
    requeue: 'poll',
    intent: ctx.intent,
    observation,
  };
}

/** Nothing to do until something outside changes (a ClusterPair, a cluster coming back). */
export function waitingVerdict(
  ctx: Ctx,
  reason: string,
  message: string,
  requeue: RequeueHint,
  observation: Observation = {},
): Verdict {
  return {
    step: NONE,
    ready: { status: 'False', reason, message },
    upToDate: unknownUpToDate(message),
    events: [],
    requeue,
    intent: ctx.intent,
    observation,
  };
}
