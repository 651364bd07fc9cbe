// Composition root: configuration → logger and metrics → Kubernetes client → (leader election) →
// manager with its controllers → metrics and probe servers; runs until SIGTERM/SIGINT, then shuts
// down gracefully (stop taking work, finish in-flight reconciles, release the Lease, stop informers).
import type { ClusterPair } from './api/cluster-pair.ts';
import type { ElementCluster } from './api/element-cluster.ts';
import { CLUSTER_PAIR, ELEMENT_CLUSTER, VOLUME_PAIR } from './api/group.ts';
import { VolumePair } from './api/volume-pair.ts';
import { ConfigError, helpText, parseConfig, wantsHelp, wantsVersion, type Config } from './config.ts';
import { Manager, type LeaderElection } from './controller/manager.ts';
import type { KubeObject } from './controller/object.ts';
import { ElementClient } from './element/client.ts';
import { customResource, KubeClient, SECRETS } from './kube/client.ts';
import { EventRecorder, eventsClient } from './kube/events.ts';
import { Informer } from './kube/informer.ts';
import { loadKubeConfig, serviceAccountNamespace } from './kube/kubeconfig.ts';
import { defaultLeaderIdentity, LeaderElector, leaseClient, OPERATOR_LEASE_NAME } from './kube/lease.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics, type OperatorMetrics } from './observability/metrics.ts';
import { startMetricsServer } from './observability/metrics-server.ts';
import { HealthChecks, startProbeServer } from './observability/probe-server.ts';
import { registerClusterPairController } from './reconcilers/cluster-pair/register.ts';
import { ElementConnections } from './reconcilers/element-cluster/connections.ts';
import { registerElementClusterController } from './reconcilers/element-cluster/register.ts';
import { clusterIdentity } from './reconcilers/cluster-view.ts';
import { ObservationCache } from './reconcilers/observation-cache.ts';
import { registerVolumePairController } from './reconcilers/volume-pair/register.ts';
import { operatorVersion } from './version.ts';

const PROGRAM = 'elementrepl-operator';

