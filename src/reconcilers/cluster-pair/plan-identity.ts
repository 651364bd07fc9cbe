// Pairs whose remote cluster cannot be told (DESIGN §3 step 2). Old Element versions report the
// remote's clusterUUID as an integer or not at all; the MVIP is then the only identity. A pair that
// neither identifies could be this ClusterPair's: starting another pairing would fail with
// xPairingAlreadyExists and loop (Start, remove, Start…), so the ClusterPair stalls instead.
import { NONE, decision, describeCluster, knownUUIDs, listForMessage } from './plan-decision.ts';
import type { Decision } from './plan-decision.ts';
import { isPending, namesCluster, namesNobody, reportedClusterUUID, reportedMvip, uniqueIDVerdict } from './plan-match.ts';
import { notReady, stalled, upToDateUnknown } from './plan-status.ts';
import type { ClusterPairPlanInput, ClusterView, ObservedClusterPair, Side } from './plan-types.ts';

export interface UnidentifiedHalf {
  side: Side;
  pair: ObservedClusterPair;
}

const remoteOf = (side: Side, input: ClusterPairPlanInput): ClusterView => (side === 'A' ? input.clusterB : input.clusterA);

/** The rule matchPair applies to a half with a known UUID: it names the remote, or nobody (pending). */
const accepted = (pair: ObservedClusterPair, remote: ClusterView): boolean => namesCluster(pair, remote) || namesNobody(pair);
/** Not accepted, yet no uniqueID says it is another cluster: it may be ours. */
const unconfirmed = (pair: ObservedClusterPair, remote: ClusterView): boolean =>
  !accepted(pair, remote) && uniqueIDVerdict(pair, remote) !== 'other';

/**
 * Halves that could be this pair but cannot be confirmed: (1) a UUID we recorded, (2) a UUID both
 * clusters list (then it is the pair between them), each with a half naming an unknown MVIP and no
 * uniqueID; (3) a pair, not pending, that names no cluster at all.
 */
export function unidentifiedHalves(input: ClusterPairPlanInput, pairs: Record<Side, ObservedClusterPair[]>): UnidentifiedHalf[] {
  const known = knownUUIDs(input);
  const found: UnidentifiedHalf[] = [];
  const add = (side: Side, pair: ObservedClusterPair) => {
    if (!found.some((f) => f.side === side && f.pair.clusterPairID === pair.clusterPairID)) found.push({ side, pair });
  };
  for (const side of ['A', 'B'] as const) {
    const remote = remoteOf(side, input);
    for (const pair of pairs[side]) {
      const uuid = pair.clusterPairUUID;
      if (uuid !== null && known.includes(uuid)) {
        if (unconfirmed(pair, remote)) add(side, pair);
        continue;
      }
      if (side === 'A' && input.pendingOwnedElsewhere.A.includes(pair.clusterPairID)) continue;
      if (!isPending(pair) && uniqueIDVerdict(pair, remote) === 'none' && reportedMvip(pair) === '') add(side, pair);
    }
  }
  for (const a of pairs.A) {
    const b = pairs.B.find((q) => a.clusterPairUUID !== null && q.clusterPairUUID === a.clusterPairUUID);
    if (!b || uniqueIDVerdict(a, input.clusterB) === 'other' || uniqueIDVerdict(b, input.clusterA) === 'other') continue;
    if (unconfirmed(a, input.clusterB)) add('A', a);
    if (unconfirmed(b, input.clusterA)) add('B', b);
  }
  return found;
}

function described(input: ClusterPairPlanInput, { side, pair }: UnidentifiedHalf): string {
  const uuid = reportedClusterUUID(pair);
  const mvip = reportedMvip(pair);
  return `ID ${pair.clusterPairID} on ${describeCluster(side, input)} (${pair.status}, clusterPairUUID ${pair.clusterPairUUID ?? 'none'}) reports ${
    uuid === '' ? 'no clusterUUID' : `clusterUUID ${uuid}`
  } and ${mvip === '' ? 'no MVIP' : `MVIP ${mvip}`}`;
}

function knownAs(cluster: ClusterView): string {
  return `${cluster.name} is uniqueID ${cluster.uniqueID ?? 'unknown'} at ${cluster.mvips.length > 0 ? cluster.mvips.join(', ') : 'no known MVIP'}`;
}

/** Stalled until Element or the ElementClusters say more; only a key that cannot be used any more is dropped. */
export function planIdentityUnknown(input: ClusterPairPlanInput, halves: UnidentifiedHalf[]): Decision {
  const message = `Element lists cluster pairs whose remote cluster neither a uniqueID nor a known MVIP identifies: ${listForMessage(
    halves.map((h) => described(input, h)),
  )} (${knownAs(input.clusterA)}; ${knownAs(input.clusterB)}); one of them could be this pair, so no pairing is started. Remove the pair on Element if it is not between these clusters, or make the ElementClusters reach them by the MVIPs Element reports`;
  const intent = input.pair.status.pairing;
  return decision(input.keySecret ? { kind: 'deleteKeySecret' } : NONE, intent ? { pairing: intent } : {}, {
    ready: notReady('PairIdentityUnknown', message),
    stalled: stalled('PairIdentityUnknown', message),
    upToDate: upToDateUnknown('PairIdentityUnknown', 'not compared while stalled'),
  });
}
