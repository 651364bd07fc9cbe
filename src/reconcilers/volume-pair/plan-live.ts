// Steps 1–4 for a VolumePair that is not being deleted: ClusterPair and tenancy (DESIGN §10),
// resolution, claims; then hand over to convergence (pair exists) or creation (it does not).
import { REMOVE_PENDING_PAIR_ANNOTATION } from '../../api/index.ts';
import { otherSide, sideField } from '../sides.ts';
import { analyzePairs } from './plan-attribution.ts';
import type { Roles } from './plan-attribution.ts';
import { conflictingClaim } from './plan-claims.ts';
import { planConverged } from './plan-converge.ts';
import { planCreation } from './plan-create.ts';
import { planForcedWithoutOldPrimary } from './plan-direction.ts';
import type { Facts, Decision } from './plan-decision.ts';
import { stalledDecision, waitingDecision } from './plan-decision.ts';
import { approvedBy } from './plan-incidents.ts';
import { resolveSide } from './plan-resolve.ts';
import { accountRefusal, mayName, namespaceAllowed } from './plan-tenancy.ts';
import type { ObservedVolume, Side } from './plan-types.ts';

function rolesFor(primary: Side, volumes: { A: ObservedVolume; B: ObservedVolume }): Roles {
  return primary === 'A'
    ? { source: volumes.A, target: volumes.B, sourceSide: 'A', targetSide: 'B' }
    : { source: volumes.B, target: volumes.A, sourceSide: 'B', targetSide: 'A' };
}

/** A volume Element listed with `volumePairs: null` cannot be judged: nothing is decided on it. */
export function unknownPairs(volumes: Record<Side, ObservedVolume>): string | undefined {
  const unknown = (['A', 'B'] as const).filter((side) => volumes[side].volumePairsUnknown === true);
  if (unknown.length === 0) return undefined;
  return `Element listed ${unknown.map((side) => `volume ${volumes[side].volumeID} (side ${side})`).join(' and ')} with volumePairs: null; its pairing is unknown, so nothing is changed until Element lists it`;
}

/** The VolumePair recorded volumes as its own while it was allowed to (resolution records them). */
function ownsVolumes(facts: Facts): boolean {
  return facts.vp.status.sideA?.volumeID !== undefined || facts.vp.status.sideB?.volumeID !== undefined;
}

/**
 * A forced failover while only the new primary's side answers: the volume it owns there is
 * promoted without waiting for the lost side (DESIGN §8).
 */
function forcedFailover(facts: Facts, resolutions: Record<Side, ReturnType<typeof resolveSide>>): Decision | undefined {
  const to = facts.spec.primarySide;
  const lost = resolutions[otherSide(to)];
  const kept = resolutions[to];
  if (lost.kind !== 'unreachable' || kept.kind !== 'resolved') return undefined;
  if (facts.vp.status[sideField(to)]?.volumeID !== kept.volume.volumeID) return undefined;
  return planForcedWithoutOldPrimary(facts, kept.volume, lost.message);
}

export function planLive(facts: Facts): Decision {
  const { input, vp, spec } = facts;
  const cp = input.clusterPair;
  if (cp === undefined) {
    return waitingDecision(facts, 'ClusterPairNotReady', `ClusterPair ${spec.clusterPairRef.name} not found`, 'poll');
  }
  // A VolumePair that owns volumes keeps them when its namespace loses the grant: it is only
  // observed (no new mutation) and its deletion follows its deletionPolicy, so no other tenant can
  // adopt its pair. One that owns nothing yet is refused before it names anything.
  let granted = true;
  if (!namespaceAllowed(cp, vp.namespace)) {
    if (!ownsVolumes(facts)) {
      return stalledDecision(facts, 'NamespaceNotAllowed', `ClusterPair ${spec.clusterPairRef.name} does not allow VolumePairs in namespace ${vp.namespace}`);
    }
    granted = false;
  }
  const resolutions = {
    A: resolveSide('A', spec.sideA, vp.status.sideA?.volumeID, input.sides.A),
    B: resolveSide('B', spec.sideB, vp.status.sideB?.volumeID, input.sides.B),
  };
  const all = [resolutions.A, resolutions.B];
  const unreachable = all.filter((r) => r.kind === 'unreachable');
  if (unreachable.length > 0) {
    return forcedFailover(facts, resolutions) ?? waitingDecision(facts, 'ClusterPairNotReady', unreachable.map((r) => r.message).join('; '), 'poll');
  }
  if (resolutions.A.kind !== 'resolved' || resolutions.B.kind !== 'resolved') {
    const messages = all.flatMap((r) => (r.kind === 'missing' || r.kind === 'ambiguous' ? [r.message] : []));
    return stalledDecision(facts, 'InvalidSpec', messages.join('; '));
  }
  const volumes = { A: resolutions.A.volume, B: resolutions.B.volume };
  const unknown = unknownPairs(volumes);
  if (unknown !== undefined) return waitingDecision(facts, 'ClusterPairNotReady', unknown, 'poll');
  const refusal = accountRefusal(cp, vp.namespace, volumes);
  if (refusal !== undefined) {
    // Refused before any mutation or adoption, and without recording the volumes as owned.
    if (!ownsVolumes(facts)) return stalledDecision(facts, 'AccountNotAllowed', refusal);
    granted = false;
  }
  const scoped: Facts = granted ? facts : { ...facts, manage: false };
  const self = { key: `${vp.namespace}/${vp.name}`, creationTimestamp: vp.creationTimestamp };
  for (const side of ['A', 'B'] as const) {
    const volumeID = volumes[side].volumeID;
    const owned = vp.status[sideField(side)]?.volumeID === volumeID;
    // A claim by a namespace that may not name this volume's account cannot squat on it either.
    const claims = input.claims.filter((c) => c.owned || mayName(cp, c.key.slice(0, c.key.indexOf('/')), side, volumes[side].accountID));
    const winner = conflictingClaim({ ...self, owned }, input.elementClusters[side], volumeID, claims);
    if (winner !== undefined) {
      return stalledDecision(facts, 'Conflict', `volume ${volumeID} (side ${side}) belongs to VolumePair ${winner.key}`);
    }
  }
  const roles = rolesFor(spec.primarySide, volumes);
  const recorded = vp.status.incident;
  const analysis = analyzePairs(roles, {
    clusterPairIDs: cp.clusterPairIDs,
    intent: facts.intent,
    approved: (side, volumeID) =>
      recorded !== undefined && recorded.reason === 'UnexplainedPendingPair' && recorded.side === side && recorded.id === volumeID &&
      approvedBy(facts, REMOVE_PENDING_PAIR_ANNOTATION, recorded),
    allowRepair: cp.allowRepair,
  });
  if (analysis.kind === 'exact') {
    const adopting = vp.status.volumePairUUID !== analysis.uuid && facts.intent === undefined;
    if (adopting && scoped.manage && !cp.volumePairPolicy.adoptExisting) {
      return stalledDecision(facts, 'AdoptionNotAllowed', `volume pair ${analysis.uuid} already links volume ${volumes.A.volumeID} and volume ${volumes.B.volumeID}; ClusterPair ${spec.clusterPairRef.name} does not allow adopting existing pairs (volumePairPolicy.adoptExisting: false)`);
    }
    return planConverged(scoped, roles, analysis);
  }
  return planCreation(scoped, roles, analysis);
}
