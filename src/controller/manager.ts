// The manager owns the lifecycle of informers and controllers (controller-runtime's Manager):
// start informers → wait until all synced → (become leader) → start workers; on shutdown stop
// taking work → let in-flight reconciles finish within a deadline → release the Lease → stop
// informers. Standbys keep their caches warm and report ready (readiness never depends on
// leadership, or a rolling update would wait on the standby forever).
import type { Logger } from 'pino';
import type { BackoffOptions } from './backoff.ts';
import type { Clock } from './clock.ts';
import { Controller, type ControllerOptions } from './controller.ts';
import type { QueueMetrics, ReconcileMetrics } from './metrics-hooks.ts';
import type { KubeObject, ReconcileRequest } from './object.ts';
import type { EventSource, InformerHealth } from './source.ts';

/** Structurally what src/kube/lease.ts's LeaderElector offers. */
export interface LeaderElection {
  run(callbacks: { onStartedLeading(signal: AbortSignal): void; onStoppedLeading(): void }): Promise<void>;
  /** Hands the Lease over at once; called after the workers drained. */
  release(): Promise<void>;
}

export interface ManagerOptions {
  log: Logger;
  leaderElection?: LeaderElection | undefined;
  /** How long in-flight reconciles may run on after SIGTERM; default 25 s (inside the pod's 30 s grace). */
  shutdownTimeoutMs?: number;
  /** Called when the Lease is lost; default: stop(). main.ts exits the process (DESIGN §4). */
  onLeadershipLost?: () => void;
  clock?: Clock;
  queueMetrics?: QueueMetrics;
  reconcileMetrics?: ReconcileMetrics;
  /** Default backoff of every controller's queue. */
  backoff?: BackoffOptions;
}

export interface Readiness {
  /** Every informer has synced and the manager is not shutting down. */
  ready: boolean;
  informers: InformerHealth[];
  /** Workers are taking work (false on a standby). */
  workersRunning: boolean;
  leading: boolean;
  stopping: boolean;
}

type Phase = 'new' | 'syncing' | 'waitingForLeadership' | 'running' | 'stopping' | 'stopped';

export type ControllerRegistration<T extends KubeObject> = Omit<ControllerOptions<T>, 'log' | 'clock' | 'queueMetrics' | 'reconcileMetrics'> &
  Partial<Pick<ControllerOptions<T>, 'log'>>;

export class Manager {
  #options: ManagerOptions;
  #log: Logger;
  #sources = new Set<EventSource<KubeObject>>();
  #controllers = new Map<string, Controller<KubeObject>>();
  #phase: Phase = 'new';
  #leading = false;
  #stopSync = new AbortController();
  #stopping: Promise<void> | undefined;
  #electing: Promise<void> | undefined;

  constructor(options: ManagerOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'manager' });
  }

  /** Registers an informer that no controller owns (e.g. a cache a reconciler reads). */
  addSource<T extends KubeObject>(source: EventSource<T>): void {
    this.#sources.add(source as unknown as EventSource<KubeObject>);
    if (this.#phase !== 'new') source.start();
  }

  addController<T extends KubeObject>(registration: ControllerRegistration<T>): Controller<T> {
    if (this.#phase !== 'new') throw new Error(`controller ${registration.name} registered after start`);
    if (this.#controllers.has(registration.name)) throw new Error(`controller ${registration.name} registered twice`);
    const { log, clock, queueMetrics, reconcileMetrics, backoff } = this.#options;
    const controller = new Controller<T>({
      backoff,
      ...registration,
      log: registration.log ?? log,
      clock,
      queueMetrics,
      reconcileMetrics,
    });
    this.#controllers.set(registration.name, controller as unknown as Controller<KubeObject>);
    for (const source of controller.sources) this.#sources.add(source);
    return controller;
  }

  controller(name: string): Controller<KubeObject> | undefined {
    return this.#controllers.get(name);
  }

  /** Cross-controller nudge: reconcile this object of that kind now (e.g. dependents of a cluster that turned Ready). */
  requeue(kind: string, request: ReconcileRequest | string): void {
    const controller = this.#controllers.get(kind);
    if (!controller) {
      this.#log.warn({ kind }, 'requeue for a kind without controller');
      return;
    }
    controller.enqueue(request);
  }

  /**
   * Starts informers, waits for all to sync, then starts the workers — at once, or once this
   * process leads. Resolves when that point is reached (or the manager stops first).
   */
  async start(): Promise<void> {
    if (this.#phase !== 'new') throw new Error('manager started twice');
    this.#phase = 'syncing';
    for (const source of this.#sources) source.start();
    this.#log.info({ informers: this.#sources.size }, 'waiting for informers to sync');
    try {
      await Promise.all([...this.#sources].map((s) => s.waitForSync(this.#stopSync.signal)));
    } catch (error) {
      if (this.#stopSync.signal.aborted) return;
      throw error;
    }
    if (this.#isStopping()) return;
    this.#log.info('informers synced');
    const election = this.#options.leaderElection;
    if (!election) {
      this.#startControllers();
      return;
    }
    this.#phase = 'waitingForLeadership';
    this.#electing = election.run({
      onStartedLeading: () => {
        if (this.#isStopping()) return;
        this.#leading = true;
        this.#startControllers();
      },
      onStoppedLeading: () => this.#leadershipLost(),
    });
  }

  /** Graceful shutdown; idempotent. Resolves when informers are stopped. */
  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  /** Runs until `signal` aborts, then shuts down gracefully. */
  async run(signal: AbortSignal): Promise<void> {
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([this.start(), aborted]);
    await aborted;
    await this.stop();
  }

  readiness(): Readiness {
    const informers = [...this.#sources].map((s) => s.health());
    const stopping = this.#isStopping();
    return {
      ready: !stopping && this.#phase !== 'new' && informers.every((i) => i.synced),
      informers,
      workersRunning: [...this.#controllers.values()].some((c) => c.isRunning()),
      leading: this.#options.leaderElection ? this.#leading : this.#phase === 'running',
      stopping,
    };
  }

  #startControllers(): void {
    this.#phase = 'running';
    for (const controller of this.#controllers.values()) controller.start();
    this.#log.info({ controllers: [...this.#controllers.keys()] }, 'controllers started');
  }

  #leadershipLost(): void {
    this.#leading = false;
    this.#log.error('leader election lost; stopping all work at once');
    for (const controller of this.#controllers.values()) controller.abort();
    if (this.#options.onLeadershipLost) this.#options.onLeadershipLost();
    else void this.stop();
  }

  #isStopping(): boolean {
    return this.#phase === 'stopping' || this.#phase === 'stopped';
  }

  async #shutdown(): Promise<void> {
    this.#phase = 'stopping';
    this.#stopSync.abort();
    const deadline = this.#options.shutdownTimeoutMs ?? 25_000;
    this.#log.info({ deadlineMs: deadline }, 'shutting down: finishing in-flight reconciles');
    const results = await Promise.all([...this.#controllers.values()].map((c) => c.stop(deadline)));
    if (results.some((inTime) => !inTime)) this.#log.warn('some reconciles were still running at the shutdown deadline');
    if (this.#options.leaderElection) {
      try {
        await this.#options.leaderElection.release();
        await this.#electing;
      } catch (error) {
        this.#log.warn({ err: error }, 'cannot release leadership');
      }
    }
    await Promise.all([...this.#sources].map((s) => s.stop()));
    this.#phase = 'stopped';
    this.#log.info('manager stopped');
  }
}
