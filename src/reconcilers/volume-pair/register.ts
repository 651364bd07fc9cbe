// Wires the VolumePair controller into the Manager (one call from main.ts), with the informers it
// shares with the other controllers and the observation cache it shares with the ClusterPair one.
import type { ClusterPair, ElementCluster, VolumePair } from '../../api/index.ts';
import type { Controller } from '../../controller/controller.ts';
import type { Manager } from '../../controller/manager.ts';
import type { EventSource } from '../../controller/source.ts';
import type { VolumePairReconcilerDeps } from './deps.ts';
import { volumePairController } from './controller.ts';
import { VolumePairReconciler } from './reconcile.ts';

export interface VolumePairWiring extends Omit<VolumePairReconcilerDeps, 'volumePairs' | 'clusterPairs' | 'elementClusters'> {
  manager: Manager;
  workers: number;
  informers: {
    volumePairs: EventSource<VolumePair>;
    clusterPairs: EventSource<ClusterPair>;
    clusters: EventSource<ElementCluster>;
  };
}

export function registerVolumePairController(wiring: VolumePairWiring): Controller<VolumePair> {
  const { manager, workers, informers, ...deps } = wiring;
  const { volumePairs, clusterPairs, clusters: elementClusters } = informers;
  const reconciler = new VolumePairReconciler({ ...deps, volumePairs, clusterPairs, elementClusters });
  return manager.addController(volumePairController({ reconciler, volumePairs, clusterPairs, elementClusters, workers }));
}
