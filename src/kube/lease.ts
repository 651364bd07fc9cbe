// Leader election on a coordination.k8s.io/v1 Lease, following client-go's leaderelection
// algorithm: expiry is judged by the LOCAL monotonic clock from the moment this process last saw
// the Lease's record change (never by comparing the remote renewTime with the local clock), writes
// carry the read resourceVersion (optimistic concurrency), and a leader that cannot renew within
// renewDeadline gives up. Leases are not fencing tokens: renewDeadline < leaseDuration leaves the
// old leader time to stop before anyone else can start.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CoordinationV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Lease } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { sleep, systemLeaseClock, withDeadline } from './lease-clock.ts';
import type { LeaseClock } from './lease-clock.ts';
import { leaseSpec, rawRecord, recordOf } from './lease-record.ts';
import type { LeaseRecord } from './lease-record.ts';
import { errorSummary, statusCode } from './error-summary.ts';

export { systemLeaseClock };
export type { LeaseClock };

export type LeaseClient = Pick<CoordinationV1Api, 'readNamespacedLease' | 'createNamespacedLease' | 'replaceNamespacedLease'>;

/** The Lease API of a cluster (code outside src/kube never touches client-node itself). */
export function leaseClient(kubeConfig: KubeConfig): LeaseClient {
  return kubeConfig.makeApiClient(CoordinationV1Api);
}

export interface LeaderElectionDurations {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** The Lease the operator's replicas elect a leader with, in the operator namespace (`kubectl elementrepl doctor` reads it). */
export const OPERATOR_LEASE_NAME = 'elementrepl-operator-leader';

/** controller-runtime's defaults: 15 s / 10 s / 2 s. */
export const defaultLeaderElectionDurations: LeaderElectionDurations = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/** Sets leader_election_master_status{name} (src/observability/metrics.ts provides one). */
export interface LeaderElectionMetrics {
  setLeader(name: string, leading: boolean): void;
}

export interface LeaderCallbacks {
  /** Leadership acquired; `signal` aborts when it ends (lost or released). */
  onStartedLeading(signal: AbortSignal): void;
  /** Leadership LOST (no renewal within renewDeadline). Not called after release(). Exit the process here. */
  onStoppedLeading(): void;
  /** Another (or this) holder was observed. */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectorOptions {
  client: LeaseClient;
  namespace: string;
  name: string;
  /** Unique per process: defaultLeaderIdentity() = hostname_uuid. */
  identity: string;
  durations?: Partial<LeaderElectionDurations>;
  log: Logger;
  metrics?: LeaderElectionMetrics;
  clock?: LeaseClock;
  /** Wall-clock milliseconds, used only for the timestamps written into the Lease. */
  wallClock?: () => number;
  /** [0,1) source for the acquire jitter (tests). */
  random?: () => number;
}

export function defaultLeaderIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

// client-go's wait.JitterUntil factor for the acquire loop.
const JITTER_FACTOR = 1.2;

/** Of an error message, in a log line. */
const MAX_ERROR_CHARS = 200;

export class LeaderElector {
  private readonly client: LeaseClient;
  private readonly namespace: string;
  private readonly name: string;
  private readonly identity: string;
  private readonly durations: LeaderElectionDurations;
  private readonly leaseSeconds: number;
  private readonly log: Logger;
  private readonly metrics: LeaderElectionMetrics | undefined;
  private readonly clock: LeaseClock;
  private readonly wallClock: () => number;
  private readonly random: () => number;
  private readonly stopping = new AbortController();
  private callbacks: LeaderCallbacks | undefined;
  private running: Promise<void> | undefined;
  /** The last Lease object read or written: its resourceVersion guards the next write. */
  private lease: V1Lease | undefined;
  private observed: LeaseRecord | undefined;
  private observedRaw = '';
  private observedAtMs = 0;
  private reportedLeader: string | undefined;

