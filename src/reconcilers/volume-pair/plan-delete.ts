// Step 9: deletion. With Delete, remove our pair on both owned volumes (a missing volume or pair
// is success) before the finalizer goes; never touch a pair this VolumePair cannot attribute.
// Orphan leaves Element alone except a pending pair we started (useless without its key);
// Observe never touches Element. `force-delete` drops the finalizer without Element calls.
import { stateOf } from './plan-attribution.ts';
import { resolveSide } from './plan-resolve.ts';
import type { ObservedVolume, ObservedVolumePair, PlannedEvent, Side, Step } from './plan-types.ts';
import { FORCE_DELETE_ANNOTATION } from '../../api/index.ts';
import type { Facts, Decision } from './plan-decision.ts';
import { unknownUpToDate } from './plan-decision.ts';
import { SIDES, otherSide } from '../sides.ts';
import { EventReason } from '../../api/event-reasons.ts';
import { ReplicationState, VolumeAccessMode } from '../../element/states.ts';


function deleting(facts: Facts, step: Step, message: string, requeue: Decision['requeue'] = 'immediate', stepEvents: PlannedEvent[] = []): Decision {
  return {
    step,
    ready: { status: 'False', reason: 'Deleting', message },
    upToDate: unknownUpToDate('Deleting', 'deleting'),
    statusEvents: [],
    stepEvents,
    requeue,
    intent: facts.intent,
    observation: {},
  };
}

function finish(facts: Facts, message: string): Decision {
  if (facts.input.keySecretExists) return deleting(facts, { kind: 'deleteKeySecret', why: 'deleting' }, message);
  return deleting(facts, { kind: 'dropFinalizer' }, message);
}

/**
 * A pairing that never got established gives the target back the access it had before we made it
 * a replicationTarget (DESIGN §10); the intent recorded it.
 */
function restoreTarget(facts: Facts): Decision | undefined {
  const intent = facts.intent;
  if (intent?.previousAccess === undefined || intent.targetVolumeID === undefined) return undefined;
  if (facts.vp.status.volumePairUUID !== undefined || intent.previousAccess === VolumeAccessMode.ReplicationTarget) return undefined;
  const side = otherSide(intent.sourceSide);
  const observed = facts.input.sides[side];
  if (!observed.reachable) return undefined;
  const target = observed.candidates.find((v) => v.volumeID === intent.targetVolumeID);
  if (target === undefined || target.access !== VolumeAccessMode.ReplicationTarget || (target.volumePairs ?? []).length > 0) return undefined;
  const message = `giving volume ${target.volumeID} (side ${side}) back its access ${intent.previousAccess}: the pairing never got established`;
  return deleting(facts, { kind: 'modifyVolumeAccess', side, volumeID: target.volumeID, access: intent.previousAccess }, message);
}

/** A pair on an owned volume that this VolumePair made, adopted, or started. */
function ours(facts: Facts, pair: ObservedVolumePair, volume: ObservedVolume, side: Side, otherID: number | undefined, pendingOnly: boolean): boolean {
  if (stateOf(pair) === ReplicationState.Unconfigured) return facts.intent?.sourceVolumeID === volume.volumeID && facts.intent.sourceSide === side;
  if (pendingOnly) return false;
  if (facts.vp.status.volumePairUUID !== undefined && pair.volumePairUUID === facts.vp.status.volumePairUUID) return true;
  const ids = facts.input.clusterPair?.clusterPairIDs;
  return otherID !== undefined && pair.remoteVolumeID === otherID && ids !== undefined && pair.clusterPairID === ids[side];
}

export function planDeletion(facts: Facts): Decision {
  const { vp } = facts;
  if (!vp.hasFinalizer) return deleting(facts, { kind: 'none' }, 'waiting for the API server to delete the object', 'poll');
  if (vp.annotations[FORCE_DELETE_ANNOTATION] === 'true') {
    const decision = finish(facts, 'force-delete: leaving Element untouched');
    if (decision.step.kind === 'dropFinalizer') {
      decision.stepEvents = [
        { type: 'Warning', reason: EventReason.ForceDeleted, message: 'finalizer removed without Element calls (force-delete); volume pairs may be left on Element' },
      ];
    }
    return decision;
  }
  if (!facts.manage) return finish(facts, 'observing only: Element is left untouched');
  const pendingOnly = facts.spec.deletionPolicy === 'Orphan';
  const owned = { A: vp.status.sideA?.volumeID, B: vp.status.sideB?.volumeID };
  const unreachable: string[] = [];
  for (const side of SIDES) {
    const ownedID = owned[side];
    if (ownedID === undefined) continue;
    const resolution = resolveSide(side, { volumeID: ownedID }, ownedID, facts.input.sides[side]);
    if (resolution.kind === 'unreachable') {
      // The reachable half is removed meanwhile; this one waits for its cluster.
      unreachable.push(resolution.message);
      continue;
    }
    if (resolution.kind !== 'resolved') continue; // the volume is gone: nothing left to remove
    const volume = resolution.volume;
    if (volume.volumePairsUnknown === true) {
      // Not "no pairs": the finalizer stays until Element says which pairs the volume has.
      unreachable.push(`side ${side}: Element listed volume ${volume.volumeID} with volumePairs: null`);
      continue;
    }
    const otherID = owned[otherSide(side)];
    const pair = (volume.volumePairs ?? []).find((p) => ours(facts, p, volume, side, otherID, pendingOnly));
    if (pair === undefined) continue;
    const message = `removing volume pair ${pair.volumePairUUID} from volume ${volume.volumeID} (side ${side})`;
    return deleting(facts, {
      kind: 'removeVolumePair', side, volumeID: volume.volumeID, volumePairUUID: pair.volumePairUUID, why: 'deletion',
    }, message, 'immediate', [{ type: 'Normal', reason: EventReason.VolumePairRemoved, message }]);
  }
  if (unreachable.length > 0) {
    return deleting(facts, { kind: 'none' }, `cannot remove the volume pair yet: ${unreachable.join('; ')}`, 'soon');
  }
  return restoreTarget(facts) ?? finish(facts, pendingOnly ? 'deletionPolicy Orphan: the volume pair stays on Element' : 'volume pair removed from both clusters');
}
