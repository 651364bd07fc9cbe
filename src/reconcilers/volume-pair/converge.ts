// Steps 7 and 8: an established pair links exactly our volumes. Finish the bookkeeping of a
// pairing we made, then converge mode and pause; report (never repair) a flipped direction.
import type { PairAnalysis, Roles } from './analyze.ts';
import { stateOf } from './analyze.ts';
import { assessHealth, MANUAL_PAUSE } from './health.ts';
import type { PlannedEvent, Step } from './types.ts';
import type { ConditionSpec, Ctx, Observation, Verdict } from './verdict.ts';
import { NONE } from './verdict.ts';

type Exact = Extract<PairAnalysis, { kind: 'exact' }>;

function sameMode(observed: string | undefined, desired: string): boolean {
  // Element accepts modes case-insensitively and echoes them canonically.
  return observed !== undefined && observed.toLowerCase() === desired.toLowerCase();
}

function bookkeeping(ctx: Ctx, uuid: string): { step: Step; events: PlannedEvent[] } {
  const events: PlannedEvent[] = [];
  if (ctx.vp.status.volumePairUUID !== uuid) {
    events.push(
      ctx.intent !== undefined
        ? { type: 'Normal', reason: 'VolumePairingCompleted', message: `volume pair ${uuid} established` }
        : { type: 'Normal', reason: 'AdoptedExistingPair', message: `adopted existing volume pair ${uuid}` },
    );
  }
  // The pair is verified on both sides: the key is spent, then the intent is done.
  if (ctx.input.keySecretExists) return { step: { kind: 'deleteKeySecret', why: 'verified' }, events };
  if (ctx.intent !== undefined) return { step: { kind: 'clearIntent' }, events };
  return { step: NONE, events };
}

export function planConverged(ctx: Ctx, roles: Roles, exact: Exact): Verdict {
  const { source, target, sourceSide, targetSide } = roles;
  const spec = ctx.spec;
  const observation: Observation = {
    volumes: sourceSide === 'A' ? { A: source, B: target } : { A: target, B: source },
    sourceSide,
    pair: {
      uuid: exact.uuid,
      A: sourceSide === 'A' ? exact.sourcePair : exact.targetPair,
      B: sourceSide === 'A' ? exact.targetPair : exact.sourcePair,
    },
  };
  const book = bookkeeping(ctx, exact.uuid);
  const intent = book.step.kind === 'clearIntent' ? undefined : ctx.intent;
  const base = { events: book.events, intent, observation };
  const stepOr = (fallback: Step): Step => (book.step.kind === 'none' ? fallback : book.step);
  const requeueFor = (step: Step, otherwise: Verdict['requeue']): Verdict['requeue'] =>
    step.kind === 'none' ? otherwise : 'immediate';

  if (source.access !== 'readWrite' || target.access !== 'replicationTarget') {
    const message =
      `direction differs from primarySide ${sourceSide}: volume ${source.volumeID} (side ${sourceSide}) is ${source.access}, ` +
      `volume ${target.volumeID} (side ${targetSide}) is ${target.access}; the operator does not flip access back`;
    return {
      ...base,
      step: book.step,
      ready: { status: 'False', reason: 'Degraded', message },
      degraded: { reason: 'DirectionMismatch', message },
      upToDate: { status: 'False', reason: 'Drifted', message },
      requeue: requeueFor(book.step, 'poll'),
    };
  }

  const sState = stateOf(exact.sourcePair);
  const tState = stateOf(exact.targetPair);
  const health = assessHealth(sState, tState, spec.paused);
  const drift: string[] = [];
  let fix: Step = NONE;
  const sMode = exact.sourcePair.remoteReplication?.mode ?? undefined;
  if (!sameMode(sMode, spec.mode)) {
    drift.push(`mode is ${sMode ?? 'unknown'}, spec says ${spec.mode}`);
    fix = {
      kind: 'modifyVolumePair', side: sourceSide, volumeID: source.volumeID, change: { mode: spec.mode },
      event: { type: 'Normal', reason: 'ModeChanged', message: `replication mode set to ${spec.mode}` },
    };
  }
  // Pause state is invisible behind a fault state; converge it once the fault clears.
  if (health.kind === 'active' || health.kind === 'syncing') {
    if (spec.paused && sState !== MANUAL_PAUSE && tState !== MANUAL_PAUSE) {
      drift.push('replication is running, spec says paused');
      if (fix.kind === 'none') {
        fix = {
          kind: 'modifyVolumePair', side: sourceSide, volumeID: source.volumeID, change: { pausedManual: true },
          event: { type: 'Normal', reason: 'ReplicationPaused', message: 'replication paused' },
        };
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
        event: { type: 'Normal', reason: 'ReplicationResumed', message: 'replication resumed' },
      };
    }
  }
  const driftMessage = drift.join('; ');

  if (ctx.manage && fix.kind !== 'none') {
    const step = stepOr(fix);
    return {
      ...base,
      step,
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
      return { ...base, step, upToDate, ready: { status: 'True', reason: 'Paused', message: 'replication paused as requested' }, requeue: requeueFor(step, 'poll') };
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
