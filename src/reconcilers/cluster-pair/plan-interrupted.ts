// A pairing interrupted by managementPolicy Observe or by the paused annotation (DESIGN §3 step 4).
// Manage no longer applies, so nothing on Element is touched, but the key Secret (cluster admin
// credentials inside) is deleted at once, and the pending pair the pairing leaves is reported.
import { describeCluster, listForMessage } from './plan-decision.ts';
import type { Decision } from './plan-decision.ts';
import { isOursByIntent, isPending, pendingForKey } from './plan-match.ts';
import type { ClusterPairPlanInput, ObservedClusterPair } from './plan-types.ts';

/** Pending pairs on A this ClusterPair's key or intent accounts for. */
function ourPendingPairs(input: ClusterPairPlanInput, pairsA: ObservedClusterPair[]): number[] {
  const intent = input.pair.status.pairing;
  const byKey = pendingForKey(pairsA, input.keySecret);
  return pairsA
    .filter((p) => isPending(p) && (p === byKey || isOursByIntent(p, intent, input.clusterB, input.pendingOwnedElsewhere.A)))
    .map((p) => p.clusterPairID);
}

/** What an interrupted pairing leaves on Element, for the Ready message; '' when nothing. */
export function interruptedPairingNote(input: ClusterPairPlanInput, pairsA: ObservedClusterPair[] | undefined): string {
  const onA = describeCluster('A', input);
  if (pairsA !== undefined) {
    const ids = ourPendingPairs(input, pairsA);
    if (ids.length === 0) return '';
    const which = ids.length === 1 ? `pending cluster pair ${ids[0]}` : `pending cluster pairs ${listForMessage(ids.map(String))}`;
    return `; ${which} on ${onA} is left on Element by an interrupted pairing of this ClusterPair (not removed while Manage does not apply; remove it on Element, or return to Manage)`;
  }
  // Not observed (paused): say what the key and the intent tell.
  const intent = input.pair.status.pairing;
  const id = input.keySecret?.clusterPairIDOnA ?? intent?.pendingPairIDOnA;
  if (id !== undefined) return `; a pairing was interrupted: its key was deleted, and pending cluster pair ${id} on ${onA} may be left on Element`;
  if (intent) return `; a pairing was interrupted (status.pairing): pending cluster pairs above ID ${intent.highestPairIDOnA} on ${onA} may be left on Element`;
  return '';
}

/** The intent with the key's pending pair recorded, so that it is still named once the key is gone. */
export function recordingPendingPair(input: ClusterPairPlanInput): Decision['fields'] {
  const intent = input.pair.status.pairing;
  const id = input.keySecret?.clusterPairIDOnA;
  return intent && id !== undefined ? { pairing: { ...intent, pendingPairIDOnA: id } } : {};
}

/** The decision of a ClusterPair Manage does not apply to: its only step is deleting our key. */
export function releasingKey(chosen: Decision, input: ClusterPairPlanInput, note: string): Decision {
  const conditions = note === '' ? chosen.conditions : chosen.conditions.map((c) => (c.type === 'Ready' ? { ...c, message: `${c.message}${note}` } : c));
  if (!input.keySecret) return { ...chosen, conditions };
  const { requeue: _requeue, ...rest } = chosen;
  return { ...rest, conditions, step: { kind: 'deleteKeySecret' } };
}
