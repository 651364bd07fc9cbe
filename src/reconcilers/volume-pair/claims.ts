// Step 3: one volume, one VolumePair. The first claimant keeps a volume: a claimant that already
// recorded the volume as owned beats one that only names it; among equals the older object wins
// (creation time, then namespace/name, so every reconciler reaches the same verdict).
import type { Claim } from './types.ts';

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
    if (claim.elementCluster !== elementCluster || claim.volumeID !== volumeID) continue;
    if (!before(claim, self)) continue;
    if (winner === undefined || before(claim, winner)) winner = claim;
  }
  return winner;
}
