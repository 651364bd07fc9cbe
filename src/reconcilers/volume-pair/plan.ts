// The VolumePair planner: pure, synchronous, deterministic (time comes in as `now`). Given what
// the shell observed, it picks the single next step and the status to write (DESIGN §3).
import { PAUSED_ANNOTATION } from '../../api/index.ts';
import { planDeletion } from './delete.ts';
import { planLive } from './live.ts';
import { buildStatus, transitionEvents, withConditions } from './status.ts';
import type { Plan, PlanInput, Step } from './types.ts';
import type { Ctx } from './verdict.ts';

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

/** `elementrepl.io/paused: "true"`: no step at all. Only Ready changes; the rest is the last observation. */
function pausedPlan(ctx: Ctx): Plan {
  const prev = ctx.vp.status;
  const message = `reconciling is paused by annotation ${PAUSED_ANNOTATION}: "true"; status shows the last observation`;
  const conditions = withConditions(prev.conditions, { Ready: { status: 'False', reason: 'ReconcilePaused', message } }, prev.observedGeneration, ctx.input.now);
  return { step: { kind: 'none' }, status: { ...prev, conditions }, events: [], requeue: 'poll' };
}

export function planVolumePair(input: PlanInput): Plan {
  const ctx = contextOf(input);
  const vp = ctx.vp;
  if (vp.annotations[PAUSED_ANNOTATION] === 'true') return pausedPlan(ctx);
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
