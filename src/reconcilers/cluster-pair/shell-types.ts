// What the ClusterPair I/O shell (reconcile.ts, observe.ts, execute.ts) depends on. Interfaces
// only, so the composition root wires the real ones and tests may pass fakes.
import type { StartClusterPairingResult, CompleteClusterPairingResult, Limits } from '../../element/index.ts';
import { ElementApiError, ElementTransportError, redactString } from '../../element/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecord } from '../../kube/events.ts';
import type { ObservableElement, ObservationCache } from '../observation-cache.ts';
import { NoClientError } from '../observation-cache.ts';

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
  /** elementrepl_cluster_pair_latency_seconds (src/observability/metrics.ts OperatorMetrics has it). */
  metrics?: { setClusterPairLatency(clusterPair: string, seconds: number | undefined): void };
}

/**
 * A message about a failure that is safe for status, Events and errors: Element API errors by
 * method and name, transport errors by class, anything else redacted.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof ElementApiError) return `${error.method} failed: ${error.name}`;
  if (error instanceof ElementTransportError) return `${error.method} failed: ${error.name} (${redactString(error.message)})`;
  if (error instanceof NoClientError) return error.message;
  if (error instanceof Error) return redactString(error.message);
  return redactString(String(error));
}
