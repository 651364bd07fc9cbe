// Wires the ClusterPair controller into the Manager (called from main.ts with the shared informers
// and the observation cache shared with the VolumePair controller).
import type { Controller } from '../../controller/controller.ts';
import type { Manager } from '../../controller/manager.ts';
import type { EventSource } from '../../controller/source.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecord } from '../../kube/events.ts';
import type { ObservationCache } from '../observation-cache.ts';
import { clusterPairController } from './controller.ts';
import type { ClusterPairObject, ElementClusterObject, VolumePairReference } from './controller.ts';
import { ClusterPairReconciler } from './reconcile.ts';
import type { ClusterPairElement, ClusterPairReconcilerDeps } from './shell-types.ts';

const MAX_BACKOFF_MS = 5 * 60_000;

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
  return wiring.manager.addController({
    ...clusterPairController({
      reconciler,
      clusterPairs: wiring.informers.clusterPairs,
      elementClusters: wiring.informers.clusters,
      ...(wiring.informers.volumePairs ? { volumePairs: wiring.informers.volumePairs } : {}),
      workers: wiring.workers,
    }),
    // DESIGN §3: Element errors back off from 1 s to at most 5 min.
    backoff: { baseMs: 1000, maxMs: MAX_BACKOFF_MS },
  });
}
