// Steps 7 and 8: an established pair links exactly our volumes. Its direction first
// (plan-direction.ts), then finish the bookkeeping of a pairing we made, then converge mode, pause
// and sizes.
import type { PairAnalysis, Roles } from './plan-attribution.ts';
import { stateOf } from './plan-attribution.ts';
import { sizeAwareHealth, sizeFix } from './plan-growth.ts';
import { assessHealth, MANUAL_PAUSE } from './plan-health.ts';
import type { PlannedEvent, Step } from './plan-types.ts';
import type { ConditionSpec, Facts, Observation, Decision } from './plan-decision.ts';
import { NONE } from './plan-decision.ts';
import { planDirection } from './plan-direction.ts';
import type { PairView } from './plan-direction.ts';
import { EventReason } from '../../api/event-reasons.ts';

type Exact = Extract<PairAnalysis, { kind: 'exact' }>;

function sameMode(observed: string | undefined, desired: string): boolean {
  // Element accepts modes case-insensitively and echoes them canonically.
  return observed !== undefined && observed.toLowerCase() === desired.toLowerCase();
}

function bookkeeping(facts: Facts, uuid: string): { step: Step; events: PlannedEvent[] } {
  const events: PlannedEvent[] = [];
  if (facts.vp.status.volumePairUUID !== uuid) {
    events.push(
      facts.intent !== undefined
        ? { type: 'Normal', reason: EventReason.VolumePairingCompleted, message: `volume pair ${uuid} established` }
        : { type: 'Normal', reason: EventReason.AdoptedExistingPair, message: `adopted existing volume pair ${uuid}` },
    );
  }
  // The pair is verified on both sides: the key is spent, then the intent is done.
  if (facts.input.keySecretExists) return { step: { kind: 'deleteKeySecret', why: 'verified' }, events };
  if (facts.intent !== undefined) return { step: { kind: 'clearIntent' }, events };
  return { step: NONE, events };
}

/**
 * The direction first (switchover, failover, resync: plan-direction.ts); once Element's direction
 * agrees with the spec, mode, pause and sizes converge.
 */
export function planConverged(facts: Facts, roles: Roles, exact: Exact): Decision {
  const { source, target, sourceSide } = roles;
  const pair: PairView = {
    uuid: exact.uuid,
    volumes: sourceSide === 'A' ? { A: source, B: target } : { A: target, B: source },
    halves: sourceSide === 'A' ? { A: exact.sourcePair, B: exact.targetPair } : { A: exact.targetPair, B: exact.sourcePair },
  };
  const direction = planDirection(facts, pair);
  if (direction.kind === 'decided' && direction.decision.ready.reason === 'SwitchoverPending') {
    // While a switchover waits, the current direction still converges: resuming a pause nobody
    // asked for (or growing a volume) is what lets the switchover go on.
    const current = direction.decision.observation.sourceSide ?? sourceSide;
    const fix = convergeSpec(facts, rolesOf(pair, current), current === sourceSide ? exact : flipped(exact));
    if (fix.step.kind !== 'none' && fix.step.kind !== 'deleteKeySecret' && fix.step.kind !== 'clearIntent') {
      return { ...direction.decision, step: fix.step, stepEvents: fix.stepEvents ?? [], requeue: 'immediate' };
    }
  }
  if (direction.kind === 'decided') {
    // The bookkeeping of our own pairing (key, intent) never waits for a switchover.
    const book = bookkeeping(facts, exact.uuid);
    if (book.step.kind === 'none' || direction.decision.step.kind !== 'none') return direction.decision;
    return { ...direction.decision, step: book.step, intent: book.step.kind === 'clearIntent' ? undefined : facts.intent, statusEvents: [...direction.decision.statusEvents, ...book.events], requeue: 'immediate' };
  }
  const decision = convergeSpec(facts, roles, exact);
  return {
    ...decision,
    primarySide: direction.primarySide,
    ...(direction.switchover === undefined ? {} : { switchover: direction.switchover }),
    statusEvents: [...decision.statusEvents, ...direction.events],
  };
}

function rolesOf(pair: PairView, sourceSide: 'A' | 'B'): Roles {
  const targetSide = sourceSide === 'A' ? 'B' : 'A';
  return { source: pair.volumes[sourceSide], target: pair.volumes[targetSide], sourceSide, targetSide };
}

const flipped = (exact: Exact): Exact => ({ ...exact, sourcePair: exact.targetPair, targetPair: exact.sourcePair });