function readConfig(argv: string[]): Config {
  if (wantsVersion(argv)) {
    process.stdout.write(`${PROGRAM} ${operatorVersion()}\n`);
    process.exit(0);
  }
  if (wantsHelp(argv)) {
    process.stdout.write(helpText(PROGRAM));
    process.exit(0);
  }
  try {
    return parseConfig(argv, process.env, { serviceAccountNamespace: serviceAccountNamespace() });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${PROGRAM}: ${error.message}\n`);
    process.exit(2);
  }
}

/** Aborts on the first SIGTERM/SIGINT; a second one exits at once (an impatient operator). */
function shutdownSignal(log: Logger): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    log.info({ signal }, 'shutdown requested');
    controller.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return controller.signal;
}

interface Wiring {
  manager: Manager;
  client: KubeClient;
  config: Config;
  log: Logger;
  events: EventRecorder;
  connections: ElementConnections<ElementClient>;
  metrics: OperatorMetrics;
}

/** Informers shared by the controllers (one list+watch per kind and scope). */
function sharedInformers({ client, config, log }: Wiring) {
  return {
    clusters: new Informer<ElementCluster>({ client, resource: customResource(ELEMENT_CLUSTER), log }),
    clusterPairs: new Informer<ClusterPair>({ client, resource: customResource(CLUSTER_PAIR), log }),
    // Parsed at the boundary: the VolumePair reconciler reads the cache with the schema's defaults.
    volumePairs: new Informer<VolumePair>({ client, resource: customResource(VOLUME_PAIR), log, parse: (raw) => VolumePair.parse(raw) }),
    operatorSecrets: new Informer<KubeObject>({ client, resource: SECRETS, namespace: config.operatorNamespace, log }),
  };
}

/** One call per kind. */
function registerControllers(wiring: Wiring): void {
  const { manager, client: kube, config, events, connections, metrics } = wiring;
  const informers = sharedInformers(wiring);
  const { operatorNamespace, pollIntervalMs, workers } = config;
  const common = { manager, kube, events, operatorNamespace, pollIntervalMs, workers };
  // Element is observed through one cache per cluster, shared by the ClusterPair and VolumePair
  // controllers; it gets a client only while the ElementCluster controller says the cluster is usable.
  const cache = new ObservationCache<ElementClient>({
    clientFor: (cluster) => connections.clientFor(cluster),
    pollIntervalMs,
    // Pairing locks key on the Element cluster, not the resource name (DESIGN §10).
    identityOf: (cluster) => clusterIdentity(informers.clusters, cluster),
  });
  // metrics: elementrepl_resource_condition, as for the other two kinds (the shell feeds it).
  registerElementClusterController({ ...common, connections, informers, metrics });
  registerClusterPairController({ ...common, cache, informers, metrics });
  // metrics: elementrepl_volume_pairs{state}, elementrepl_drift_corrections_total (DESIGN §4) and the lag (§9).
  registerVolumePairController({ ...common, cache, informers, metrics, lagWarningThresholdSeconds: config.lagWarningThresholdMs / 1000 });
}

async function main(): Promise<void> {
  const config = readConfig(process.argv.slice(2));
  const log = createLogger({ level: config.logLevel });
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });

  const metrics = createMetrics();
  const { kubeConfig, source, server } = loadKubeConfig({ kubeconfig: config.kubeconfig });
  log.info({ source, server, namespace: config.operatorNamespace, workers: config.workers, pollIntervalMs: config.pollIntervalMs }, 'starting');
  const client = new KubeClient(kubeConfig);

  let leaderElection: LeaderElection | undefined;
  if (config.leaderElect) {
    leaderElection = new LeaderElector({
      client: leaseClient(kubeConfig),
      namespace: config.operatorNamespace,
      name: OPERATOR_LEASE_NAME,
      identity: defaultLeaderIdentity(),
      log,
      metrics: metrics.leaderElection,
    });
  }

  const manager = new Manager({
    log,
    leaderElection,
    shutdownTimeoutMs: config.gracefulShutdownTimeoutMs,
    // DESIGN §4: a leader that loses the Lease exits at once; its Deployment restarts it as a standby.
    onLeadershipLost: () => {
      log.fatal('leader election lost; exiting');
      process.exit(1);
    },
    queueMetrics: metrics.queue,
    reconcileMetrics: metrics.reconcile,
  });
  const events = new EventRecorder({ client: eventsClient(kubeConfig), log });
  const connections = new ElementConnections<ElementClient>(
    (cluster, options) => new ElementClient({ ...options, onCall: metrics.elementCallObserver(cluster) }),
  );
  registerControllers({ manager, client, config, log, events, connections, metrics });

  const checks = new HealthChecks();
  checks.addReadinessCheck('informers', () => {
    const readiness = manager.readiness();
    const unsynced = readiness.informers.filter((i) => !i.synced).map((i) => i.name);
    if (readiness.stopping) return { ok: false, reason: 'shutting down' };
    return unsynced.length > 0 ? { ok: false, reason: `not synced: ${unsynced.join(', ')}` } : { ok: readiness.ready };
  });
  const servers = await Promise.all([
    startMetricsServer({ bindAddress: config.metricsBindAddress, registry: metrics.registry, log }),
    startProbeServer({ bindAddress: config.healthProbeBindAddress, checks, log }),
  ]);

  await manager.run(shutdownSignal(log));
  await events.flush(); // Events recorded by the last reconciles are written before exit
  await Promise.all([...servers.map((s) => s?.close()), connections.closeAll()]);
  log.info('stopped');
  // Everything is closed; should a forgotten handle keep the loop alive, do not hang the pod's shutdown.
  setTimeout(() => process.exit(0), 2000).unref();
}

try {
  await main();
} catch (error) {
  process.stderr.write(`${PROGRAM}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
