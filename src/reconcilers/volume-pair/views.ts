// Pure adapters from the API objects (as the informers hold them) to the planner's views, and the
// claim index across VolumePairs. No I/O: the reconcile shell calls these with cached objects.
import {
  ALLOW_REPAIR_ANNOTATION,
  CLEANUP_FINALIZER,
  hasFinalizer,
  isAnnotationTrue,
} from '../../api/index.ts';
import type { ClusterPair, VolumePair } from '../../api/index.ts';
import type { Claim, ClusterPairView, Side, VolumePairView } from './types.ts';

export function volumePairView(vp: VolumePair): VolumePairView {
  const meta = vp.metadata;
  return {
    namespace: meta.namespace ?? '',
    name: meta.name,
    generation: meta.generation ?? 0,
    creationTimestamp: meta.creationTimestamp ?? '',
    annotations: meta.annotations ?? {},
    deleting: meta.deletionTimestamp !== undefined,
    hasFinalizer: hasFinalizer(meta, CLEANUP_FINALIZER),
    spec: vp.spec,
    status: vp.status ?? {},
  };
}

/**
 * What a VolumePair may rely on from its ClusterPair. IDs come from its status (written from both
 * clusters' ListClusterPairs); a ClusterPair being deleted is no base for new volume pairs.
 */
export function clusterPairView(cp: ClusterPair | undefined): ClusterPairView | undefined {
  if (cp === undefined) return undefined;
  const status = cp.status ?? {};
  const idA = status.sideA?.clusterPairID;
  const idB = status.sideB?.clusterPairID;
  const ids = idA !== undefined && idB !== undefined && idA > 0 && idB > 0 ? { A: idA, B: idB } : undefined;
  return {
    paired: ids !== undefined && status.clusterPairUUID !== undefined && cp.metadata.deletionTimestamp === undefined,
    connected: status.connectionStatus === 'Connected',
    ...(ids === undefined ? {} : { clusterPairIDs: ids }),
    ...(cp.spec.allowedNamespaces === undefined ? {} : { allowedNamespaces: cp.spec.allowedNamespaces }),
    managementPolicy: cp.spec.managementPolicy,
    allowRepair: isAnnotationTrue(cp.metadata, ALLOW_REPAIR_ANNOTATION),
  };
}

/** The ElementCluster behind each side of a VolumePair, through its ClusterPair. */
export function elementClustersOf(cp: ClusterPair | undefined): { A: string; B: string } | undefined {
  if (cp === undefined) return undefined;
  return { A: cp.spec.clusterARef.name, B: cp.spec.clusterBRef.name };
}

export type ClaimIndex = ReadonlyMap<string, readonly Claim[]>;

export const claimKey = (elementCluster: string, volumeID: number): string => `${elementCluster}/${volumeID}`;

/**
 * Every volume each VolumePair claims: the IDs recorded in its status (owned), else the IDs its
 * spec names. Names that never resolved claim nothing yet. Built from the informer caches once
 * per change of the VolumePair set, looked up per reconcile.
 */
export function buildClaimIndex(volumePairs: readonly VolumePair[], clusterPairs: ReadonlyMap<string, ClusterPair>): ClaimIndex {
  const index = new Map<string, Claim[]>();
  for (const vp of volumePairs) {
    const clusters = elementClustersOf(clusterPairs.get(vp.spec.clusterPairRef.name));
    if (clusters === undefined) continue;
    for (const side of ['A', 'B'] as const satisfies readonly Side[]) {
      const ownedID = vp.status?.[side === 'A' ? 'sideA' : 'sideB']?.volumeID;
      const volumeID = ownedID ?? vp.spec[side === 'A' ? 'sideA' : 'sideB'].volumeID;
      if (volumeID === undefined) continue;
      const claim: Claim = {
        key: `${vp.metadata.namespace ?? ''}/${vp.metadata.name}`,
        creationTimestamp: vp.metadata.creationTimestamp ?? '',
        elementCluster: clusters[side],
        volumeID,
        owned: ownedID !== undefined,
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
