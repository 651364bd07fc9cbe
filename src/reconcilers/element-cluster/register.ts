// Wires the ElementCluster controller into the Manager (one call from main.ts).
import type { ElementCluster } from '../../api/element-cluster.ts';
import type { Controller } from '../../controller/controller.ts';
import type { Manager } from '../../controller/manager.ts';
import type { KubeObject } from '../../controller/object.ts';
import type { EventSource } from '../../controller/source.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecord } from '../../kube/events.ts';
import type { ShellMetrics } from '../shell/reconcile-loop.ts';
import type { ElementConnections } from './connections.ts';
import { elementClusterController } from './controller.ts';
import { ElementClusterReconciler, type ClusterPairRefs, type ElementClusterClient } from './reconcile.ts';

export interface ElementClusterWiring {
  manager: Manager;
  kube: KubeClient;
  connections: ElementConnections<ElementClusterClient>;
  events: { record(event: EventRecord): void };
  operatorNamespace: string;
  pollIntervalMs: number;
  workers: number;
  informers: {
    clusters: EventSource<ElementCluster>;
    clusterPairs: EventSource<ClusterPairRefs & KubeObject>;
    /** Secrets of the operator namespace. */
    operatorSecrets: EventSource<KubeObject>;
  };
  now?: () => Date;
  /** elementrepl_resource_condition (OperatorMetrics); optional. */
  metrics?: ShellMetrics;
}

export function registerElementClusterController(wiring: ElementClusterWiring): Controller<ElementCluster> {
  const { manager, informers, operatorNamespace, pollIntervalMs, workers } = wiring;
  const reconciler = new ElementClusterReconciler({
    kube: wiring.kube,
    connections: wiring.connections,
    clusterPairs: informers.clusterPairs,
    elementClusters: informers.clusters,
    events: wiring.events,
    operatorNamespace,
    pollIntervalMs,
    requeueClusterPair: (name) => manager.requeue('ClusterPair', { name }),
    ...(wiring.now ? { now: wiring.now } : {}),
    ...(wiring.metrics ? { metrics: wiring.metrics } : {}),
  });
  return manager.addController(elementClusterController({ reconciler, ...informers, operatorNamespace, pollIntervalMs, workers }));
}
