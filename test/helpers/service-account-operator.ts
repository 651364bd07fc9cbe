// The operator wired as main.ts wires it, running in the test process as an installed
// ServiceAccount (every request impersonates it), its informers scoped to one test run's label, so
// an install's RBAC (kustomize or Helm) is what a pairing lifecycle is checked against.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { parse, stringify } from 'yaml';
import type { ClusterPair, ElementCluster } from '../../src/api/index.ts';
import { CLUSTER_PAIR, ELEMENT_CLUSTER, VOLUME_PAIR } from '../../src/api/group.ts';
import { VolumePair } from '../../src/api/volume-pair.ts';
import { Manager } from '../../src/controller/manager.ts';
import type { KubeObject } from '../../src/controller/object.ts';
import { ElementClient } from '../../src/element/client.ts';
import { customResource, KubeClient, SECRETS } from '../../src/kube/client.ts';
import { EventRecorder, eventsClient } from '../../src/kube/events.ts';
import { Informer } from '../../src/kube/informer.ts';
import { loadKubeConfig } from '../../src/kube/kubeconfig.ts';
import { LeaderElector, leaseClient } from '../../src/kube/lease.ts';
import { registerClusterPairController } from '../../src/reconcilers/cluster-pair/register.ts';
import { ElementConnections } from '../../src/reconcilers/element-cluster/connections.ts';
import { registerElementClusterController } from '../../src/reconcilers/element-cluster/register.ts';
import { ObservationCache } from '../../src/reconcilers/observation-cache.ts';
import { volumePairController } from '../../src/reconcilers/volume-pair/controller.ts';
import { VolumePairReconciler } from '../../src/reconcilers/volume-pair/reconcile.ts';
import { kubeconfigPath } from './kube.ts';

export const LEASE_NAME = 'elementrepl-operator-leader'; // main.ts's

/** The admin kubeconfig, impersonating `user` (client-node sends `as` as Impersonate-User). Written to a new temp dir. */
export function writeImpersonatingKubeconfig(user: string): string {
  const config = parse(readFileSync(kubeconfigPath(), 'utf8')) as { users: { user: Record<string, unknown> }[] };
  for (const u of config.users) u.user['as'] = user;
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sa-kubeconfig-')), 'kubeconfig');
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}

export interface InProcessOperatorOptions {
  kubeconfig: string;
  /** The operator's namespace (Lease, pairing-key Secrets, default Secret namespace). */
  namespace: string;
  /** Informers of the three kinds see only objects with these labels. */
  labels: Record<string, string>;
  identity: string;
  log: Logger;
  pollIntervalMs: number;
}

export interface InProcessOperator {
  manager: Manager;
  /** Resolves when the manager has stopped (after `stop`). */
  running: Promise<void>;
  stop(): Promise<void>;
}

/** main.ts's registerControllers and leader election, as the kubeconfig's user. */
export function startOperatorInProcess(options: InProcessOperatorOptions): InProcessOperator {
  const { namespace, log, pollIntervalMs, identity } = options;
  const { kubeConfig } = loadKubeConfig({ kubeconfig: options.kubeconfig });
  const kube = new KubeClient(kubeConfig);
  const scoped = { client: kube, log, labelSelector: Object.entries(options.labels).map(([k, v]) => `${k}=${v}`).join(',') };
  const informers = {
    clusters: new Informer<ElementCluster>({ ...scoped, resource: customResource(ELEMENT_CLUSTER) }),
    clusterPairs: new Informer<ClusterPair>({ ...scoped, resource: customResource(CLUSTER_PAIR) }),
    volumePairs: new Informer<VolumePair>({ ...scoped, resource: customResource(VOLUME_PAIR), parse: (raw) => VolumePair.parse(raw) }),
    operatorSecrets: new Informer<KubeObject>({ client: kube, resource: SECRETS, namespace, log }),
  };
  // An hour-long Lease: a standby operator process of the test must never take over (it would
  // reconcile every object of the shared plane); renewals still rewrite it every retry period.
  const leaderElection = new LeaderElector({
    client: leaseClient(kubeConfig),
    namespace,
    name: LEASE_NAME,
    identity,
    durations: { leaseDurationMs: 3_600_000, renewDeadlineMs: 60_000, retryPeriodMs: 2_000 },
    log,
  });
  const manager = new Manager({ log, leaderElection, shutdownTimeoutMs: 10_000 });
  const events = new EventRecorder({ client: eventsClient(kubeConfig), log, reportingInstance: identity });
  const connections = new ElementConnections<ElementClient>((_cluster, clientOptions) => new ElementClient(clientOptions));
  const common = { manager, kube, events, operatorNamespace: namespace, pollIntervalMs, workers: 2 };
  const cache = new ObservationCache<ElementClient>({ clientFor: (cluster) => connections.clientFor(cluster), pollIntervalMs });
  registerElementClusterController({ ...common, connections, informers });
  registerClusterPairController({ ...common, cache, informers });
  const { volumePairs, clusterPairs, clusters: elementClusters } = informers;
  const reconciler = new VolumePairReconciler({ kube, cache, events, volumePairs, clusterPairs, elementClusters, operatorNamespace: namespace, pollIntervalMs });
  manager.addController({ ...volumePairController({ reconciler, volumePairs, clusterPairs, elementClusters, workers: 2 }), backoff: { baseMs: 1000, maxMs: 300_000 } });
  const stop = new AbortController();
  const running = manager.run(stop.signal).finally(() => connections.closeAll());
  return {
    manager,
    running,
    stop: async () => {
      stop.abort();
      await running;
    },
  };
}
