// Wires the ClusterPair controller into the Manager (one call from main.ts), with the shared
// informers and the observation cache shared with the VolumePair controller.
import type { Controller } from '../../controller/controller.ts';
import type { Manager } from '../../controller/manager.ts';
import type { EventSource } from '../../controller/source.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecord } from '../../kube/events.ts';
import type { ObservationCache } from '../observation-cache.ts';
import { clusterPairController } from './controller.ts';
import type { ClusterPairObject, ElementClusterObject, VolumePairReference } from './controller.ts';
import { ClusterPairReconciler } from './reconcile.ts';
import type { ClusterPairElement, ClusterPairReconcilerDeps } from './deps.ts';

export interface ClusterPairWiring {
  manager: Manager;
  kube: KubeClient;
  cache: ObservationCache<ClusterPairElement>;
  events: { record(event: EventRecord): void };
  operatorNamespace: string;
  pollIntervalMs: number;
  workers: number;
  metrics?: ClusterPairReconcilerDeps['metrics'];
  informers: {
    clusterPairs: EventSource<ClusterPairObject>;
    clusters: EventSource<ElementClusterObject>;
    volumePairs?: EventSource<VolumePairReference>;
  };
}

export function registerClusterPairController(wiring: ClusterPairWiring): Controller<ClusterPairObject> {
  const reconciler = new ClusterPairReconciler({
    kube: wiring.kube,
    cache: wiring.cache,
    events: wiring.events,
    operatorNamespace: wiring.operatorNamespace,
    pollIntervalMs: wiring.pollIntervalMs,
    metrics: wiring.metrics,
  });
  // The queue's default backoff is DESIGN §3's: Element errors back off from 1 s to at most 5 min.
  return wiring.manager.addController(
    clusterPairController({
      reconciler,
      clusterPairs: wiring.informers.clusterPairs,
      elementClusters: wiring.informers.clusters,
      ...(wiring.informers.volumePairs ? { volumePairs: wiring.informers.volumePairs } : {}),
      workers: wiring.workers,
    }),
  );
}