  constructor(options: LeaderElectorOptions) {
    this.client = options.client;
    this.namespace = options.namespace;
    this.name = options.name;
    this.identity = options.identity;
    this.durations = { ...defaultLeaderElectionDurations, ...options.durations };
    const { leaseDurationMs, renewDeadlineMs, retryPeriodMs } = this.durations;
    if (!options.identity) throw new Error('leader election identity must not be empty');
    if (!(retryPeriodMs > 0 && renewDeadlineMs > JITTER_FACTOR * retryPeriodMs && leaseDurationMs > renewDeadlineMs)) {
      throw new Error('leader election needs leaseDuration > renewDeadline > 1.2 × retryPeriod > 0');
    }
    // Whole seconds on the wire, rounded up so standbys never wait less than we promised.
    this.leaseSeconds = Math.ceil(leaseDurationMs / 1000);
    this.log = options.log.child({ lease: `${this.namespace}/${this.name}`, identity: this.identity });
    this.metrics = options.metrics;
    this.clock = options.clock ?? systemLeaseClock;
    this.wallClock = options.wallClock ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** True while the last observed record names this process as holder. */
  isLeader(): boolean {
    return this.observed?.holderIdentity === this.identity;
  }

  /** The holder last observed ('' when none). */
  leader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  /** Campaigns until leading, then renews until lost or released. Resolves when it stops; never rejects. */
  run(callbacks: LeaderCallbacks): Promise<void> {
    if (this.running) throw new Error('LeaderElector.run() may be called once');
    this.callbacks = callbacks;
    this.running = this.campaign(callbacks);
    return this.running;
  }

  /**
   * Stops campaigning/renewing and, if leading, hands the Lease over at once (empty holder,
   * leaseDurationSeconds 1) so a standby need not wait for expiry. Call after the workers drained.
   */
  async release(): Promise<void> {
    this.stopping.abort();
    await this.running;
    if (this.isLeader() && this.lease && this.observed) {
      const now = this.wallClock();
      const record: LeaseRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTimeMs: now, renewTimeMs: now, leaseTransitions: this.observed.leaseTransitions };
      try {
        await withDeadline(this.clock, this.update(record), this.durations.renewDeadlineMs);
        this.setObserved(record);
        this.log.info('released leader lease');
      } catch (err) {
        this.log.warn({ err: errorSummary(err, MAX_ERROR_CHARS) }, 'cannot release leader lease; it expires on its own');
      }
    }
    this.metrics?.setLeader(this.name, false);
  }

  private async campaign(callbacks: LeaderCallbacks): Promise<void> {
    this.metrics?.setLeader(this.name, false);
    this.log.info('attempting to acquire leader lease');
    if (!(await this.acquire())) return;
    this.log.info('acquired leader lease');
    this.metrics?.setLeader(this.name, true);
    const leading = new AbortController();
    this.invoke('onStartedLeading', () => callbacks.onStartedLeading(leading.signal));
    const lost = await this.renewUntilLost();
    leading.abort();
    this.metrics?.setLeader(this.name, false);
    if (!lost) return;
    this.log.error({ renewDeadlineMs: this.durations.renewDeadlineMs }, 'leader lease lost');
    this.invoke('onStoppedLeading', () => callbacks.onStoppedLeading());
  }

  private async acquire(): Promise<boolean> {
    const { retryPeriodMs, renewDeadlineMs } = this.durations;
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      const acquired = await this.tryAcquireOrRenew(renewDeadlineMs);
      this.reportTransition();
      if (acquired) return !signal.aborted;
      await sleep(this.clock, retryPeriodMs * (1 + this.random() * JITTER_FACTOR), signal);
    }
    return false;
  }

  /** Renews every retryPeriod; true when no attempt succeeded within renewDeadline (lost). */
  private async renewUntilLost(): Promise<boolean> {
    const { retryPeriodMs, renewDeadlineMs } = this.durations;
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      const deadline = this.clock.now() + renewDeadlineMs;
      let renewed = false;
      while (!renewed && !signal.aborted) {
        const left = deadline - this.clock.now();
        if (left <= 0) break;
        renewed = await this.tryAcquireOrRenew(left);
        this.reportTransition();
        const wait = Math.min(retryPeriodMs, deadline - this.clock.now());
        if (!renewed && wait > 0) await sleep(this.clock, wait, signal);
      }
      if (signal.aborted) return false;
      if (!renewed) return true;
      await sleep(this.clock, retryPeriodMs, signal);
    }
    return false;
  }

