// Pure adapters from the API objects (as the informers hold them) to the planner's views. No I/O:
// the shell and the controller's watches call these with cached objects.
import {
  ALLOW_REPAIR_ANNOTATION,
  CLEANUP_FINALIZER,
  hasFinalizer,
  isAnnotationTrue,
} from '../../api/index.ts';
import type { ClusterPair, VolumePair } from '../../api/index.ts';
import type { ClusterPairView, VolumePairView } from './plan-types.ts';

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
    ...(cp.spec.namespaceAccounts === undefined ? {} : { namespaceAccounts: cp.spec.namespaceAccounts }),
    volumePairPolicy: cp.spec.volumePairPolicy ?? { adoptExisting: true, allowOverwrite: false },
    managementPolicy: cp.spec.managementPolicy,
    allowRepair: isAnnotationTrue(cp.metadata, ALLOW_REPAIR_ANNOTATION),
  };
}

/** The ElementCluster behind each side of a VolumePair, through its ClusterPair. */
export function elementClustersOf(cp: ClusterPair | undefined): { A: string; B: string } | undefined {
  if (cp === undefined) return undefined;
  return { A: cp.spec.clusterARef.name, B: cp.spec.clusterBRef.name };
}
