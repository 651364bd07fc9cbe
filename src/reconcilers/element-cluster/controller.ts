// What the ElementCluster controller watches: its own kind, the Secrets of the operator namespace
// (a credential or CA change reconnects at once; Secrets elsewhere are re-read at every poll, as the
// operator may only watch its own namespace), the ClusterPairs (in-use finalizer) and the other
// ElementClusters for one Element cluster (an alias appearing, going away or recording that
// uniqueID decides which of them is DuplicateCluster).
import type { ElementCluster } from '../../api/element-cluster.ts';
import { DEFAULT_BACKOFF_MAX_MS } from '../../controller/backoff.ts';
import type { ControllerRegistration } from '../../controller/manager.ts';
import type { KubeObject, ReconcileRequest } from '../../controller/object.ts';
import type { EventSource } from '../../controller/source.ts';
import { referencedSecrets } from './access.ts';
import type { ClusterPairRefs, ElementClusterReconciler } from './reconcile.ts';

export const ELEMENT_CLUSTER_CONTROLLER = 'ElementCluster';

export interface ElementClusterControllerOptions {
  reconciler: ElementClusterReconciler;
  clusters: EventSource<ElementCluster>;
  clusterPairs: EventSource<ClusterPairRefs & KubeObject>;
  /** Secrets of the operator namespace. */
  operatorSecrets: EventSource<KubeObject>;
  operatorNamespace: string;
  pollIntervalMs: number;
  workers: number;
}

/** ElementClusters referencing this Secret. */
export function clustersUsingSecret(clusters: readonly ElementCluster[], secret: KubeObject, operatorNamespace: string): ReconcileRequest[] {
  const { name, namespace } = secret.metadata;
  return clusters
    .filter((c) => referencedSecrets(c, operatorNamespace).some((ref) => ref.name === name && ref.namespace === namespace))
    .map((c) => ({ name: c.metadata.name }));
}

/** The other ElementClusters recorded for the same Element cluster (clusterUniqueID) as this one. */
export function aliasesOf(clusters: readonly ElementCluster[], cluster: ElementCluster): ReconcileRequest[] {
  const uniqueID = cluster.status?.clusterUniqueID;
  if (uniqueID === undefined) return [];
  return clusters.filter((c) => c.metadata.name !== cluster.metadata.name && c.status?.clusterUniqueID === uniqueID).map((c) => ({ name: c.metadata.name }));
}

export function elementClusterController(options: ElementClusterControllerOptions): ControllerRegistration<ElementCluster> {
  const { clusters, clusterPairs, operatorSecrets, operatorNamespace, pollIntervalMs } = options;
  return {
    name: ELEMENT_CLUSTER_CONTROLLER,
    for: clusters,
    watches: [
      { source: operatorSecrets, map: (secret: KubeObject) => clustersUsingSecret(clusters.list(), secret, operatorNamespace) },
      {
        source: clusterPairs,
        map: (pair: ClusterPairRefs) => [pair.spec?.clusterARef?.name, pair.spec?.clusterBRef?.name].filter((n): n is string => Boolean(n)).map((name) => ({ name })),
        // References are immutable: only a ClusterPair appearing or going away changes the in-use finalizer.
        predicate: (event) => event.type !== 'updated',
      },
      {
        source: clusters,
        map: (cluster: ElementCluster) => aliasesOf(clusters.list(), cluster),
        // Not every status write (lastContactTime): only an identity appearing, changing or going away.
        predicate: (event) => event.type !== 'updated' || event.old.status?.clusterUniqueID !== event.object.status?.clusterUniqueID,
      },
    ],
    reconciler: options.reconciler,
    workers: options.workers,
    // An unreachable cluster is tried again at least once per poll interval, so it is Ready soon after it returns.
    backoff: { maxMs: Math.max(1000, Math.min(DEFAULT_BACKOFF_MAX_MS, pollIntervalMs)) },
  };
}
