// Steps 1–4 for a VolumePair that is not being deleted: ClusterPair and namespace, resolution,
// claims; then hand over to convergence (pair exists) or creation (it does not).
import { analyzePairs } from './plan-attribution.ts';
import type { Roles } from './plan-attribution.ts';
import { conflictingClaim } from './plan-claims.ts';
import { planConverged } from './plan-converge.ts';
import { planCreation } from './plan-create.ts';
import { resolveSide } from './plan-resolve.ts';
import type { ObservedVolume, Side } from './plan-types.ts';
import { REMOVE_PENDING_PAIR_ANNOTATION } from '../../api/index.ts';
import type { Facts, Decision } from './plan-decision.ts';
import { stalledDecision, waitingDecision } from './plan-decision.ts';
import { sideField } from '../sides.ts';

/** On a VolumePair the approval names volumePairUUIDs (pending volume pairs have no ID of their own). */
export function approvedUUIDs(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '');
}

export function namespaceAllowed(allowed: readonly string[] | undefined, namespace: string): boolean {
  return allowed === undefined || allowed.length === 0 || allowed.includes(namespace);
}

function rolesFor(primary: Side, volumes: { A: ObservedVolume; B: ObservedVolume }): Roles {
  return primary === 'A'
    ? { source: volumes.A, target: volumes.B, sourceSide: 'A', targetSide: 'B' }
    : { source: volumes.B, target: volumes.A, sourceSide: 'B', targetSide: 'A' };
}

export function planLive(facts: Facts): Decision {
  const { input, vp, spec } = facts;
  const cp = input.clusterPair;
  if (cp === undefined) {
    return waitingDecision(facts, 'ClusterPairNotReady', `ClusterPair ${spec.clusterPairRef} not found`, 'poll');
  }
  if (!namespaceAllowed(cp.allowedNamespaces, vp.namespace)) {
    return stalledDecision(facts, 'NamespaceNotAllowed', `ClusterPair ${spec.clusterPairRef} does not allow VolumePairs in namespace ${vp.namespace}`);
  }
  const resolutions = {
    A: resolveSide('A', spec.sideA, vp.status.sideA?.volumeID, input.sides.A),
    B: resolveSide('B', spec.sideB, vp.status.sideB?.volumeID, input.sides.B),
  };
  const all = [resolutions.A, resolutions.B];
  const unreachable = all.filter((r) => r.kind === 'unreachable');
  if (unreachable.length > 0) {
    return waitingDecision(facts, 'ClusterPairNotReady', unreachable.map((r) => r.message).join('; '), 'poll');
  }
  if (resolutions.A.kind !== 'resolved' || resolutions.B.kind !== 'resolved') {
    const messages = all.flatMap((r) => (r.kind === 'missing' || r.kind === 'ambiguous' ? [r.message] : []));
    return stalledDecision(facts, 'InvalidSpec', messages.join('; '));
  }
  const volumes = { A: resolutions.A.volume, B: resolutions.B.volume };
  const self = { key: `${vp.namespace}/${vp.name}`, creationTimestamp: vp.creationTimestamp };
  for (const side of ['A', 'B'] as const) {
    const volumeID = volumes[side].volumeID;
    const owned = vp.status[sideField(side)]?.volumeID === volumeID;
    const winner = conflictingClaim({ ...self, owned }, input.elementClusters[side], volumeID, input.claims);
    if (winner !== undefined) {
      return stalledDecision(facts, 'Conflict', `volume ${volumeID} (side ${side}) belongs to VolumePair ${winner.key}`);
    }
  }
  const roles = rolesFor(spec.primarySide, volumes);
  const analysis = analyzePairs(roles, {
    clusterPairIDs: cp.clusterPairIDs,
    intent: facts.intent,
    approvedUUIDs: approvedUUIDs(vp.annotations[REMOVE_PENDING_PAIR_ANNOTATION]),
    allowRepair: cp.allowRepair,
  });
  if (analysis.kind === 'exact') return planConverged(facts, roles, analysis);
  return planCreation(facts, roles, analysis);
}