function convergeSpec(facts: Facts, roles: Roles, exact: Exact): Decision {
  const { source, target, sourceSide, targetSide } = roles;
  const spec = facts.spec;
  const observation: Observation = {
    volumes: sourceSide === 'A' ? { A: source, B: target } : { A: target, B: source },
    sourceSide,
    pair: {
      uuid: exact.uuid,
      A: sourceSide === 'A' ? exact.sourcePair : exact.targetPair,
      B: sourceSide === 'A' ? exact.targetPair : exact.sourcePair,
    },
  };
  const book = bookkeeping(facts, exact.uuid);
  const intent = book.step.kind === 'clearIntent' ? undefined : facts.intent;
  const base = { statusEvents: book.events, intent, observation };
  const stepOr = (fallback: Step): Step => (book.step.kind === 'none' ? fallback : book.step);
  const requeueFor = (step: Step, otherwise: Decision['requeue']): Decision['requeue'] =>
    step.kind === 'none' ? otherwise : 'immediate';

  const sState = stateOf(exact.sourcePair);
  const tState = stateOf(exact.targetPair);
  const health = sizeAwareHealth(assessHealth(sState, tState, spec.paused), spec, roles);
  const drift: string[] = [];
  let fix: Step = NONE;
  let fixEvent: PlannedEvent | undefined;
  // Sizes first: nothing replicates while the target is too small.
  const size = sizeFix(spec, roles, [sState, tState]);
  if (size !== undefined) {
    drift.push(size.drift);
    fix = size.step;
    fixEvent = size.event;
  }
  const sMode = exact.sourcePair.remoteReplication?.mode ?? undefined;
  if (!sameMode(sMode, spec.mode)) {
    drift.push(`mode is ${sMode ?? 'unknown'}, spec says ${spec.mode}`);
    if (fix.kind === 'none') {
      fix = {
        kind: 'modifyVolumePair', side: sourceSide, volumeID: source.volumeID, change: { mode: spec.mode },
      };
      fixEvent = { type: 'Normal', reason: EventReason.ModeChanged, message: `replication mode set to ${spec.mode}` };
    }
  }
  // Pause state is invisible behind a fault state; converge it once the fault clears.
  if (health.kind === 'active' || health.kind === 'syncing') {
    if (spec.paused && sState !== MANUAL_PAUSE && tState !== MANUAL_PAUSE) {
      drift.push('replication is running, spec says paused');
      if (fix.kind === 'none') {
        fix = {
          kind: 'modifyVolumePair', side: sourceSide, volumeID: source.volumeID, change: { pausedManual: true },
        };
        fixEvent = { type: 'Normal', reason: EventReason.ReplicationPaused, message: 'replication paused' };
      }
    }
  }
  if (health.kind === 'unrequestedPause') {
    const onSource = health.side === 'source';
    drift.push(`replication is paused manually on the ${health.side}, spec says running`);
    if (fix.kind === 'none') {
      fix = {
        kind: 'modifyVolumePair',
        side: onSource ? sourceSide : targetSide,
        volumeID: onSource ? source.volumeID : target.volumeID,
        change: { pausedManual: false },
      };
      fixEvent = { type: 'Normal', reason: EventReason.ReplicationResumed, message: 'replication resumed' };
    }
  }
  const driftMessage = drift.join('; ');

  if (facts.manage && fix.kind !== 'none') {
    const step = stepOr(fix);
    return {
      ...base,
      step,
      // The fix's Event only when the fix is the step (bookkeeping goes first).
      stepEvents: step === fix && fixEvent !== undefined ? [fixEvent] : [],
      ready: { status: 'False', reason: 'Syncing', message: `applying the spec: ${driftMessage}` },
      upToDate: { status: 'False', reason: 'Drifted', message: driftMessage },
      requeue: 'immediate',
    };
  }
  const upToDate: ConditionSpec =
    drift.length === 0
      ? { status: 'True', reason: 'InSync', message: 'Element matches the spec' }
      : { status: 'False', reason: 'Drifted', message: `${driftMessage} (observing only)` };
  const step = book.step;
  switch (health.kind) {
    case 'active':
      return { ...base, step, upToDate, ready: { status: 'True', reason: 'Active', message: `replication ${health.state}` }, requeue: requeueFor(step, 'poll') };
    case 'paused':
      return { ...base, step, upToDate, ready: { status: 'True', reason: 'Paused', message: health.message ?? 'replication paused as requested' }, requeue: requeueFor(step, 'poll') };
    case 'syncing':
      return { ...base, step, upToDate, ready: { status: 'False', reason: 'Syncing', message: `replication state ${health.state}` }, requeue: requeueFor(step, 'soon') };
    case 'unrequestedPause': {
      const message = `replication paused manually on the ${health.side} without being requested`;
      return { ...base, step, upToDate, ready: { status: 'False', reason: 'Degraded', message }, degraded: { reason: 'Paused', message }, requeue: requeueFor(step, 'poll') };
    }
    case 'degraded':
      return { ...base, step, upToDate, ready: { status: 'False', reason: 'Degraded', message: health.message }, degraded: { reason: health.reason, message: health.message }, requeue: requeueFor(step, 'poll') };
  }
}
