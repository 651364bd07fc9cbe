// managementPolicy Manage with both clusters observed (DESIGN §3, ClusterPair steps 3–5): verify and
// clean up a pairing in flight, repair a pair one side removed, or pair from scratch.
import { ALLOW_REPAIR_ANNOTATION } from '../../api/index.ts';
import {
  NONE,
  annotationTrue,
  decision,
  describeCluster,
  listForMessage,
  matchedFields,
  pendingRemovedEvent,
} from './plan-decision.ts';
import type { Decision } from './plan-decision.ts';
import { isOursByIntent, isPending, pendingForKey } from './plan-match.ts';
import type { PairMatch } from './plan-match.ts';
import { planPairing } from './plan-pairing.ts';
import { volumesUsingPair } from './plan-delete.ts';
import { connectionConditions, degraded, drifted, notReady, sideStatus, upToDate } from './plan-status.ts';
import type { ClusterPairPlanInput, ObservedClusterPair, PlannedEvent } from './plan-types.ts';
import { otherSide } from '../sides.ts';
import { EventReason } from '../../api/event-reasons.ts';

export function planManage(input: ClusterPairPlanInput, pairsA: ObservedClusterPair[], m: PairMatch | undefined): Decision {
  const key = input.keySecret;
  if (m?.a && m.b) return planPaired(input, pairsA, m, 'Manage');
  if (key) {
    const pending = pendingForKey(pairsA, key);
    if (pending && isPending(pending) && !m?.b) {
      const intent = input.pair.status.pairing;
      return decision(
        { kind: 'completePairing', clusterPairUUID: key.clusterPairUUID ?? pending.clusterPairUUID ?? '' },
        {
          sideA: sideStatus(pending),
          connectionStatus: 'Unconfigured',
          ...(intent ? { pairing: { ...intent, phase: 'Completing' } } : {}),
        },
        { ready: notReady('Pairing', `completing pairing on ${input.clusterB.name} with the key of pending pair ${pending.clusterPairID} on ${input.clusterA.name}`) },
      );
    }
    // The pending pair the key was issued for is gone or no longer pending: the key is useless.
    return decision({ kind: 'deleteKeySecret' }, { ...(input.pair.status.pairing ? { pairing: input.pair.status.pairing } : {}) }, {
      ready: notReady('Pairing', 'the pending pair of the stored key is gone: discarding the key and starting again'),
    });
  }
  if (m && (m.a || m.b)) return planRepair(input, m);
  return planPairing(input);
}

/** The pair is on both sides: report it, then finish any pairing bookkeeping in order. */
export function planPaired(
  input: ClusterPairPlanInput,
  pairsA: ObservedClusterPair[],
  m: PairMatch,
  policy: 'Manage' | 'Observe',
): Decision {
  const intent = input.pair.status.pairing;
  const statusEvents: PlannedEvent[] = [];
  if (m.uuid !== input.pair.status.clusterPairUUID) {
    const ours =
      m.uuid === input.keySecret?.clusterPairUUID ||
      (m.a !== undefined && isOursByIntent(m.a, intent, input.clusterB, input.pendingOwnedElsewhere.A));
    statusEvents.push(
      ours
        ? { type: 'Normal', reason: EventReason.Paired, message: `paired ${input.clusterA.name} and ${input.clusterB.name}: cluster pair ${m.uuid} (IDs ${m.a?.clusterPairID} on A, ${m.b?.clusterPairID} on B)` }
        : { type: 'Normal', reason: EventReason.Adopted, message: `adopted existing cluster pair ${m.uuid} (IDs ${m.a?.clusterPairID} on A, ${m.b?.clusterPairID} on B)` },
    );
  }
  const fields = matchedFields(m, intent ? { ...intent, phase: 'Completing' } : undefined);
  const conditions = { ...connectionConditions(fields.connectionStatus ?? 'Unknown'), upToDate: upToDate() };
  if (policy === 'Observe') return decision(NONE, { ...fields, ...(intent ? { pairing: intent } : {}) }, conditions, { statusEvents });
  if (input.keySecret) return decision({ kind: 'deleteKeySecret' }, fields, conditions, { statusEvents });
  const leftover = pairsA.find(
    (p) => p !== m.a && isPending(p) && isOursByIntent(p, intent, input.clusterB, input.pendingOwnedElsewhere.A),
  );
  if (leftover) {
    return decision({ kind: 'removePendingPair', side: 'A', clusterPairID: leftover.clusterPairID, attribution: 'ours' }, fields, conditions, {
      statusEvents,
      stepEvents: [pendingRemovedEvent(leftover.clusterPairID, 'left by an interrupted pairing of this ClusterPair')],
    });
  }
  if (intent) {
    const { pairing: _cleared, ...withoutIntent } = fields;
    return decision({ kind: 'clearIntent' }, withoutIntent, conditions, { statusEvents });
  }
  return decision(NONE, fields, conditions, { statusEvents });
}

/**
 * One side no longer lists the pair (someone removed that half): remove ours and pair again, but
 * volume pairs on the old pair are broken by that, so they need the allow-repair annotation.
 */
function planRepair(input: ClusterPairPlanInput, m: PairMatch): Decision {
  const side = m.a ? 'A' : 'B';
  const other = otherSide(side);
  const half = (m.a ?? m.b) as ObservedClusterPair;
  const fields = matchedFields(m, input.pair.status.pairing);
  const gone = `cluster ${describeCluster(other, input)} no longer lists cluster pair ${m.uuid}; ${describeCluster(side, input)} still has it as ID ${half.clusterPairID} (${half.status})`;
  const previousOtherID = (other === 'A' ? input.pair.status.sideA : input.pair.status.sideB)?.clusterPairID;
  const used = volumesUsingPair(input, { [side]: half.clusterPairID, [other]: previousOtherID });
  if (!used) {
    return decision(NONE, fields, {
      ready: notReady('Disconnected', `${gone}; waiting until the volume pairs of both clusters can be listed`),
      upToDate: drifted(gone),
    });
  }
  const affected = [...used.A.map((v) => `A:${v}`), ...used.B.map((v) => `B:${v}`)];
  if (affected.length > 0 && !annotationTrue(input, ALLOW_REPAIR_ANNOTATION)) {
    const message = `${gone}; re-pairing breaks the volume pairs on it (volumes ${listForMessage(affected)}): set ${ALLOW_REPAIR_ANNOTATION}: "true" to allow it`;
    return decision(NONE, fields, {
      ready: notReady('Disconnected', gone),
      degraded: degraded('RepairRequired', message),
      upToDate: drifted(gone),
    });
  }
  return decision({ kind: 'removeHalf', side, clusterPairID: half.clusterPairID }, fields,
    { ready: notReady('Pairing', `${gone}: removing that half to pair again`), upToDate: drifted(gone) },
    { stepEvents: [{ type: 'Normal', reason: EventReason.Repaired, message: `${gone}: removed it there to pair the clusters again` }] },
  );
}
