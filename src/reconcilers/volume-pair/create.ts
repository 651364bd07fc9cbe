// Step 6: no established pair links our volumes. Clean up what is provably ours, check safety,
// then walk intent → target access → Start (key stored at once) → Complete, one step a call.
import type { PairAnalysis, Roles } from './analyze.ts';
import { checkSource, checkTarget } from './safety.ts';
import type { PairingIntent, PlannedEvent, Step } from './types.ts';
import type { Ctx, Observation, Verdict } from './verdict.ts';
import { stalledVerdict, waitingVerdict } from './verdict.ts';

type NotExact = Exclude<PairAnalysis, { kind: 'exact' }>;

function observationOf(roles: Roles): Observation {
  const { source, target, sourceSide } = roles;
  return { volumes: sourceSide === 'A' ? { A: source, B: target } : { A: target, B: source }, sourceSide };
}

function intentFor(ctx: Ctx, roles: Roles): PairingIntent {
  return {
    phase: 'Starting',
    startedAt: ctx.input.now,
    sourceSide: roles.sourceSide,
    sourceVolumeID: roles.source.volumeID,
  };
}

function sameIntent(a: PairingIntent | undefined, b: PairingIntent): boolean {
  return a !== undefined && a.sourceSide === b.sourceSide && a.sourceVolumeID === b.sourceVolumeID;
}

function pairingStep(ctx: Ctx, roles: Roles, step: Step, message: string, intent = ctx.intent, events: PlannedEvent[] = []): Verdict {
  return {
    step,
    ready: { status: 'False', reason: 'Pairing', message },
    upToDate: { status: 'False', reason: 'Pairing', message: 'the volume pair does not exist yet' },
    events,
    requeue: 'immediate',
    intent,
    observation: observationOf(roles),
  };
}

/** Target access first (a pair completed onto a read/write volume sits PausedMisconfigured). */
function prepareTargetOr(ctx: Ctx, roles: Roles, next: Step, message: string, intent = ctx.intent): Verdict {
  const { target, targetSide } = roles;
  if (target.access !== 'replicationTarget') {
    const step: Step = { kind: 'modifyVolumeAccess', side: targetSide, volumeID: target.volumeID, access: 'replicationTarget' };
    return pairingStep(ctx, roles, step, `making volume ${target.volumeID} (side ${targetSide}) a replicationTarget`, intent);
  }
  return pairingStep(ctx, roles, next, message, intent);
}

function safetyBlock(ctx: Ctx, roles: Roles): Verdict | undefined {
  const blocker = checkSource(roles.source) ?? checkTarget(roles.source, roles.target, ctx.spec.targetPolicy);
  return blocker === undefined ? undefined : stalledVerdict(ctx, blocker.reason, blocker.message, observationOf(roles));
}

export function planCreation(ctx: Ctx, roles: Roles, analysis: NotExact): Verdict {
  const observation = observationOf(roles);
  const cp = ctx.input.clusterPair;
  switch (analysis.kind) {
    case 'settling':
      return waitingVerdict(ctx, 'Pairing', analysis.message, 'soon', observation);
    case 'unattributable':
      return waitingVerdict(ctx, 'ClusterPairNotReady', analysis.message, 'poll', observation);
    case 'blocked':
      if (!ctx.manage) return observeOnly(ctx, analysis.message, observation);
      return stalledVerdict(ctx, analysis.reason, analysis.message, observation);
  }
  if (!ctx.manage) {
    return observeOnly(ctx, `no volume pair links volume ${roles.source.volumeID} and volume ${roles.target.volumeID}`, observation);
  }
  if (cp === undefined || !cp.paired || !cp.connected) {
    const state = cp === undefined ? 'not found' : !cp.paired ? 'not paired' : 'not connected';
    return waitingVerdict(ctx, 'ClusterPairNotReady', `ClusterPair ${ctx.spec.clusterPairRef} is ${state}`, cp?.paired ? 'soon' : 'poll', observation);
  }
  const { source, sourceSide, target, targetSide } = roles;
  switch (analysis.kind) {
    case 'remove': {
      const restart = analysis.why === 'ownPending';
      const event: PlannedEvent = restart
        ? { type: 'Normal', reason: 'PairingRestarted', message: analysis.message }
        : { type: 'Normal', reason: 'LeftoverPairRemoved', message: analysis.message };
      const step: Step = { kind: 'removeVolumePair', side: analysis.side, volumeID: analysis.volumeID, volumePairUUID: analysis.uuid, why: analysis.why, event };
      return pairingStep(ctx, roles, step, analysis.message);
    }
    case 'ownPending': {
      if (!ctx.input.keySecretExists) {
        // The key was lost before it was stored (or discarded after a failed Complete): a new
        // key needs a new pending pair, so remove ours and start again.
        const message = `pending pair on volume ${source.volumeID} has no usable key; starting again`;
        const step: Step = {
          kind: 'removeVolumePair', side: sourceSide, volumeID: source.volumeID, volumePairUUID: analysis.pair.volumePairUUID,
          why: 'ownPending', event: { type: 'Normal', reason: 'PairingRestarted', message },
        };
        return pairingStep(ctx, roles, step, message);
      }
      const blocked = safetyBlock(ctx, roles);
      if (blocked !== undefined) return blocked;
      const complete: Step = { kind: 'completeVolumePairing', side: targetSide, volumeID: target.volumeID };
      // The key is stored: from here on a Complete may have run.
      const completing = ctx.intent === undefined ? undefined : { ...ctx.intent, phase: 'Completing' as const };
      return prepareTargetOr(ctx, roles, complete, `completing the pairing on volume ${target.volumeID} (side ${targetSide})`, completing);
    }
    case 'clean': {
      if (ctx.input.keySecretExists) {
        // Its pending pair is gone: a key is never used twice.
        return pairingStep(ctx, roles, { kind: 'deleteKeySecret', why: 'stale' }, 'discarding a pairing key whose pending pair is gone');
      }
      const blocked = safetyBlock(ctx, roles);
      if (blocked !== undefined) return blocked;
      const intent = intentFor(ctx, roles);
      if (!sameIntent(ctx.intent, intent)) {
        return pairingStep(ctx, roles, { kind: 'writeIntent', intent }, 'recording the pairing intent', intent);
      }
      const start: Step = { kind: 'startVolumePairing', side: sourceSide, volumeID: source.volumeID, mode: ctx.spec.mode };
      return prepareTargetOr(ctx, roles, start, `starting the pairing on volume ${source.volumeID} (side ${sourceSide})`);
    }
  }
}

function observeOnly(ctx: Ctx, message: string, observation: Observation): Verdict {
  return {
    step: { kind: 'none' },
    ready: { status: 'False', reason: 'Drifted', message: `${message} (observing only)` },
    upToDate: { status: 'False', reason: 'Drifted', message: `${message} (observing only)` },
    events: [],
    requeue: 'poll',
    intent: ctx.intent,
    observation,
  };
}
