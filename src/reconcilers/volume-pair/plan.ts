// The VolumePair planner: pure, synchronous, deterministic (time comes in as `now`). Given what
// the shell observed, it picks the single next step and the status to write (DESIGN §3).
import { planDeletion } from './delete.ts';
import { planLive } from './live.ts';
import { mergeConditions, buildStatus, transitionEvents } from './status.ts';
import type { Condition, ConditionType, Plan, PlanInput, Step } from './types.ts';
import { ANNOTATION_PAUSED } from './types.ts';
import type { ConditionSpec, Ctx } from './verdict.ts';

function contextOf(input: PlanInput): Ctx {
  const vp = input.volumePair;
  return {
    input,
    vp,
    spec: vp.spec,
    manage: vp.spec.managementPolicy === 'Manage' && input.clusterPair?.managementPolicy !== 'Observe',
    intent: vp.status.pairing,
  };
}

/** `elementrepl.io/paused: "true"`: no step at all; status keeps what was last observed and says so. */
function pausedPlan(ctx: Ctx): Plan {
  const prev = ctx.vp.status;
  const generation = prev.observedGeneration ?? 0;
  const conditions = prev.conditions ?? [];
  const pick = (type: ConditionType): ConditionSpec | undefined => {
    const c = conditions.find((x) => x.type === type);
    return c === undefined ? undefined : { status: c.status, reason: c.reason, message: c.message };
  };
  const ready: ConditionSpec = {
    status: pick('Ready')?.status ?? 'Unknown',
    reason: 'ReconcilePaused',
    message: 'reconciling is paused by the elementrepl.io/paused annotation; status shows the last observation',
  };
  const keep = (type: ConditionType, fallback: ConditionSpec): ConditionSpec => pick(type) ?? fallback;
  const unknown: ConditionSpec = { status: 'Unknown', reason: 'ReconcilePaused', message: ready.message };
  const merged: Condition[] = mergeConditions(
    conditions,
    { Ready: ready, Stalled: keep('Stalled', unknown), Degraded: keep('Degraded', unknown), UpToDate: keep('UpToDate', unknown) },
    generation,
    ctx.input.now,
  );
  return { step: { kind: 'none' }, status: { ...prev, conditions: merged }, events: [], requeue: 'poll' };
}

export function planVolumePair(input: PlanInput): Plan {
  const ctx = contextOf(input);
  const vp = ctx.vp;
  if (vp.annotations[ANNOTATION_PAUSED] === 'true') return pausedPlan(ctx);
  const verdict = vp.deleting ? planDeletion(ctx) : planLive(ctx);
  let step: Step = verdict.step;
  let intent = verdict.intent;
  let requeue = verdict.requeue;
  if (!vp.deleting && !vp.hasFinalizer) {
    // The finalizer goes on before any Element mutation, so nothing we create can be orphaned.
    step = { kind: 'addFinalizer' };
    intent = ctx.intent;
    requeue = 'immediate';
  }
  return {
    step,
    status: buildStatus(ctx, verdict, intent),
    events: [...transitionEvents(vp.status, verdict), ...verdict.events],
    requeue,
  };
}
