// What the VolumePair kind (reconcile.ts, observe.ts, execute.ts) depends on. Interfaces
// only, so the composition root wires the real ones and tests may pass fakes.
import type { ClusterPair, ElementCluster, VolumePair } from '../../api/index.ts';
import type { ModifyVolumePairParams, ModifyVolumeParams, ReplicationMode, StartVolumePairingResult, Volume } from '../../element/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecord } from '../../kube/events.ts';
import type { ObservableElement, ObservationCache } from '../observation-cache.ts';
import type { ShellMetrics } from '../shell/reconcile-loop.ts';

/** The Element client methods the VolumePair shell calls (ElementClient has them). */
export interface VolumePairElement extends ObservableElement {
  modifyVolume(params: ModifyVolumeParams): Promise<Volume | undefined>;
  startVolumePairing(volumeID: number, mode?: ReplicationMode): Promise<StartVolumePairingResult>;
  completeVolumePairing(volumeID: number, volumePairingKey: string): Promise<void>;
  modifyVolumePair(params: ModifyVolumePairParams): Promise<void>;
  removeVolumePair(volumeID: number): Promise<void>;
}

/** Read access to an informer's cache (src/controller/source.ts EventSource has it). */
export interface CacheReader<T> {
  get(name: string, namespace?: string): T | undefined;
  list(namespace?: string): T[];
  /** Change notifications; the claim index is rebuilt only after a change. */
  subscribe(handler: () => void): () => void;
}

/** The metrics the VolumePair shell feeds (src/observability/metrics.ts OperatorMetrics has them). */
export interface VolumePairMetrics extends ShellMetrics {
  /** Replaces elementrepl_volume_pairs{state} with these counts. */
  setVolumePairStates(counts: Readonly<Record<string, number>>): void;
  /** elementrepl_drift_corrections_total{kind}. */
  driftCorrected(kind: string): void;
  /** elementrepl_volume_pair_replication_lag_seconds{namespace,name}; undefined removes the series. */
  setVolumePairLag?(namespace: string, name: string, seconds: number | undefined): void;
}

export interface VolumePairReconcilerDeps {
  kube: KubeClient;
  /** Shared with the ClusterPair reconciler: one list per cluster per poll serves both. */
  cache: ObservationCache<VolumePairElement>;
  events: { record(event: EventRecord): void };
  /** Informer caches: the claim index across VolumePairs, and the ClusterPairs and ElementClusters they use. */
  volumePairs: CacheReader<VolumePair>;
  clusterPairs: CacheReader<ClusterPair>;
  elementClusters: CacheReader<ElementCluster>;
  /** Where key Secrets live. */
  operatorNamespace: string;
  pollIntervalMs: number;
  /** --lag-warning-threshold in seconds: status follows the lag at once when it crosses it (default 300). */
  lagWarningThresholdSeconds?: number;
  /** Optional: without it nothing is counted. */
  metrics?: VolumePairMetrics;
  /** Wall clock (tests). */
  now?: () => Date;
}
