// A test operator process running only the ClusterPair controller, for the crash tests: the real
// Manager, informers, queue, reconciler and crash hook, but Element clients made from the
// simulator's endpoints (the ElementCluster reconciler, which normally provides them, is not
// part of this test). Configured by ELEMENTREPL_TEST_RUNNER (JSON, see RunnerConfig); the
// ClusterPair informer is scoped by a label selector so other tests' objects are left alone.
// Run: ./node_modules/.bin/node test/helpers/cluster-pair-runner.ts
import { pino } from 'pino';
import { CLUSTER_PAIR, ELEMENT_CLUSTER } from '../../src/api/group.ts';
import { Manager } from '../../src/controller/manager.ts';
import { ElementClient } from '../../src/element/client.ts';
import { KubeClient, customResource } from '../../src/kube/client.ts';
import { Informer } from '../../src/kube/informer.ts';
import { loadKubeConfig } from '../../src/kube/kubeconfig.ts';
import { ObservationCache } from '../../src/reconcilers/observation-cache.ts';
import { clusterPairController, type ClusterPairObject, type ElementClusterObject } from '../../src/reconcilers/cluster-pair/controller.ts';
import { ClusterPairReconciler } from '../../src/reconcilers/cluster-pair/reconcile.ts';
import type { ClusterPairElement } from '../../src/reconcilers/cluster-pair/shell-types.ts';

export interface RunnerConfig {
  kubeconfig: string;
  namespace: string;
  labelSelector: string;
  pollIntervalMs: number;
  caPem: string;
  /** ElementCluster name → simulator endpoint. */
  clusters: Record<string, { mvip: string; username: string; password: string }>;
}

const config = JSON.parse(process.env['ELEMENTREPL_TEST_RUNNER'] ?? '{}') as RunnerConfig;
const log = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'info' });
const client = new KubeClient(loadKubeConfig({ kubeconfig: config.kubeconfig }).kubeConfig);

const clients = new Map<string, ElementClient>();
const cache = new ObservationCache<ClusterPairElement>({
  pollIntervalMs: config.pollIntervalMs,
  clientFor: (name) => {
    const endpoint = config.clusters[name];
    if (!endpoint) return undefined;
    let element = clients.get(name);
    if (!element) {
      element = new ElementClient({ ...endpoint, tls: { caPem: config.caPem }, timeouts: { connectMs: 2_000, headersMs: 5_000, bodyMs: 5_000 } });
      clients.set(name, element);
    }
    return element;
  },
});

const clusterPairs = new Informer<ClusterPairObject>({ client, resource: customResource(CLUSTER_PAIR), log, labelSelector: config.labelSelector });
const elementClusters = new Informer<ElementClusterObject>({ client, resource: customResource(ELEMENT_CLUSTER), log });
const reconciler = new ClusterPairReconciler({
  kube: client,
  cache,
  events: { record: (event) => log.info({ reason: event.reason, type: event.type }, 'event') },
  operatorNamespace: config.namespace,
  pollIntervalMs: config.pollIntervalMs,
});
const manager = new Manager({ log, shutdownTimeoutMs: 5_000 });
manager.addController(clusterPairController({ reconciler, clusterPairs, elementClusters }));

const stop = new AbortController();
process.on('SIGTERM', () => stop.abort());
process.on('SIGINT', () => stop.abort());
await manager.run(stop.signal);
await Promise.all([...clients.values()].map((c) => c.close()));
process.exit(0);
