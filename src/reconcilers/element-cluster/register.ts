// Wires the ElementCluster controller: its own kind, the Secrets of the operator namespace (a
// credential or CA change reconnects at once; Secrets elsewhere are re-read at every poll, as the
// operator may only watch its own namespace) and the ClusterPairs (in-use finalizer).
import type { ElementCluster } from '../../api/element-cluster.ts';
import type { Controller } from '../../controller/controller.ts';
import type { Manager } from '../../controller/manager.ts';
import type { KubeObject, ReconcileRequest } from '../../controller/object.ts';
import type { EventSource } from '../../controller/source.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecord } from '../../kube/events.ts';
import { referencedSecrets } from './access.ts';
import type { ElementConnections } from './connections.ts';
import { ElementClusterReconciler, type ClusterPairRefs, type ElementClusterClient } from './reconcile.ts';

export const ELEMENT_CLUSTER_CONTROLLER = 'ElementCluster';
const MAX_BACKOFF_MS = 5 * 60_000;

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
}

/** ElementClusters referencing this Secret. */
export function clustersUsingSecret(clusters: readonly ElementCluster[], secret: KubeObject, operatorNamespace: string): ReconcileRequest[] {
  const { name, namespace } = secret.metadata;
  return clusters
    .filter((c) => referencedSecrets(c, operatorNamespace).some((ref) => ref.name === name && ref.namespace === namespace))
    .map((c) => ({ name: c.metadata.name }));
}

export function registerElementClusterController(wiring: ElementClusterWiring): Controller<ElementCluster> {
  const { manager, informers, operatorNamespace, pollIntervalMs } = wiring;
  const reconciler = new ElementClusterReconciler({
    kube: wiring.kube,
    connections: wiring.connections,
    clusterPairs: informers.clusterPairs,
    events: wiring.events,
    operatorNamespace,
    pollIntervalMs,
    requeueClusterPair: (name) => manager.requeue('ClusterPair', { name }),
    ...(wiring.now ? { now: wiring.now } : {}),
  });
  return manager.addController<ElementCluster>({
    name: ELEMENT_CLUSTER_CONTROLLER,
    for: informers.clusters,
    watches: [
      { source: informers.operatorSecrets, map: (secret: KubeObject) => clustersUsingSecret(informers.clusters.list(), secret, operatorNamespace) },
      {
        source: informers.clusterPairs,
        map: (pair: ClusterPairRefs) => [pair.spec?.clusterARef?.name, pair.spec?.clusterBRef?.name].filter((n): n is string => Boolean(n)).map((name) => ({ name })),
        // References are immutable: only a ClusterPair appearing or going away changes the in-use finalizer.
        predicate: (event) => event.type !== 'updated',
      },
    ],
    reconciler,
    workers: wiring.workers,
    // An unreachable cluster is tried again at least once per poll interval, so it is Ready soon after it returns.
    backoff: { baseMs: 1000, maxMs: Math.max(1000, Math.min(MAX_BACKOFF_MS, pollIntervalMs)) },
  });
}
