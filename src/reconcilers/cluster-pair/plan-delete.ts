// Deletion of a ClusterPair (DESIGN §3, ClusterPair step 6): force-delete, Orphan/Observe, InUse,
// then RemoveClusterPair on both sides, then the finalizer.
import { FORCE_DELETE_ANNOTATION } from '../../api/index.ts';
import {
  NONE,
  annotationTrue,
  decision,
  describeCluster,
  listForMessage,
  listed,
  match,
  matchedFields,
  previousFields,
} from './plan-decision.ts';
import type { Decision } from './plan-decision.ts';
import { bilateralPairs, isOursByIntent, isPending } from './plan-match.ts';
import type { PairMatch } from './plan-match.ts';
import { notReady, upToDateUnknown } from './plan-status.ts';
import type { ClusterPairPlanInput, Listing, ObservedPairedVolume, Side } from './plan-types.ts';

export function isForceDelete(input: ClusterPairPlanInput): boolean {
  return annotationTrue(input, FORCE_DELETE_ANNOTATION);
}

export function planForceDelete(input: ClusterPairPlanInput): Decision {
  const deleting = notReady('Deleting', 'force-deleted: the finalizer is dropped without calling Element');
  if (!input.pair.hasFinalizer) return decision(NONE, previousFields(input), { ready: deleting });
  return decision({ kind: 'dropFinalizer' }, previousFields(input), { ready: deleting }, {
    stepEvents: [
      {
        type: 'Warning',
        reason: 'ForceDeleted',
        message: `${FORCE_DELETE_ANNOTATION} is set: finalizer dropped without calling Element; any cluster pair on ${input.clusterA.name} and ${input.clusterB.name} stays as it is`,
      },
    ],
  });
}

const deletingCondition = (message: string) => ({ ready: notReady('Deleting', message), upToDate: upToDateUnknown('Deleting', message) });

export function planDeletion(input: ClusterPairPlanInput): Decision {
  const { pair } = input;
  const keep = previousFields(input);
  if (!pair.hasFinalizer) return decision(NONE, keep, deletingCondition('being deleted'));
  if (pair.managementPolicy === 'Observe' || pair.deletionPolicy === 'Orphan') {
    // Our own key Secret is a credential: it goes even when Element is left alone.
    if (input.keySecret) return decision({ kind: 'deleteKeySecret' }, keep, deletingCondition('deleting the pairing key Secret'));
    const why = pair.managementPolicy === 'Observe' ? 'managementPolicy Observe' : 'deletionPolicy Orphan';
    return decision({ kind: 'dropFinalizer' }, keep, deletingCondition(`${why}: the cluster pair on Element is left as it is`));
  }
  return planDeleteOnElement(input);
}

function ownedMatch(input: ClusterPairPlanInput): PairMatch | undefined {
  const known = match(input, false);
  if (known) return known;
  // A pair we completed whose UUID never reached the status (crash after the key Secret went).
  const pairs = listed(input);
  if (!pairs) return undefined;
  const ownedA = input.pendingOwnedElsewhere.A;
  return bilateralPairs(pairs.A, pairs.B, input.clusterA, input.clusterB).find(
    (m) => m.a !== undefined && isOursByIntent(m.a, input.pair.status.pairing, input.clusterB, ownedA),
  );
}

function volumesOn(listing: Listing<ObservedPairedVolume>, clusterPairID: number | undefined): string[] | undefined {
  if (clusterPairID === undefined) return [];
  if (!listing.available) return undefined;
  return listing.items
    .filter((v) => v.pairsUnknown === true || v.volumePairs.some((vp) => vp.clusterPairID === clusterPairID))
    .map((v) => (v.name ? `${v.volumeID} (${v.name})` : String(v.volumeID)));
}

/** Volumes Element lists on the given local pair IDs; undefined when a needed side cannot be listed. */
export function volumesUsingPair(input: ClusterPairPlanInput, ids: Partial<Record<Side, number>>): Record<Side, string[]> | undefined {
  const onA = volumesOn(input.volumesOnA, ids.A);
  const onB = volumesOn(input.volumesOnB, ids.B);
  return onA && onB ? { A: onA, B: onB } : undefined;
}

function planDeleteOnElement(input: ClusterPairPlanInput): Decision {
  const pairs = listed(input);
  if (!pairs) {
    const why = !input.pairsOnA.available ? input.pairsOnA.reason : !input.pairsOnB.available ? input.pairsOnB.reason : '';
    return decision(NONE, previousFields(input, 'Unknown'), {
      ready: notReady('ClusterNotReady', `deletion waits until both clusters can be listed (${why}); to give up on a lost site set ${FORCE_DELETE_ANNOTATION}: "true"`),
      upToDate: upToDateUnknown('ClusterNotReady', 'cannot observe both clusters'),
    });
  }
  const m = ownedMatch(input);
  const used = volumesUsingPair(input, { A: m?.a?.clusterPairID, B: m?.b?.clusterPairID });
  const fields = m ? matchedFields(m, input.pair.status.pairing) : previousFields(input);
  if (!used) {
    return decision(NONE, fields, deletingCondition('deletion waits until the volume pairs of both clusters can be listed'));
  }
  const reasons: string[] = [];
  if (input.referencingVolumePairs.length > 0) {
    reasons.push(`VolumePairs reference this ClusterPair: ${listForMessage(input.referencingVolumePairs)}`);
  }
  for (const side of ['A', 'B'] as const) {
    if (used[side].length > 0) {
      reasons.push(`cluster ${describeCluster(side, input)} lists volume pairs on this pair: volumes ${listForMessage(used[side])}`);
    }
  }
  if (reasons.length > 0) {
    return decision(NONE, fields, { ready: notReady('InUse', `cannot delete: ${reasons.join('; ')}`), upToDate: upToDateUnknown('Deleting', 'being deleted') });
  }
  const ours = pairs.A.find(
    (p) =>
      p !== m?.a &&
      isPending(p) &&
      (p.clusterPairID === input.keySecret?.clusterPairIDOnA ||
        isOursByIntent(p, input.pair.status.pairing, input.clusterB, input.pendingOwnedElsewhere.A)),
  );
  if (ours) {
    return decision({ kind: 'removePendingPair', side: 'A', clusterPairID: ours.clusterPairID, attribution: 'ours' }, fields,
      deletingCondition(`removing pending pair ${ours.clusterPairID} on A left by an unfinished pairing`));
  }
  if (m && (m.a || m.b)) {
    const ids = { ...(m.a ? { A: m.a.clusterPairID } : {}), ...(m.b ? { B: m.b.clusterPairID } : {}) };
    return decision({ kind: 'removeBoth', clusterPairIDs: ids }, fields, deletingCondition(`removing cluster pair ${m.uuid} from both clusters`));
  }
  if (input.keySecret) return decision({ kind: 'deleteKeySecret' }, {}, deletingCondition('deleting the pairing key Secret'));
  return decision({ kind: 'dropFinalizer' }, {}, deletingCondition('removed from both clusters'));
}
