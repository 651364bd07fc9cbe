// Which cluster pairs listed on A and B belong to a ClusterPair (DESIGN §3, step 2): a pair is
// identified by its clusterPairUUID, and each half must name the other cluster. Never by MVIP
// alone, never "any Connected pair".
import type { ClusterView, KeySecretView, ObservedClusterPair, PairingIntent } from './plan-types.ts';
import { ClusterPairState } from '../../element/states.ts';
import { normalizeMvip } from '../../api/mvip.ts';

export { normalizeMvip };

/** A uniqueID is 4 characters of [a-z0-9] (element-api §2.2, e.g. `wcwb`, `bgn0`). */
const UNIQUE_ID = /^[a-z0-9]{4}$/;

/** What the half's `clusterUUID` says of its remote, as given (the client hands integers on as strings). */
export function reportedClusterUUID(pair: ObservedClusterPair): string {
  return pair.clusterUUID === undefined || pair.clusterUUID === null ? '' : String(pair.clusterUUID).trim();
}

/**
 * What the half's `clusterUUID` says about `cluster`: 'same' or 'other' when it is a uniqueID, 'none'
 * when it is no uniqueID. 12.x reports the remote uniqueID; old versions an integer (which the
 * client hands on as a string, "5487") or nothing. Four digits may be either, so they only count
 * when they equal the cluster's uniqueID; otherwise the MVIP decides.
 */
export function uniqueIDVerdict(pair: ObservedClusterPair, cluster: ClusterView): 'same' | 'other' | 'none' {
  const reported = reportedClusterUUID(pair);
  if (!UNIQUE_ID.test(reported)) return 'none';
  if (reported === cluster.uniqueID) return 'same';
  return /[a-z]/.test(reported) ? 'other' : 'none';
}

/** The remote MVIP the half reports, or ''. */
export function reportedMvip(pair: ObservedClusterPair): string {
  return pair.mvip?.trim() ?? '';
}

/** Whether `mvip` is one of the MVIPs the cluster is known by (spec and GetClusterInfo). */
export function isMvipOf(mvip: string, cluster: ClusterView): boolean {
  return mvip !== '' && cluster.mvips.some((known) => normalizeMvip(known) === normalizeMvip(mvip));
}

/** True when this half names `cluster` as its remote: by uniqueID when it reports one, else by MVIP. */
export function namesCluster(pair: ObservedClusterPair, cluster: ClusterView): boolean {
  const verdict = uniqueIDVerdict(pair, cluster);
  if (verdict !== 'none') return verdict === 'same';
  return isMvipOf(reportedMvip(pair), cluster);
}

/** A half with no remote identity at all: a pending pair, or one Element no longer describes. */
export function namesNobody(pair: ObservedClusterPair): boolean {
  return !UNIQUE_ID.test(reportedClusterUUID(pair)) && reportedMvip(pair) === '';
}

export function isPending(pair: ObservedClusterPair): boolean {
  return pair.status === ClusterPairState.Unconfigured;
}

/** The half with this UUID, provided it names `remote` (or nobody, while pending). */
export function halfByUUID(
  pairs: ObservedClusterPair[],
  uuid: string,
  remote: ClusterView,
): ObservedClusterPair | undefined {
  return pairs.find((p) => p.clusterPairUUID === uuid && (namesCluster(p, remote) || namesNobody(p)));
}

export interface PairMatch {
  uuid: string;
  a?: ObservedClusterPair;
  b?: ObservedClusterPair;
  /** 'known': the UUID came from our status or key Secret; 'found': a pair of A and B we had not recorded. */
  via: 'known' | 'found';
}

/** Pairs present on both sides with one UUID, each half naming the other cluster. */
export function bilateralPairs(
  pairsA: ObservedClusterPair[],
  pairsB: ObservedClusterPair[],
  clusterA: ClusterView,
  clusterB: ClusterView,
): PairMatch[] {
  const found: PairMatch[] = [];
  for (const a of pairsA) {
    if (a.clusterPairUUID === null || !namesCluster(a, clusterB)) continue;
    const b = pairsB.find((q) => q.clusterPairUUID === a.clusterPairUUID && namesCluster(q, clusterA));
    if (b) found.push({ uuid: a.clusterPairUUID, a, b, via: 'found' });
  }
  return found.sort((x, y) => (x.a?.clusterPairID ?? 0) - (y.a?.clusterPairID ?? 0));
}

/**
 * Our pair: first by the UUIDs we recorded (status, then key Secret), on either side; otherwise a
 * pair both sides list and name each other by (Element allows one pair between two clusters).
 */
export function matchPair(
  knownUUIDs: string[],
  pairsA: ObservedClusterPair[],
  pairsB: ObservedClusterPair[],
  clusterA: ClusterView,
  clusterB: ClusterView,
  options: { adopt: boolean },
): PairMatch | undefined {
  for (const uuid of knownUUIDs) {
    const a = halfByUUID(pairsA, uuid, clusterB);
    const b = halfByUUID(pairsB, uuid, clusterA);
    if (a || b) return { uuid, a, b, via: 'known' };
  }
  if (!options.adopt) return undefined;
  return bilateralPairs(pairsA, pairsB, clusterA, clusterB)[0];
}

/** A pair on A that our write-ahead intent accounts for: created after the intent, and not another pair's. */
export function isOursByIntent(
  pair: ObservedClusterPair,
  intent: PairingIntent | undefined,
  clusterB: ClusterView,
  ownedElsewhere: number[],
): boolean {
  if (!intent || pair.clusterPairID <= intent.highestPairIDOnA) return false;
  if (ownedElsewhere.includes(pair.clusterPairID)) return false;
  // A pair above the mark that names a third cluster was completed on A by someone else's pairing.
  return isPending(pair) || namesNobody(pair) || namesCluster(pair, clusterB);
}

/** The pending pair on A that our key Secret was issued for. */
export function pendingForKey(
  pairsA: ObservedClusterPair[],
  key: KeySecretView | undefined,
): ObservedClusterPair | undefined {
  if (!key || key.clusterPairIDOnA === undefined) return undefined;
  return pairsA.find(
    (p) =>
      p.clusterPairID === key.clusterPairIDOnA &&
      (key.clusterPairUUID === undefined || p.clusterPairUUID === null || p.clusterPairUUID === key.clusterPairUUID),
  );
}

/** Highest listed clusterPairID (0 for none): IDs are not reused, so anything newer is above it. */
export function highestPairID(pairs: ObservedClusterPair[]): number {
  return pairs.reduce((max, p) => Math.max(max, p.clusterPairID), 0);
}

/** Element major version, e.g. 12 for `12.5.0.897`; undefined when unparsable. */
export function majorVersion(version: string | undefined): number | undefined {
  const major = Number.parseInt(version ?? '', 10);
  return Number.isFinite(major) ? major : undefined;
}
