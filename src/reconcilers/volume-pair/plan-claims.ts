// Step 3: one volume, one VolumePair. The claim index records which VolumePair names which volume;
// the first claimant keeps it: a claimant that already recorded the volume as owned beats one that
// only names it; among equals the older object wins (creation time, then namespace/name, so every
// reconciler reaches the same decision).
import type { ClusterPair, VolumePair } from '../../api/index.ts';
import type { Claim } from './plan-types.ts';
import { namespaceGranted } from './plan-tenancy.ts';
import { clusterPairView, elementClustersOf } from './plan-views.ts';
import { SIDES, sideField } from '../sides.ts';

export interface Claimant {
  key: string;
  creationTimestamp: string;
  owned: boolean;
}

function before(a: Claimant, b: Claimant): boolean {
  if (a.owned !== b.owned) return a.owned;
  if (a.creationTimestamp !== b.creationTimestamp) return a.creationTimestamp < b.creationTimestamp;
  return a.key < b.key;
}

/** The other VolumePair that keeps this volume, or undefined when `self` may have it. */
export function conflictingClaim(
  self: Claimant,
  elementCluster: string,
  volumeID: number,
  claims: readonly Claim[],
): Claim | undefined {
  let winner: Claim | undefined;
  for (const claim of claims) {
    if (claim.key === self.key) continue;
    // A namespace the ClusterPair does not allow cannot squat on volume IDs; one that owns them keeps them.
    if (!claim.allowed && !claim.owned) continue;
    if (claim.elementCluster !== elementCluster || claim.volumeID !== volumeID) continue;
    if (!before(claim, self)) continue;
    if (winner === undefined || before(claim, winner)) winner = claim;
  }
  return winner;
}

export type ClaimIndex = ReadonlyMap<string, readonly Claim[]>;

export const claimKey = (elementCluster: string, volumeID: number): string => `${elementCluster}/${volumeID}`;

/**
 * Every volume each VolumePair claims: the IDs recorded in its status (owned), else the IDs its
 * spec names, keyed on the Element cluster's identity (two ElementClusters for one cluster share
 * claims). Names that never resolved claim nothing yet. Built from the informer caches once
 * per change of the VolumePair set, looked up per reconcile.
 */
export function buildClaimIndex(
  volumePairs: readonly VolumePair[],
  clusterPairs: ReadonlyMap<string, ClusterPair>,
  identityOf: (elementCluster: string) => string = (name) => name,
): ClaimIndex {
  const index = new Map<string, Claim[]>();
  for (const vp of volumePairs) {
    const cp = clusterPairs.get(vp.spec.clusterPairRef.name);
    const clusters = elementClustersOf(cp);
    const view = clusterPairView(cp);
    if (clusters === undefined || view === undefined) continue;
    const allowed = namespaceGranted(view, vp.metadata.namespace ?? '');
    for (const side of SIDES) {
      const ownedID = vp.status?.[sideField(side)]?.volumeID;
      const volumeID = ownedID ?? vp.spec[sideField(side)].volumeID;
      if (volumeID === undefined) continue;
      const claim: Claim = {
        key: `${vp.metadata.namespace ?? ''}/${vp.metadata.name}`,
        creationTimestamp: vp.metadata.creationTimestamp ?? '',
        elementCluster: identityOf(clusters[side]),
        volumeID,
        owned: ownedID !== undefined,
        allowed,
      };
      const key = claimKey(claim.elementCluster, volumeID);
      index.set(key, [...(index.get(key) ?? []), claim]);
    }
  }
  return index;
}

/** Claims on the given volumes (the candidates the shell observed for both sides). */
export function claimsOn(index: ClaimIndex, volumes: readonly { elementCluster: string; volumeID: number }[]): Claim[] {
  const seen = new Set<string>();
  const out: Claim[] = [];
  for (const { elementCluster, volumeID } of volumes) {
    const key = claimKey(elementCluster, volumeID);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(...(index.get(key) ?? []));
  }
  return out;
}
