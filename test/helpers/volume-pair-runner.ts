// A test operator process running the ClusterPair and VolumePair controllers, for the VolumePair
// integration and crash tests: the real Manager, informers, queue, reconcilers, shared
// observation cache and crash hook, but Element clients made from the simulator's endpoints (the
// ElementCluster reconciler, which normally provides them, is not part of this test). Configured
// by ELEMENTREPL_TEST_RUNNER (JSON, see VolumePairRunnerConfig); the ClusterPair and VolumePair
// informers are scoped by a label selector so other tests' objects are left alone.
// Run: ./node_modules/.bin/node test/helpers/volume-pair-runner.ts
import { pino } from 'pino';
import { CLUSTER_PAIR, ELEMENT_CLUSTER, VOLUME_PAIR } from '../../src/api/group.ts';
import { VolumePair } from '../../src/api/index.ts';
import type { ClusterPair, ElementCluster } from '../../src/api/index.ts';
import { Manager } from '../../src/controller/manager.ts';
import { ElementClient } from '../../src/element/client.ts';
import { KubeClient, customResource } from '../../src/kube/client.ts';
import { Informer } from '../../src/kube/informer.ts';
import { loadKubeConfig } from '../../src/kube/kubeconfig.ts';
import { ObservationCache } from '../../src/reconcilers/observation-cache.ts';
import { clusterPairController } from '../../src/reconcilers/cluster-pair/controller.ts';
import { ClusterPairReconciler } from '../../src/reconcilers/cluster-pair/reconcile.ts';
import { volumePairController } from '../../src/reconcilers/volume-pair/controller.ts';
import { VolumePairReconciler } from '../../src/reconcilers/volume-pair/reconcile.ts';

export interface VolumePairRunnerConfig {
  kubeconfig: string;
  namespace: string;
  labelSelector: string;
  pollIntervalMs: number;
  caPem: string;
  /** ElementCluster name → simulator endpoint. */
  clusters: Record<string, { mvip: string; username: string; password: string }>;
}

const config = JSON.parse(process.env['ELEMENTREPL_TEST_RUNNER'] ?? '{}') as VolumePairRunnerConfig;
const log = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'info' });
const client = new KubeClient(loadKubeConfig({ kubeconfig: config.kubeconfig }).kubeConfig);

const clients = new Map<string, ElementClient>();
const cache = new ObservationCache<ElementClient>({
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

const scoped = { client, log, labelSelector: config.labelSelector };
const clusterPairs = new Informer<ClusterPair>({ ...scoped, resource: customResource(CLUSTER_PAIR) });
const volumePairs = new Informer<VolumePair>({ ...scoped, resource: customResource(VOLUME_PAIR), parse: (raw) => VolumePair.parse(raw) });
const elementClusters = new Informer<ElementCluster>({ client, log, resource: customResource(ELEMENT_CLUSTER) });
const events = { record: (event: { reason: string; type: string; note: string }) => log.info({ reason: event.reason, type: event.type, note: event.note }, 'event') };

const manager = new Manager({ log, shutdownTimeoutMs: 5_000 });
const clusterPairReconciler = new ClusterPairReconciler({ kube: client, cache, events, operatorNamespace: config.namespace, pollIntervalMs: config.pollIntervalMs });
manager.addController(clusterPairController({ reconciler: clusterPairReconciler, clusterPairs, elementClusters, volumePairs }));
const volumePairReconciler = new VolumePairReconciler({
  kube: client,
  cache,
  events,
  volumePairs,
  clusterPairs,
  elementClusters,
  operatorNamespace: config.namespace,
  pollIntervalMs: config.pollIntervalMs,
  // Logged, so tests can see them in the output.
  metrics: {
    setVolumePairStates: (counts) => log.info({ counts }, 'volume pair states'),
    driftCorrected: (kind) => log.info({ kind }, 'drift corrected'),
  },
});
manager.addController(volumePairController({ reconciler: volumePairReconciler, volumePairs, clusterPairs, elementClusters }));

const stop = new AbortController();
process.on('SIGTERM', () => stop.abort());
process.on('SIGINT', () => stop.abort());
await manager.run(stop.signal);
await Promise.all([...clients.values()].map((c) => c.close()));
process.exit(0);
