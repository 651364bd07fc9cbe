// No pair on either side (DESIGN §3, ClusterPair step 4): clean up what our intent explains,
// report what nothing explains, pre-flight, then write the intent and Start.
import { REMOVE_PENDING_PAIR_ANNOTATION, StalledReason, approvalFor, incidentToken, isApproved, parseApprovals } from '../../api/index.ts';
import type { Incident } from '../../api/index.ts';
import {
  NONE,
  decision,
  describeCluster,
  listForMessage,
  listed,
  pendingRemovedEvent,
} from './plan-decision.ts';
import type { Decision } from './plan-decision.ts';
import { highestPairID, isOursByIntent, isPending, majorVersion, namesCluster } from './plan-match.ts';
import { notReady, stalled, upToDateUnknown } from './plan-status.ts';
import type { ClusterPairPlanInput, ObservedClusterPair, Side } from './plan-types.ts';

interface Stray {
  side: Side;
  pair: ObservedClusterPair;
}

/** Pairs in the way of pairing A with B that neither our intent nor another ClusterPair explains. */
export function unexplainedPairs(input: ClusterPairPlanInput, pairsA: ObservedClusterPair[], pairsB: ObservedClusterPair[]): Stray[] {
  const { clusterA, clusterB, pendingOwnedElsewhere } = input;
  const onA = pairsA.filter(
    (p) => !pendingOwnedElsewhere.A.includes(p.clusterPairID) && (isPending(p) || namesCluster(p, clusterB)),
  );
  // Pending pairs on B are not in our way (we never Start there); a half there naming A is.
  const onB = pairsB.filter((p) => !isPending(p) && namesCluster(p, clusterA));
  return [...onA.map((pair) => ({ side: 'A' as const, pair })), ...onB.map((pair) => ({ side: 'B' as const, pair }))];
}

/**
 * The incident of the first stray (one at a time): the recorded one while its pair is still in the
 * way, so its token stays; a new token for a new pair, or the same ID seen again later (DESIGN §8).
 */
function strayIncident(input: ClusterPairPlanInput, strays: Stray[]): Incident | undefined {
  const recorded = input.pair.status.incident;
  const reason = StalledReason.UnexplainedPendingPair;
  if (recorded?.reason === reason && strays.some((s) => s.side === recorded.side && s.pair.clusterPairID === recorded.id)) return recorded;
  const first = strays[0];
  if (!first) return undefined;
  const { side, pair } = first;
  return { reason, side, id: pair.clusterPairID, since: input.now, token: incidentToken(input.pair.uid, reason, side, pair.clusterPairID, input.now) };
}

export function planPairing(input: ClusterPairPlanInput): Decision {
  const pairs = listed(input);
  if (!pairs) throw new Error('planPairing needs both listings');
  const intent = input.pair.status.pairing;
  const keepIntent = intent ? { pairing: intent } : {};
  const pairingReady = (message: string) => ({ ready: notReady('Pairing', message) });

  const ours = pairs.A.find((p) => isOursByIntent(p, intent, input.clusterB, input.pendingOwnedElsewhere.A));
  if (ours) {
    return decision(
      { kind: 'removePendingPair', side: 'A', clusterPairID: ours.clusterPairID, attribution: 'ours' },
      keepIntent,
      pairingReady(`removing pair ${ours.clusterPairID} on ${input.clusterA.name} left by an interrupted pairing (its key was never stored)`),
      { stepEvents: [pendingRemovedEvent(ours.clusterPairID, 'left by an interrupted pairing of this ClusterPair')] },
    );
  }

  // Nothing is retried while stalled; the intent of an attempt that cannot go on is dropped.
  const stall = (reason: StalledReason, message: string, incident?: Incident): Decision =>
    decision(intent ? { kind: 'clearIntent' } : NONE, incident ? { incident } : {}, {
      ready: notReady(reason, message),
      stalled: stalled(reason, message),
      upToDate: upToDateUnknown(reason, 'not compared while stalled'),
    });

  const strays = unexplainedPairs(input, pairs.A, pairs.B);
  const incident = strayIncident(input, strays);
  if (incident) {
    const approved = isApproved(parseApprovals(input.pair.annotations[REMOVE_PENDING_PAIR_ANNOTATION]), incident);
    const { side, id } = incident as Required<Pick<Incident, 'side' | 'id'>>;
    if (approved) {
      return decision({ kind: 'removePendingPair', side, clusterPairID: id, attribution: 'approved' }, { ...keepIntent, incident },
        pairingReady(`removing pair ${id} on ${side} as approved by ${REMOVE_PENDING_PAIR_ANNOTATION}`),
        { stepEvents: [pendingRemovedEvent(id, `approved by ${REMOVE_PENDING_PAIR_ANNOTATION}`, side)] },
      );
    }
    const described = strays.map((s) => `ID ${s.pair.clusterPairID} on ${describeCluster(s.side, input)} (${s.pair.status})`);
    return stall(StalledReason.UnexplainedPendingPair,
      `cluster pairs that nothing explains are in the way: ${listForMessage(described)}; remove them on Element, or approve removing ID ${id} on ${describeCluster(side, input)} with annotation ${REMOVE_PENDING_PAIR_ANNOTATION}: "${approvalFor(incident)}"`,
      incident);
  }

  const majorA = majorVersion(input.clusterA.version);
  const majorB = majorVersion(input.clusterB.version);
  if (majorA !== undefined && majorB !== undefined && Math.abs(majorA - majorB) > 1) {
    return stall('VersionSkew', `Element ${input.clusterA.version} on ${input.clusterA.name} and ${input.clusterB.version} on ${input.clusterB.name} are more than one major version apart`);
  }
  const full = (['A', 'B'] as const).filter((side) => pairs[side].length >= input.pairLimit);
  if (full.length > 0) {
    const which = full.map((side) => `${describeCluster(side, input)} has ${pairs[side].length}`).join(', ');
    return stall('PairLimitReached', `a cluster can be paired with at most ${input.pairLimit} others: ${which}`);
  }

  if (!intent) {
    const next = { phase: 'Starting' as const, startedAt: input.now, highestPairIDOnA: highestPairID(pairs.A) };
    return decision({ kind: 'writeIntent', intent: next }, { pairing: next }, pairingReady(`pairing ${input.clusterA.name} with ${input.clusterB.name}: recording the intent`));
  }
  return decision({ kind: 'startPairing' }, keepIntent, pairingReady(`starting pairing on ${input.clusterA.name}`));
}
