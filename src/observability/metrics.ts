// The operator's Prometheus metrics: controller-runtime's names (so existing dashboards and
// alerts work unchanged) plus the Element ones of DESIGN.md §4, in a Registry of their own so
// tests can build isolated ones. Labels stay low-cardinality: controller, queue, ElementCluster
// and ClusterPair names, methods, outcomes and states — never a pairing ID, UID or key. The one
// per-pair series is the replication lag (DESIGN §9: an RPO alert must name the VolumePair).
import { getHeapStatistics } from 'node:v8';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueMetrics, ReconcileMetrics, ReconcileResult } from '../controller/metrics-hooks.ts';
import type { ElementCallEvent } from '../element/types.ts';

/** What the leader elector reports (src/kube/lease.ts accepts this shape). */
export interface LeaderElectionMetrics {
  setLeader(name: string, leading: boolean): void;
}

export interface OperatorMetrics {
  readonly registry: Registry;
  readonly queue: QueueMetrics;
  readonly reconcile: ReconcileMetrics;
  readonly leaderElection: LeaderElectionMetrics;
  /** The `onCall` callback for the Element client of one ElementCluster. */
  elementCallObserver(cluster: string): (event: ElementCallEvent) => void;
  /** Replaces elementrepl_volume_pairs{state} with these counts (states absent from `counts` vanish). */
  setVolumePairStates(counts: Readonly<Record<string, number>>): void;
  /** elementrepl_cluster_pair_latency_seconds{cluster_pair}; undefined removes the series. */
  setClusterPairLatency(clusterPair: string, seconds: number | undefined): void;
  /** elementrepl_drift_corrections_total{kind}. */
  driftCorrected(kind: string): void;
  /** elementrepl_volume_pair_replication_lag_seconds{namespace,name}; undefined removes the series. */
  setVolumePairLag(namespace: string, name: string, seconds: number | undefined): void;
  /**
   * elementrepl_resource_condition{kind,namespace,name,type} for Ready, Degraded and Stalled: 1 when
   * True, 0 when False, no series when absent or Unknown. undefined removes the object's series.
   * namespace is "" for cluster-scoped kinds.
   */
  setResourceConditions(kind: string, namespace: string, name: string, conditions: readonly ConditionLike[] | undefined): void;
}

/** The part of a status condition the condition gauge reads. */
export interface ConditionLike {
  type: string;
  status: string;
}

/** The condition types alerts read (Reconciling and UpToDate churn and are not alerted on). */
export const ALERTED_CONDITION_TYPES = ['Ready', 'Degraded', 'Stalled'] as const;

export interface MetricsOptions {
  /** process_* and nodejs_* metrics (default true). */
  defaultMetrics?: boolean;
}

// controller-runtime's reconcile_time_seconds buckets.
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75,
  2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
// client-go's workqueue buckets: ExponentialBuckets(10e-9, 10, 12), 10 ns to 1000 s.
const WORKQUEUE_BUCKETS = Array.from({ length: 12 }, (_, i) => Number((1e-8 * 10 ** i).toPrecision(1)));
// Element calls: milliseconds for reads on a LAN up to pairing calls that take tens of seconds.
const ELEMENT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

const RESULTS: readonly ReconcileResult[] = ['success', 'error', 'requeue', 'requeue_after'];

