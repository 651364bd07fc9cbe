// Registration of the ClusterPair controller with the Manager: ClusterPairs are the primary kind;
// a change of an ElementCluster (e.g. it turns Ready) re-queues the ClusterPairs that use it at
// once, and a change of a VolumePair re-queues the ClusterPair it references (a deletion waiting
// on InUse goes on as soon as the last VolumePair is gone).
import type { ClusterPair } from '../../api/index.ts';
import type { SecondaryWatch } from '../../controller/controller.ts';
import type { ControllerRegistration } from '../../controller/manager.ts';
import type { KubeObject } from '../../controller/object.ts';
import type { EventSource } from '../../controller/source.ts';
import type { ClusterPairReconciler } from './reconcile.ts';

export type ClusterPairObject = Pick<ClusterPair, 'metadata' | 'spec'> & KubeObject;
export interface VolumePairReference extends KubeObject {
  spec?: { clusterPairRef?: { name?: string } };
}

export interface ClusterPairControllerOptions {
  reconciler: ClusterPairReconciler;
  clusterPairs: EventSource<ClusterPairObject>;
  elementClusters: EventSource<KubeObject>;
  volumePairs?: EventSource<VolumePairReference>;
  workers?: number;
}

export function clusterPairController(options: ClusterPairControllerOptions): ControllerRegistration<ClusterPairObject> {
  const { clusterPairs } = options;
  const usingCluster = (cluster: KubeObject) =>
    clusterPairs
      .list()
      .filter((cp) => cp.spec.clusterARef.name === cluster.metadata.name || cp.spec.clusterBRef.name === cluster.metadata.name)
      .map((cp) => ({ name: cp.metadata.name }));
  const watches: SecondaryWatch<KubeObject>[] = [{ source: options.elementClusters, map: usingCluster }];
  if (options.volumePairs) {
    const volumePairs: SecondaryWatch<VolumePairReference> = {
      source: options.volumePairs,
      map: (vp) => (vp.spec?.clusterPairRef?.name ? [{ name: vp.spec.clusterPairRef.name }] : []),
    };
    watches.push(volumePairs as SecondaryWatch<KubeObject>);
  }
  return {
    name: 'ClusterPair',
    for: clusterPairs,
    watches,
    reconciler: options.reconciler,
    ...(options.workers ? { workers: options.workers } : {}),
  };
}
