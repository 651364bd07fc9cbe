// Step 6: no established pair links our volumes. Respect a manual cutover (DESIGN §10: a target
// that became writable after it was paired with our source is never overwritten without an
// approval), clean up what is provably ours, check safety, then walk intent → target access →
// Start (key stored at once) → Complete, one step a call. A target we made a replicationTarget
// gets its previous access back when the pairing stalls before it is established.
import type { PairAnalysis, Roles } from './plan-attribution.ts';
import { pairsOf, stateOf } from './plan-attribution.ts';
import { approvalHint, approvedBy, incidentFor } from './plan-incidents.ts';
import { checkSource, checkTarget } from './plan-safety.ts';
import { effectiveTargetPolicy } from './plan-tenancy.ts';
import type { PairingIntent, PlannedEvent, Step } from './plan-types.ts';
import type { Facts, Observation, Decision } from './plan-decision.ts';
import { stalledDecision, waitingDecision } from './plan-decision.ts';
import { APPROVE_RESYNC_ANNOTATION, REMOVE_PENDING_PAIR_ANNOTATION } from '../../api/index.ts';
import type { Incident } from '../../api/index.ts';
import { EventReason } from '../../api/event-reasons.ts';
import { ReplicationState, VolumeAccessMode } from '../../element/states.ts';

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
    targetVolumeID: roles.target.volumeID,
    // Recorded before the target is touched: restored if the pair is never established.
    previousAccess: roles.target.access,
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

function safetyBlock(facts: Facts, roles: Roles, overwriteApproved: boolean): Decision | undefined {
  const policy = overwriteApproved ? 'Overwrite' : effectiveTargetPolicy(facts.spec.targetPolicy, facts.input.clusterPair);
  const blocker = checkSource(roles.source) ?? checkTarget(roles.source, roles.target, policy);
  if (blocker === undefined) return undefined;
  const denied = facts.spec.targetPolicy === 'Overwrite' && policy === 'RequireUnused' ? ' (the ClusterPair does not allow Overwrite: volumePairPolicy.allowOverwrite)' : '';
  return restoringAccess(facts, roles, stalledDecision(facts, blocker.reason, blocker.message + denied, observationOf(roles)));
}

/**
 * A stall before the pair exists gives the target back the access it had before we made it a
 * replicationTarget (recorded in the intent), so a pairing that never happens leaves no trace.
 */
export function restoringAccess(facts: Facts, roles: Roles, decision: Decision): Decision {
  const intent = facts.intent;
  const { target, targetSide } = roles;
  if (
    intent?.previousAccess === undefined || intent.targetVolumeID !== target.volumeID ||
    intent.previousAccess === VolumeAccessMode.ReplicationTarget || target.access !== VolumeAccessMode.ReplicationTarget ||
    pairsOf(target).length > 0
  ) {
    return decision;
  }
  const step: Step = { kind: 'modifyVolumeAccess', side: targetSide, volumeID: target.volumeID, access: intent.previousAccess };
  return { ...decision, step, requeue: 'immediate' };
}

/**
 * Evidence that the target was paired with our source before (DESIGN §10): status recorded an
 * established pair, a half on either volume names the other owned volume or our recorded pair,
 * or an earlier reconcile recorded the incident.
 */
function pairedBefore(facts: Facts, roles: Roles): boolean {
  const { source, target } = roles;
  const recordedUUID = facts.vp.status.volumePairUUID;
  if (recordedUUID !== undefined) return true;
  if (facts.vp.status.incident?.reason === 'ResyncRequired') return true;
  const halves = [
    ...pairsOf(source).map((p) => ({ p, other: target })),
    ...pairsOf(target).map((p) => ({ p, other: source })),
  ];
  return halves.some(({ p, other }) => stateOf(p) !== ReplicationState.Unconfigured && p.remoteVolumeID === other.volumeID);
}

/** The resync incident: stalled until approved, or the approved incident that lets the pairing go on. */
function manualCutover(facts: Facts, roles: Roles): { stall: Decision } | { approved: Incident } | undefined {
  const { target, targetSide } = roles;
  if (!facts.manage || target.access !== VolumeAccessMode.ReadWrite || !pairedBefore(facts, roles)) return undefined;
  const incident = incidentFor(facts, 'ResyncRequired', targetSide, target.volumeID);
  if (incident.approvedAt !== undefined || approvedBy(facts, APPROVE_RESYNC_ANNOTATION, incident)) {
    return { approved: { ...incident, approvedAt: incident.approvedAt ?? facts.input.now } };
  }
  const message =
    `volume ${target.volumeID} (side ${targetSide}) was paired with volume ${roles.source.volumeID} and is now writable (a manual cutover?); ` +
    `pairing again would overwrite every write made to it since the split. To resync it from volume ${roles.source.volumeID}, ` +
    approvalHint(APPROVE_RESYNC_ANNOTATION, incident);
  return { stall: { ...stalledDecision(facts, 'ResyncRequired', message, observationOf(roles)), incident } };
}

export function planCreation(facts: Facts, roles: Roles, analysis: NotExact): Decision {
  const cutover = manualCutover(facts, roles);
  if (cutover !== undefined && 'stall' in cutover) return cutover.stall;
  const decision = planNewPair(facts, roles, analysis, cutover?.approved !== undefined);
  // An approved resync keeps its incident (and the approval) until the target is no longer writable.
  return cutover?.approved !== undefined ? { ...decision, incident: cutover.approved } : decision;
}

function planNewPair(facts: Facts, roles: Roles, analysis: NotExact, overwriteApproved: boolean): Decision {
  const observation = observationOf(roles);
  const cp = facts.input.clusterPair;
  switch (analysis.kind) {
    case 'settling':
      return waitingDecision(facts, 'Pairing', analysis.message, 'soon', observation);
    case 'unattributable':
      return waitingDecision(facts, 'ClusterPairNotReady', analysis.message, 'poll', observation);
    case 'blocked': {
      if (!facts.manage) return observeOnly(facts, analysis.message, observation);
      if (analysis.reason !== 'UnexplainedPendingPair') return restoringAccess(facts, roles, stalledDecision(facts, analysis.reason, analysis.message, observation));
      const incident = incidentFor(facts, analysis.reason, analysis.side, analysis.volumeID);
      const message = `${analysis.message}; if it is a leftover, remove it on Element or ${approvalHint(REMOVE_PENDING_PAIR_ANNOTATION, incident)}`;
      return { ...restoringAccess(facts, roles, stalledDecision(facts, analysis.reason, message, observation)), incident };
    }
  }
  if (!facts.manage) {
    return observeOnly(facts, `no volume pair links volume ${roles.source.volumeID} and volume ${roles.target.volumeID}`, observation);
  }
  if (cp === undefined || !cp.paired || !cp.connected) {
    const state = cp === undefined ? 'not found' : !cp.paired ? 'not paired' : 'not connected';
    return waitingDecision(facts, 'ClusterPairNotReady', `ClusterPair ${facts.spec.clusterPairRef.name} is ${state}`, cp?.paired ? 'soon' : 'poll', observation);
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
      const blocked = safetyBlock(facts, roles, overwriteApproved);
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
      const blocked = safetyBlock(facts, roles, overwriteApproved);
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
