// One controller per kind (controller-runtime's shape): informer events of the primary kind, and
// of secondary kinds mapped to primary keys, feed a work queue; N workers take keys and call the
// reconciler. A thrown error → rate-limited requeue (errors metric); a 409 Conflict → the same
// without counting an error (the cache was stale; normal under optimistic concurrency); success →
// forget the key's backoff and, when asked, requeue after a jittered delay.
import type { Logger } from 'pino';
import type { BackoffOptions } from './backoff.ts';
import type { Clock } from './clock.ts';
import { noopQueueMetrics, noopReconcileMetrics, type QueueMetrics, type ReconcileMetrics } from './metrics-hooks.ts';
import { objectKey, parseKey, requestKey, type KubeObject, type ReconcileRequest } from './object.ts';
import { WorkQueue } from './queue.ts';
import type { EventSource, InformerEvent } from './source.ts';

export interface ReconcileContext {
  /** Carries controller, namespace, name and reconcileID on every line. */
  log: Logger;
  reconcileID: string;
  /** Aborted when the manager gives up waiting for in-flight work at shutdown or loses leadership. */
  signal: AbortSignal;
}

/** requeueAfterMs: reconcile again after this delay (jittered); requeue: again soon, with backoff. */
export type ReconcileResult = { requeueAfterMs?: number; requeue?: boolean } | void;

export interface Reconciler {
  reconcile(request: ReconcileRequest, context: ReconcileContext): Promise<ReconcileResult>;
}

export type EventPredicate<T extends KubeObject> = (event: InformerEvent<T>) => boolean;

/** A secondary kind whose changes re-queue primary objects (e.g. Secrets → ElementClusters). */
export interface SecondaryWatch<S extends KubeObject> {
  source: EventSource<S>;
  map(object: S): ReconcileRequest[];
  /** Which events count; default all. */
  predicate?: EventPredicate<S>;
}

export interface ControllerOptions<T extends KubeObject> {
  /** The kind, e.g. `ElementCluster`: queue name, metrics label, requeue target. */
  name: string;
  for: EventSource<T>;
  // `any`: each watch has its own object type; the controller only passes objects to its map().
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  watches?: SecondaryWatch<any>[];
  reconciler: Reconciler;
  log: Logger;
  /** Concurrent reconciles (of different keys); default 1. */
  workers?: number;
  /** Which primary events enqueue; default: all but status-only updates (specChangedOrMetadata). */
  predicate?: EventPredicate<T>;
  /** Spread of requeueAfterMs; default 0.1 (up to 10 % later). */
  requeueJitter?: number;
  backoff?: BackoffOptions;
  clock?: Clock;
  queueMetrics?: QueueMetrics;
  reconcileMetrics?: ReconcileMetrics;
}

/**
 * Skips updates that change only status (our own status writes would otherwise re-trigger a
 * reconcile each time): enqueue when generation, labels, annotations, finalizers or deletion changed.
 */