export function createMetrics(options: MetricsOptions = {}): OperatorMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const reconcileTotal = new Counter({ name: 'controller_runtime_reconcile_total', help: 'Total number of reconciliations per controller', labelNames: ['controller', 'result'] as const, registers });
  const reconcileErrors = new Counter({ name: 'controller_runtime_reconcile_errors_total', help: 'Total number of reconciliation errors per controller', labelNames: ['controller'] as const, registers });
  const reconcileTime = new Histogram({ name: 'controller_runtime_reconcile_time_seconds', help: 'Length of time per reconciliation per controller', labelNames: ['controller'] as const, buckets: RECONCILE_BUCKETS, registers });
  const maxConcurrent = new Gauge({ name: 'controller_runtime_max_concurrent_reconciles', help: 'Maximum number of concurrent reconciles per controller', labelNames: ['controller'] as const, registers });
  const activeWorkers = new Gauge({ name: 'controller_runtime_active_workers', help: 'Number of currently used workers per controller', labelNames: ['controller'] as const, registers });

  const depth = new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: ['name'] as const, registers });
  const adds = new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: ['name'] as const, registers });
  const queueDuration = new Histogram({ name: 'workqueue_queue_duration_seconds', help: 'How long in seconds an item stays in workqueue before being requested', labelNames: ['name'] as const, buckets: WORKQUEUE_BUCKETS, registers });
  const workDuration = new Histogram({ name: 'workqueue_work_duration_seconds', help: 'How long in seconds processing an item from workqueue takes', labelNames: ['name'] as const, buckets: WORKQUEUE_BUCKETS, registers });
  const retries = new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: ['name'] as const, registers });

  const leaderStatus = new Gauge({ name: 'leader_election_master_status', help: 'Whether this process holds the lease (1) or is a standby (0), per lease name', labelNames: ['name'] as const, registers });

  const elementRequests = new Counter({ name: 'elementrepl_element_requests_total', help: 'Element JSON-RPC calls by cluster, method and outcome', labelNames: ['cluster', 'method', 'outcome'] as const, registers });
  const elementDuration = new Histogram({ name: 'elementrepl_element_request_duration_seconds', help: 'Duration of Element JSON-RPC calls', labelNames: ['cluster', 'method'] as const, buckets: ELEMENT_BUCKETS, registers });
  const volumePairs = new Gauge({ name: 'elementrepl_volume_pairs', help: 'VolumePairs by replication state', labelNames: ['state'] as const, registers });
  const pairLatency = new Gauge({ name: 'elementrepl_cluster_pair_latency_seconds', help: 'Latency between the two clusters of a ClusterPair as Element reports it', labelNames: ['cluster_pair'] as const, registers });
  // One series per VolumePair: the lag is per pair by nature (an RPO alert names the pair), and the
  // series goes with the VolumePair.
  const lag = new Gauge({ name: 'elementrepl_volume_pair_replication_lag_seconds', help: 'Seconds since the source volume of a VolumePair was last synced with its target (asyncDelay); keeps growing while it cannot be read', labelNames: ['namespace', 'name'] as const, registers });
  // One series per resource and condition type: "Degraded for 15 min" must name the resource.
  const condition = new Gauge({ name: 'elementrepl_resource_condition', help: 'Status conditions Ready, Degraded and Stalled per resource: 1 when True, 0 when False (namespace is empty for cluster-scoped kinds)', labelNames: ['kind', 'namespace', 'name', 'type'] as const, registers });
  // prom-client's nodejs_heap_* report sizes, not the cap: this shows the heap cap the Deployment's
  // NODE_OPTIONS (or V8's default) gave the process, next to the container's memory limit.
  new Gauge({
    name: 'elementrepl_heap_limit_bytes',
    help: 'V8 heap size limit of the operator process (v8.getHeapStatistics().heap_size_limit; set by --max-old-space-size)',
    registers,
    collect() {
      this.set(getHeapStatistics().heap_size_limit);
    },
  });
  const driftCorrections = new Counter({ name: 'elementrepl_drift_corrections_total', help: 'Element state changed back to the declared spec, by resource kind', labelNames: ['kind'] as const, registers });

  const queue: QueueMetrics = {
    added: (name) => adds.inc({ name }),
    depth: (name, value) => depth.set({ name }, value),
    queueDuration: (name, seconds) => queueDuration.observe({ name }, seconds),
    workDuration: (name, seconds) => workDuration.observe({ name }, seconds),
    retried: (name) => retries.inc({ name }),
  };

  const reconcile: ReconcileMetrics = {
    reconciled: (controller, result, seconds) => {
      reconcileTotal.inc({ controller, result });
      reconcileTime.observe({ controller }, seconds);
    },
    errored: (controller) => reconcileErrors.inc({ controller }),
    maxConcurrent: (controller, workers) => {
      maxConcurrent.set({ controller }, workers);
      // Like controller-runtime, a started controller exports zeroes, so rate() and absent()
      // alerts work before the first reconcile.
      for (const result of RESULTS) reconcileTotal.inc({ controller, result }, 0);
      reconcileErrors.inc({ controller }, 0);
      activeWorkers.set({ controller }, 0);
    },
    activeWorkers: (controller, active) => activeWorkers.set({ controller }, active),
  };

  return {
    registry,
    queue,
    reconcile,
    leaderElection: { setLeader: (name, leading) => leaderStatus.set({ name }, leading ? 1 : 0) },
    // errorName is not a label: outcome already separates API errors from transport failures, and
    // the error name is in the logs.
    elementCallObserver: (cluster) => (event) => {
      elementRequests.inc({ cluster, method: event.method, outcome: event.outcome });
      elementDuration.observe({ cluster, method: event.method }, event.durationMs / 1000);
    },
    setVolumePairStates: (counts) => {
      volumePairs.reset();
      for (const [state, count] of Object.entries(counts)) volumePairs.set({ state }, count);
    },
    setClusterPairLatency: (clusterPair, seconds) => {
      if (seconds === undefined) pairLatency.remove({ cluster_pair: clusterPair });
      else pairLatency.set({ cluster_pair: clusterPair }, seconds);
    },
    driftCorrected: (kind) => driftCorrections.inc({ kind }),
    setVolumePairLag: (namespace, name, seconds) => {
      if (seconds === undefined) lag.remove({ namespace, name });
      else lag.set({ namespace, name }, seconds);
    },
    setResourceConditions: (kind, namespace, name, conditions) => {
      for (const type of ALERTED_CONDITION_TYPES) {
        const status = conditions?.find((c) => c.type === type)?.status;
        if (status === 'True' || status === 'False') condition.set({ kind, namespace, name, type }, status === 'True' ? 1 : 0);
        else condition.remove({ kind, namespace, name, type });
      }
    },
  };
}
