// The VolumePair planner: pure, synchronous, deterministic (time comes in as `now`). Given what
// the shell observed, it picks the single next step, the status to write, the Events, and when and
// how to look again (DESIGN §3). The shell decides nothing this file could decide.
import { PAUSED_ANNOTATION, pausedKstatusConditions } from '../../api/index.ts';
import type { VolumePairStatus } from '../../api/index.ts';
import { plan } from '../shell/plan.ts';
import type { Freshness } from '../shell/plan.ts';
import type { Decision, Facts } from './plan-decision.ts';
import { planDeletion } from './plan-delete.ts';
import { planLive } from './plan-live.ts';
import { currentLag, withReplicationHealth } from './plan-lag.ts';
import { buildStatus, transitionEvents, withConditions } from './plan-status.ts';
import type { PlanInput, Step, VolumePairPlan, VolumePairView } from './plan-types.ts';

function factsOf(input: PlanInput): Facts {
  const vp = input.volumePair;
  return {
    input,
    vp,
    spec: vp.spec,
    manage: vp.spec.managementPolicy === 'Manage' && input.clusterPair?.managementPolicy !== 'Observe',
    intent: vp.status.pairing,
  };
}

/**
 * `elementrepl.io/paused: "true"`: no step at all. Only Ready changes, and kstatus sees neither
 * Reconciling nor Stalled; the rest is the last observation.
 */
function pausedPlan(facts: Facts): VolumePairPlan {
  const prev = facts.vp.status;
  const message = `reconciling is paused by annotation ${PAUSED_ANNOTATION}: "true"; status shows the last observation`;
  const [reconciling, stalled] = pausedKstatusConditions(message);
  const desired = { Ready: { status: 'False', reason: 'ReconcilePaused', message }, Stalled: stalled, Reconciling: reconciling } as const;
  const conditions = withConditions(prev.conditions, desired, prev.observedGeneration, facts.input.now);
  // Element is not asked: the lag grows from the last known sync, as in an outage.
  const replicationLag = prev.volumePairUUID === undefined ? undefined : currentLag({ lastKnownSync: facts.input.replication?.lastKnownSync }, prev.lastSyncTime, facts.input.now);
  return { ...plan({ step: { kind: 'none' }, status: { ...prev, conditions }, requeue: 'poll' }), replicationLag };
}

/** Ready reasons of states the planner looks at again within seconds. */
const MOVING = new Set(['Pairing', 'Syncing', 'Switching', 'Deleting']);

/**
 * Transitional resources are looked at again within seconds, so the lists they read must be that
 * young. Stalled or Degraded ones wait for the poll like healthy ones: a cluster outage that
 * degrades every pair must not turn into a list call per pair.
 */
function nextObservation(vp: VolumePairView, status: VolumePairStatus): Freshness {
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  const moving = vp.deleting || status.pairing !== undefined || ready === undefined || (ready.status !== 'True' && MOVING.has(ready.reason));
  return moving ? 'recent' : 'poll';
}

/**
 * A step that puts Element back to a spec it already matched: a one-sided leftover removed, or
 * mode/pause changed while the spec was unchanged since Element last matched it.
 */
function correctsDrift(vp: VolumePairView, step: Step): boolean {
  if (step.kind === 'removeVolumePair') return step.why === 'leftover' || step.why === 'repair';
  if (step.kind !== 'modifyVolumePair') return false;
  const upToDate = vp.status.conditions?.find((c) => c.type === 'UpToDate');
  return upToDate?.status === 'True' && upToDate.observedGeneration === vp.generation;
}

function decide(facts: Facts): Decision {
  const { vp } = facts;
  const decision = vp.deleting ? planDeletion(facts) : planLive(facts);
  if (vp.deleting || vp.hasFinalizer) return decision;
  // The finalizer goes on before any Element mutation, so nothing we create can be orphaned.
  return { ...decision, step: { kind: 'addFinalizer' }, stepEvents: [], intent: facts.intent, requeue: 'immediate' };
}

export function planVolumePair(input: PlanInput): VolumePairPlan {
  const facts = factsOf(input);
  const { vp } = facts;
  if (vp.annotations[PAUSED_ANNOTATION] === 'true') return pausedPlan(facts);
  const decision = decide(facts);
  const health = withReplicationHealth(vp.status, buildStatus(facts, decision, decision.intent), input, vp.deleting);
  const { status } = health;
  const { step } = decision;
  const planned = plan({
    step,
    status,
    statusEvents: [...transitionEvents(vp.status, decision), ...decision.statusEvents, ...health.events],
    stepEvents: decision.stepEvents ?? [],
    requeue: decision.requeue,
    nextObservation: nextObservation(vp, status),
    // Never remove a pair, make a volume a replicationTarget (which ends its iSCSI sessions), nor
    // grow a volume (which cannot be undone), on the strength of a cached list: read both volumes
    // now and decide again.
    replanOnFreshLists:
      step.kind === 'removeVolumePair' || step.kind === 'growVolume' || (step.kind === 'modifyVolumeAccess' && step.access === 'replicationTarget'),
    correctsDrift: correctsDrift(vp, step),
  });
  return { ...planned, replicationLag: health.lag };
}