export function specOrMetadataChanged<T extends KubeObject>(event: InformerEvent<T>): boolean {
  if (event.type !== 'updated') return true;
  const before = event.old.metadata;
  const after = event.object.metadata;
  return (
    before.generation !== after.generation ||
    before.deletionTimestamp !== after.deletionTimestamp ||
    !sameJson(before.labels, after.labels) ||
    !sameJson(before.annotations, after.annotations) ||
    !sameJson(before.finalizers, after.finalizers)
  );
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export class Controller<T extends KubeObject> {
  readonly name: string;
  readonly workers: number;
  readonly queue: WorkQueue;
  readonly sources: EventSource<KubeObject>[];
  #options: ControllerOptions<T>;
  #log: Logger;
  #metrics: ReconcileMetrics;
  #clock: Clock | undefined;
  #abort = new AbortController();
  #running: Promise<void>[] = [];
  #active = 0;

  constructor(options: ControllerOptions<T>) {
    this.name = options.name;
    this.workers = Math.max(1, options.workers ?? 1);
    this.#options = options;
    this.#log = options.log.child({ controller: options.name });
    this.#metrics = options.reconcileMetrics ?? noopReconcileMetrics;
    this.#clock = options.clock;
    this.queue = new WorkQueue({
      name: options.name,
      clock: options.clock,
      metrics: options.queueMetrics ?? noopQueueMetrics,
      backoff: options.backoff,
    });
    const predicate = options.predicate ?? specOrMetadataChanged;
    options.for.subscribe((event) => {
      if (predicate(event)) this.queue.add(objectKey(event.object));
    });
    for (const watch of options.watches ?? []) {
      watch.source.subscribe((event) => {
        if (watch.predicate && !watch.predicate(event)) return;
        for (const request of watch.map(event.object)) this.queue.add(requestKey(request));
      });
    }
    this.sources = [options.for, ...(options.watches ?? []).map((w) => w.source)] as EventSource<KubeObject>[];
  }

  /** Puts a key in the queue now (cross-controller nudges, tests). */
  enqueue(request: ReconcileRequest | string): void {
    this.queue.add(typeof request === 'string' ? request : requestKey(request));
  }

  isRunning(): boolean {
    return this.#running.length > 0 && !this.queue.isShuttingDown();
  }

  activeWorkers(): number {
    return this.#active;
  }

  /** Starts the workers; keys queued before now are processed first. */
  start(): void {
    if (this.#running.length > 0 || this.queue.isShuttingDown()) return;
    this.#metrics.maxConcurrent(this.name, this.workers);
    this.#metrics.activeWorkers(this.name, 0);
    for (let i = 0; i < this.workers; i++) this.#running.push(this.#work());
    this.#log.info({ workers: this.workers }, 'starting workers');
  }

  /**
   * Stops taking work and waits for in-flight reconciles up to deadlineMs; then aborts their
   * signal. Resolves true when everything finished in time.
   */
  async stop(deadlineMs: number): Promise<boolean> {
    const drained = this.queue.shutdown().then(() => true);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, deadlineMs));
    });
    const inTime = await Promise.race([drained, expired]);
    clearTimeout(timer);
    if (!inTime) {
      this.#log.warn({ inFlight: this.queue.inFlight() }, 'shutdown deadline passed with reconciles in flight; aborting them');
    }
    this.#abort.abort();
    if (inTime) await Promise.all(this.#running);
    return inTime;
  }

  /** Aborts in-flight reconciles at once (leadership lost) and stops taking work. */
  abort(): void {
    this.#abort.abort();
    void this.queue.shutdown();
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      this.#active++;
      this.#metrics.activeWorkers(this.name, this.#active);
      try {
        await this.#reconcile(key);
      } finally {
        this.#active--;
        this.#metrics.activeWorkers(this.name, this.#active);
        this.queue.done(key);
      }
    }
  }

  async #reconcile(key: string): Promise<void> {
    const request = parseKey(key);
    const reconcileID = crypto.randomUUID();
    const log = this.#log.child({ ...(request.namespace ? { namespace: request.namespace } : {}), name: request.name, reconcileID });
    const now = () => this.#clock?.now() ?? performance.now();
    const started = now();
    const seconds = () => (now() - started) / 1000;
    try {
      const result = await this.#options.reconciler.reconcile(request, { log, reconcileID, signal: this.#abort.signal });
      if (result?.requeue) {
        this.queue.addRateLimited(key);
        this.#metrics.reconciled(this.name, 'requeue', seconds());
      } else if (result?.requeueAfterMs !== undefined && result.requeueAfterMs > 0) {
        this.queue.forget(key);
        this.queue.addAfter(key, result.requeueAfterMs, this.#options.requeueJitter ?? 0.1);
        this.#metrics.reconciled(this.name, 'requeue_after', seconds());
      } else {
        this.queue.forget(key);
        this.#metrics.reconciled(this.name, 'success', seconds());
      }
    } catch (error) {
      this.queue.addRateLimited(key);
      if ((error as { status?: unknown } | null)?.status === 409) {
        log.debug({ err: error }, 'conflict; requeueing');
        this.#metrics.reconciled(this.name, 'requeue', seconds());
        return;
      }
      this.#metrics.errored(this.name);
      this.#metrics.reconciled(this.name, 'error', seconds());
      log.error({ err: error, retries: this.queue.numRequeues(key) }, 'reconciler error');
    }
  }
}

