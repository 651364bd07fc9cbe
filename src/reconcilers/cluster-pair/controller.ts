// Registration of the ClusterPair controller with the Manager: ClusterPairs are the primary kind.
// An ElementCluster whose readiness or identity changes re-queues the ClusterPairs that use it at
// once (its routine status writes do not); a VolumePair event re-queues the ClusterPair it
// references while that one is being deleted (InUse ends as soon as the last VolumePair is gone).
import { isTrue } from '../../api/index.ts';
import type { ClusterPair, ElementCluster } from '../../api/index.ts';
import type { SecondaryWatch } from '../../controller/controller.ts';
import type { ControllerRegistration } from '../../controller/manager.ts';
import type { KubeObject } from '../../controller/object.ts';
import type { EventSource } from '../../controller/source.ts';
import type { ClusterPairReconciler } from './reconcile.ts';

export const CLUSTER_PAIR_CONTROLLER = 'ClusterPair';

export type ClusterPairObject = Pick<ClusterPair, 'metadata' | 'spec'> & KubeObject;
export type ElementClusterObject = Pick<ElementCluster, 'metadata' | 'status'> & KubeObject;
export interface VolumePairReference extends KubeObject {
  spec?: { clusterPairRef?: { name?: string } };
}

export interface ClusterPairControllerOptions {
  reconciler: ClusterPairReconciler;
  clusterPairs: EventSource<ClusterPairObject>;
  elementClusters: EventSource<ElementClusterObject>;
  volumePairs?: EventSource<VolumePairReference>;
  workers?: number;
}

/** What a ClusterPair reads of an ElementCluster: a change of anything else re-queues nothing. */
function clusterFingerprint(cluster: ElementClusterObject): string {
  const status = cluster.status;
  return JSON.stringify([
    isTrue(status?.conditions, 'Ready'),
    status?.clusterUniqueID ?? null,
    status?.elementVersion ?? null,
    cluster.metadata.deletionTimestamp ?? null,
  ]);
}

export function clusterPairController(options: ClusterPairControllerOptions): ControllerRegistration<ClusterPairObject> {
  const { clusterPairs } = options;
  const seenClusters = new Map<string, string>();
  const onElementCluster: SecondaryWatch<ElementClusterObject> = {
    source: options.elementClusters,
    map: (cluster) => {
      const fingerprint = clusterFingerprint(cluster);
      if (seenClusters.get(cluster.metadata.name) === fingerprint) return [];
      seenClusters.set(cluster.metadata.name, fingerprint);
      return clusterPairs
        .list()
        .filter((cp) => cp.spec.clusterARef.name === cluster.metadata.name || cp.spec.clusterBRef.name === cluster.metadata.name)
        .map((cp) => ({ name: cp.metadata.name }));
    },
  };
  const watches: NonNullable<ControllerRegistration<ClusterPairObject>['watches']> = [onElementCluster];
  if (options.volumePairs) {
    const onVolumePair: SecondaryWatch<VolumePairReference> = {
      source: options.volumePairs,
      map: (vp) => {
        const name = vp.spec?.clusterPairRef?.name;
        return name && clusterPairs.get(name)?.metadata.deletionTimestamp ? [{ name }] : [];
      },
    };
    watches.push(onVolumePair);
  }
  return {
    name: CLUSTER_PAIR_CONTROLLER,
    for: clusterPairs,
    watches,
    reconciler: options.reconciler,
    ...(options.workers ? { workers: options.workers } : {}),
  };
}
