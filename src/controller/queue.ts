// A work queue with client-go/controller-runtime semantics:
// - stingy: a key added many times before a worker takes it is processed once;
// - single-flight: a key is never handed to two workers at once; a key re-added while it is being
//   processed is remembered (dirty) and handed out again after done();
// - fair: keys come out in the order they were first added;
// - delayed adds (addAfter, with optional jitter) and per-key rate-limited retries (addRateLimited);
// - shutdown stops handing out work and resolves once every in-flight key is done.
// Pure: time comes from an injected Clock, metrics go to QueueMetrics.

import { ItemBackoff, jitter, type BackoffOptions } from './backoff.ts';
import { systemClock, type Clock, type TimerHandle } from './clock.ts';
import { noopQueueMetrics, type QueueMetrics } from './metrics-hooks.ts';

export interface WorkQueueOptions {
  /** Queue name reported to metrics (controller-runtime uses the controller name). */
  name: string;
  clock?: Clock;
  metrics?: QueueMetrics;
  backoff?: BackoffOptions;
  /** Source of randomness for jitter; [0, 1). */
  random?: () => number;
}

interface Delayed {
  readyAt: number;
  timer: TimerHandle;
}

export class WorkQueue {
  readonly name: string;
  #clock: Clock;
  #metrics: QueueMetrics;
  #backoff: ItemBackoff;
  #random: () => number;

  #queue: string[] = [];
  /** Keys that need processing (queued, or re-added while processing). */
  #dirty = new Set<string>();
  /** Keys a worker holds right now, with the time it took them. */
  #processing = new Map<string, number>();
  /** When each dirty key was first added, for the queue-duration metric. */
  #addedAt = new Map<string, number>();
  #delayed = new Map<string, Delayed>();
  #waiters: Array<(key: string | undefined) => void> = [];
  #idleWaiters: Array<() => void> = [];
  #shuttingDown = false;

  constructor(options: WorkQueueOptions) {
    this.name = options.name;
    this.#clock = options.clock ?? systemClock;
    this.#metrics = options.metrics ?? noopQueueMetrics;
    this.#backoff = new ItemBackoff(options.backoff);
    this.#random = options.random ?? Math.random;
  }

  /** Marks key as needing work. No-op after shutdown. */
  add(key: string): void {
    if (this.#shuttingDown) return;
    if (this.#dirty.has(key)) return;
    this.#metrics.added(this.name);
    this.#dirty.add(key);
    this.#addedAt.set(key, this.#clock.now());
    // A key being processed goes back in the queue when its worker calls done().
    if (this.#processing.has(key)) return;
    this.#enqueue(key);
  }

  /**
   * Adds key after delayMs, stretched by up to jitterFactor (0.1 → up to 10 % later). If the key is
   * already waiting, the earlier of the two times wins.
   */
  addAfter(key: string, delayMs: number, jitterFactor = 0): void {
    if (this.#shuttingDown) return;
    const delay = jitter(delayMs, jitterFactor, this.#random);
    if (delay <= 0) {
      this.add(key);
      return;
    }
    const readyAt = this.#clock.now() + delay;
    const existing = this.#delayed.get(key);
    if (existing && existing.readyAt <= readyAt) return;
    existing?.timer.cancel();
    const timer = this.#clock.setTimer(delay, () => {
      this.#delayed.delete(key);
      this.add(key);
    });
    this.#delayed.set(key, { readyAt, timer });
  }

  /** Adds key after its per-key exponential backoff (the reconcile failed). */
  addRateLimited(key: string): void {
    if (this.#shuttingDown) return;
    this.#metrics.retried(this.name);
    this.addAfter(key, this.#backoff.when(key));
  }

  /** The key succeeded: reset its backoff. Does not cancel a pending addAfter. */
  forget(key: string): void {
    this.#backoff.forget(key);
  }

  /** Consecutive rate-limited retries of key since its last forget(). */
  numRequeues(key: string): number {
    return this.#backoff.retries(key);
  }

  /**
   * Resolves with the next key to process, waiting for one if needed; resolves with undefined once
   * the queue is shut down. The caller must call done(key) when finished.
   */
  get(): Promise<string | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    if (this.#queue.length > 0) return Promise.resolve(this.#take());
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Ends processing of key; if it was re-added meanwhile it is queued again. */
  done(key: string): void {
    const startedAt = this.#processing.get(key);
    if (startedAt === undefined) return;
    this.#processing.delete(key);
    this.#metrics.workDuration(this.name, (this.#clock.now() - startedAt) / 1000);
    if (this.#dirty.has(key) && !this.#shuttingDown) this.#enqueue(key);
    if (this.#processing.size === 0) this.#notifyIdle();
  }

  /** Waiting keys (not counting delayed or in-flight ones). */
  len(): number {
    return this.#queue.length;
  }

  /** Keys currently held by workers. */
  inFlight(): number {
    return this.#processing.size;
  }

  /** Keys waiting for their delay (addAfter / addRateLimited). */
  delayedCount(): number {
    return this.#delayed.size;
  }

  isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /**
   * Stops taking work: adds are ignored, delayed adds are dropped, waiting workers get undefined.
   * Resolves once every in-flight key is done (the caller bounds this with its own deadline).
   */
  shutdown(): Promise<void> {
    if (!this.#shuttingDown) {
      this.#shuttingDown = true;
      for (const { timer } of this.#delayed.values()) timer.cancel();
      this.#delayed.clear();
      this.#queue = [];
      this.#metrics.depth(this.name, 0);
      for (const waiter of this.#waiters.splice(0)) waiter(undefined);
    }
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #enqueue(key: string): void {
    const waiter = this.#waiters.shift();
    this.#queue.push(key);
    if (waiter) {
      waiter(this.#take());
      return;
    }
    this.#metrics.depth(this.name, this.#queue.length);
  }

  #take(): string {
    const key = this.#queue.shift() as string;
    const now = this.#clock.now();
    this.#dirty.delete(key);
    this.#processing.set(key, now);
    const addedAt = this.#addedAt.get(key);
    this.#addedAt.delete(key);
    if (addedAt !== undefined) this.#metrics.queueDuration(this.name, (now - addedAt) / 1000);
    this.#metrics.depth(this.name, this.#queue.length);
    return key;
  }

  #notifyIdle(): void {
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
