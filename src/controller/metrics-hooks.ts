// What the runtime core reports about its work; the observability layer implements these with
// prom-client (controller-runtime's metric names), tests may pass no-ops. Kept here, free of any
// metrics library, so the queue and the controller stay pure.

export interface QueueMetrics {
  /** An item was added (controller-runtime: workqueue_adds_total). */
  added(queue: string): void;
  /** Current number of waiting items (workqueue_depth). */
  depth(queue: string, depth: number): void;
  /** Seconds an item waited before a worker took it (workqueue_queue_duration_seconds). */
  queueDuration(queue: string, seconds: number): void;
  /** Seconds a worker spent on an item (workqueue_work_duration_seconds). */
  workDuration(queue: string, seconds: number): void;
  /** An item was re-queued with rate-limited backoff (workqueue_retries_total). */
  retried(queue: string): void;
}

export type ReconcileResult = 'success' | 'error' | 'requeue' | 'requeue_after';

export interface ReconcileMetrics {
  /** controller_runtime_reconcile_total{controller,result} and controller_runtime_reconcile_time_seconds. */
  reconciled(controller: string, result: ReconcileResult, seconds: number): void;
  /** controller_runtime_reconcile_errors_total{controller}. */
  errored(controller: string): void;
  /** controller_runtime_max_concurrent_reconciles{controller}. */
  maxConcurrent(controller: string, workers: number): void;
  /** controller_runtime_active_workers{controller}. */
  activeWorkers(controller: string, active: number): void;
}

export const noopQueueMetrics: QueueMetrics = {
  added: () => {},
  depth: () => {},
  queueDuration: () => {},
  workDuration: () => {},
  retried: () => {},
};

export const noopReconcileMetrics: ReconcileMetrics = {
  reconciled: () => {},
  errored: () => {},
  maxConcurrent: () => {},
  activeWorkers: () => {},
};