  /** One round of client-go's tryAcquireOrRenew; every API call is bounded by `budgetMs` in total. */
  private async tryAcquireOrRenew(budgetMs: number): Promise<boolean> {
    const until = this.clock.now() + budgetMs;
    const bounded = <T>(call: Promise<T>): Promise<T> => withDeadline(this.clock, call, until - this.clock.now());
    const now = this.wallClock();
    const desired: LeaseRecord = { holderIdentity: this.identity, leaseDurationSeconds: this.leaseSeconds, acquireTimeMs: now, renewTimeMs: now, leaseTransitions: 0 };

    // 1. Fast path: the leader writes on top of the version it wrote last time.
    if (this.isLeader() && this.isLeaseValid() && this.lease && this.observed) {
      desired.acquireTimeMs = this.observed.acquireTimeMs;
      desired.leaseTransitions = this.observed.leaseTransitions;
      try {
        await bounded(this.update(desired));
        this.setObserved(desired);
        return true;
      } catch (err) {
        this.log.debug({ err: errorSummary(err, MAX_ERROR_CHARS) }, 'optimistic lease renewal failed, re-reading the lease');
      }
    }

    // 2. Read the Lease, or create it.
    let current: V1Lease;
    try {
      current = await bounded(this.client.readNamespacedLease({ name: this.name, namespace: this.namespace }));
    } catch (err) {
      if (statusCode(err) !== 404) {
        this.log.warn({ err: errorSummary(err, MAX_ERROR_CHARS) }, 'cannot read leader lease');
        return false;
      }
      try {
        this.lease = await bounded(this.client.createNamespacedLease({ namespace: this.namespace, body: this.leaseBody(undefined, desired) }));
        this.setObserved(desired);
        return true;
      } catch (createErr) {
        this.log.info({ err: errorSummary(createErr, MAX_ERROR_CHARS) }, 'cannot create leader lease');
        return false;
      }
    }
    this.lease = current;

    // 3. A changed record restarts the local expiry clock; an unchanged one keeps ageing.
    const raw = rawRecord(current);
    if (raw !== this.observedRaw || !this.observed) {
      this.setObserved(recordOf(current));
      this.observedRaw = raw;
    }
    const observed = this.observed as LeaseRecord;
    if (observed.holderIdentity !== '' && this.isLeaseValid() && !this.isLeader()) {
      this.log.debug({ holder: observed.holderIdentity }, 'leader lease is held and not expired');
      return false;
    }

    // 4. Take over (or renew through the slow path).
    if (this.isLeader()) {
      desired.acquireTimeMs = observed.acquireTimeMs;
      desired.leaseTransitions = observed.leaseTransitions;
    } else {
      desired.leaseTransitions = observed.leaseTransitions + 1;
    }
    try {
      await bounded(this.update(desired));
      this.setObserved(desired);
      return true;
    } catch (err) {
      const level = statusCode(err) === 409 ? 'debug' : 'warn';
      this.log[level]({ err: errorSummary(err, MAX_ERROR_CHARS) }, 'cannot update leader lease');
      return false;
    }
  }

  private isLeaseValid(): boolean {
    if (!this.observed) return false;
    return this.observedAtMs + this.observed.leaseDurationSeconds * 1000 > this.clock.now();
  }

  private setObserved(record: LeaseRecord): void {
    this.observed = record;
    this.observedAtMs = this.clock.now();
  }

  private async update(record: LeaseRecord): Promise<void> {
    const body = this.leaseBody(this.lease, record);
    this.lease = await this.client.replaceNamespacedLease({ name: this.name, namespace: this.namespace, body });
  }

  private leaseBody(base: V1Lease | undefined, record: LeaseRecord): V1Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: base?.metadata ?? { name: this.name, namespace: this.namespace },
      spec: leaseSpec(record),
    };
  }

  private reportTransition(): void {
    const holder = this.leader();
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    if (holder) this.log.info({ leader: holder }, 'new leader observed');
    const callbacks = this.callbacks;
    if (holder && callbacks?.onNewLeader) this.invoke('onNewLeader', () => callbacks.onNewLeader?.(holder));
  }

  private invoke(callback: string, run: () => void): void {
    try {
      run();
    } catch (err) {
      this.log.error({ err, callback }, 'leader election callback threw');
    }
  }
}
