// What the ClusterPair kind (reconcile.ts, observe.ts, execute.ts) depends on. Interfaces
// only, so the composition root wires the real ones and tests may pass fakes.
import type { StartClusterPairingResult, CompleteClusterPairingResult, Limits } from '../../element/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecord } from '../../kube/events.ts';
import type { ObservableElement, ObservationCache } from '../observation-cache.ts';
import type { ShellMetrics } from '../shell/reconcile-loop.ts';

/** The Element client methods the ClusterPair shell calls (ElementClient has them). */
export interface ClusterPairElement extends ObservableElement {
  startClusterPairing(): Promise<StartClusterPairingResult>;
  completeClusterPairing(clusterPairingKey: string): Promise<CompleteClusterPairingResult>;
  removeClusterPair(clusterPairID: number): Promise<void>;
  getLimits(): Promise<Limits>;
}

export interface ClusterPairReconcilerDeps {
  kube: KubeClient;
  /** Shared with the VolumePair reconciler; its clientFor resolves ElementCluster names. */
  cache: ObservationCache<ClusterPairElement>;
  events: { record(event: EventRecord): void };
  /** Where key Secrets live. */
  operatorNamespace: string;
  pollIntervalMs: number;
  /** Wall clock (tests). */
  now?: () => Date;
  /** elementrepl_cluster_pair_latency_seconds and the shell's condition gauge (src/observability/metrics.ts OperatorMetrics has them). */
  metrics?: ShellMetrics & { setClusterPairLatency(clusterPair: string, seconds: number | undefined): void };
}
