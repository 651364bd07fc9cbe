// Step 6: no established pair links our volumes. Clean up what is provably ours, check safety,
// then walk intent → target access → Start (key stored at once) → Complete, one step a call.
import type { PairAnalysis, Roles } from './plan-attribution.ts';
import { checkSource, checkTarget } from './plan-safety.ts';
import type { PairingIntent, PlannedEvent, Step } from './plan-types.ts';
import type { Facts, Observation, Decision } from './plan-decision.ts';
import { stalledDecision, waitingDecision } from './plan-decision.ts';
import { EventReason } from '../../api/event-reasons.ts';
import { VolumeAccessMode } from '../../element/states.ts';

type NotExact = Exclude<PairAnalysis, { kind: 'exact' }>;

function observationOf(roles: Roles): Observation {
  const { source, target, sourceSide } = roles;
  return { volumes: sourceSide === 'A' ? { A: source, B: target } : { A: target, B: source }, sourceSide };
}

function intentFor(facts: Facts, roles: Roles): PairingIntent {
  return {
    phase: 'Starting',
    startedAt: facts.input.now,
    sourceSide: roles.sourceSide,
    sourceVolumeID: roles.source.volumeID,
  };
}

function sameIntent(a: PairingIntent | undefined, b: PairingIntent): boolean {
  return a !== undefined && a.sourceSide === b.sourceSide && a.sourceVolumeID === b.sourceVolumeID;
}

function pairingStep(facts: Facts, roles: Roles, step: Step, message: string, intent = facts.intent, stepEvents: PlannedEvent[] = []): Decision {
  return {
    step,
    ready: { status: 'False', reason: 'Pairing', message },
    upToDate: { status: 'False', reason: 'Pairing', message: 'the volume pair does not exist yet' },
    statusEvents: [],
    stepEvents,
    requeue: 'immediate',
    intent,
    observation: observationOf(roles),
  };
}

/** Target access first (a pair completed onto a read/write volume sits PausedMisconfigured). */
function prepareTargetOr(facts: Facts, roles: Roles, next: Step, message: string, intent = facts.intent): Decision {
  const { target, targetSide } = roles;
  if (target.access !== VolumeAccessMode.ReplicationTarget) {
    const step: Step = { kind: 'modifyVolumeAccess', side: targetSide, volumeID: target.volumeID, access: VolumeAccessMode.ReplicationTarget };
    return pairingStep(facts, roles, step, `making volume ${target.volumeID} (side ${targetSide}) a replicationTarget`, intent);
  }
  return pairingStep(facts, roles, next, message, intent);
}

function safetyBlock(facts: Facts, roles: Roles): Decision | undefined {
  const blocker = checkSource(roles.source) ?? checkTarget(roles.source, roles.target, facts.spec.targetPolicy);
  return blocker === undefined ? undefined : stalledDecision(facts, blocker.reason, blocker.message, observationOf(roles));
}

export function planCreation(facts: Facts, roles: Roles, analysis: NotExact): Decision {
  const observation = observationOf(roles);
  const cp = facts.input.clusterPair;
  switch (analysis.kind) {
    case 'settling':
      return waitingDecision(facts, 'Pairing', analysis.message, 'soon', observation);
    case 'unattributable':
      return waitingDecision(facts, 'ClusterPairNotReady', analysis.message, 'poll', observation);
    case 'blocked':
      if (!facts.manage) return observeOnly(facts, analysis.message, observation);
      return stalledDecision(facts, analysis.reason, analysis.message, observation);
  }
  if (!facts.manage) {
    return observeOnly(facts, `no volume pair links volume ${roles.source.volumeID} and volume ${roles.target.volumeID}`, observation);
  }
  if (cp === undefined || !cp.paired || !cp.connected) {
    const state = cp === undefined ? 'not found' : !cp.paired ? 'not paired' : 'not connected';
    return waitingDecision(facts, 'ClusterPairNotReady', `ClusterPair ${facts.spec.clusterPairRef} is ${state}`, cp?.paired ? 'soon' : 'poll', observation);
  }
  const { source, sourceSide, target, targetSide } = roles;
  switch (analysis.kind) {
    case 'remove': {
      const restart = analysis.why === 'ownPending';
      const event: PlannedEvent = restart
        ? { type: 'Normal', reason: EventReason.PairingRestarted, message: analysis.message }
        : { type: 'Normal', reason: EventReason.LeftoverPairRemoved, message: analysis.message };
      const step: Step = { kind: 'removeVolumePair', side: analysis.side, volumeID: analysis.volumeID, volumePairUUID: analysis.uuid, why: analysis.why };
      return pairingStep(facts, roles, step, analysis.message, facts.intent, [event]);
    }
    case 'ownPending': {
      if (!facts.input.keySecretExists) {
        // The key was lost before it was stored (or discarded after a failed Complete): a new
        // key needs a new pending pair, so remove ours and start again.
        const message = `pending pair on volume ${source.volumeID} has no usable key; starting again`;
        const step: Step = {
          kind: 'removeVolumePair', side: sourceSide, volumeID: source.volumeID, volumePairUUID: analysis.pair.volumePairUUID,
          why: 'ownPending',
        };
        return pairingStep(facts, roles, step, message, facts.intent, [{ type: 'Normal', reason: EventReason.PairingRestarted, message }]);
      }
      const blocked = safetyBlock(facts, roles);
      if (blocked !== undefined) return blocked;
      const complete: Step = { kind: 'completeVolumePairing', side: targetSide, volumeID: target.volumeID };
      // The key is stored: from here on a Complete may have run.
      const completing = facts.intent === undefined ? undefined : { ...facts.intent, phase: 'Completing' as const };
      return prepareTargetOr(facts, roles, complete, `completing the pairing on volume ${target.volumeID} (side ${targetSide})`, completing);
    }
    case 'clean': {
      if (facts.input.keySecretExists) {
        // Its pending pair is gone: a key is never used twice.
        return pairingStep(facts, roles, { kind: 'deleteKeySecret', why: 'stale' }, 'discarding a pairing key whose pending pair is gone');
      }
      const blocked = safetyBlock(facts, roles);
      if (blocked !== undefined) return blocked;
      const intent = intentFor(facts, roles);
      if (!sameIntent(facts.intent, intent)) {
        return pairingStep(facts, roles, { kind: 'writeIntent', intent }, 'recording the pairing intent', intent);
      }
      const start: Step = { kind: 'startVolumePairing', side: sourceSide, volumeID: source.volumeID, mode: facts.spec.mode };
      return prepareTargetOr(facts, roles, start, `starting the pairing on volume ${source.volumeID} (side ${sourceSide})`);
    }
  }
}

function observeOnly(facts: Facts, message: string, observation: Observation): Decision {
  return {
    step: { kind: 'none' },
    ready: { status: 'False', reason: 'Drifted', message: `${message} (observing only)` },
    upToDate: { status: 'False', reason: 'Drifted', message: `${message} (observing only)` },
    statusEvents: [],
    requeue: 'poll',
    intent: facts.intent,
    observation,
  };
}
