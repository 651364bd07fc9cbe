import type { V1Lease } from '@kubernetes/client-node';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LeaderElector } from './lease.ts';
import type { LeaseClient, LeaseClock } from './lease.ts';

const log = pino({ level: 'silent' });

/** A clock that moves only when the test says so; woken loops run to their next wait in between. */
class ManualClock implements LeaseClock {
  private current = 0;
  private timers = new Set<{ at: number; fn: () => void }>();

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): { cancel(): void } {
    const timer = { at: this.current + ms, fn };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    await settle();
    while (this.current < end) {
      this.current = Math.min(end, this.current + 50);
      for (const timer of [...this.timers].filter((t) => t.at <= this.current)) {
        this.timers.delete(timer);
        timer.fn();
      }
      await settle();
    }
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

class ApiError extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`HTTP ${code}`);
    this.code = code;
  }
}

/** One Lease with the API server's resourceVersion semantics; JSON on the way in, as on the wire. */
class LeaseStore {
  stored: V1Lease | undefined;
  private version = 0;

  read(): V1Lease {
    if (!this.stored) throw new ApiError(404);
    return structuredClone(this.stored);
  }

  create(body: V1Lease): V1Lease {
    if (this.stored) throw new ApiError(409);
    return this.put(body);
  }

  replace(body: V1Lease): V1Lease {
    if (!this.stored) throw new ApiError(404);
    if (body.metadata?.resourceVersion !== this.stored.metadata?.resourceVersion) throw new ApiError(409);
    return this.put(body);
  }

  /** Another process writes the Lease (e.g. a foreign holder renewing). */
  write(spec: NonNullable<V1Lease['spec']>): void {
    this.put({ metadata: { name: 'lead', namespace: 'ops', resourceVersion: this.stored?.metadata?.resourceVersion }, spec } as V1Lease);
  }

  spec(): Record<string, unknown> {
    return (this.stored?.spec ?? {}) as Record<string, unknown>;
  }

  private put(body: V1Lease): V1Lease {
    const wire = JSON.parse(JSON.stringify(body)) as V1Lease;
    wire.metadata = { ...wire.metadata, resourceVersion: String(++this.version) };
    this.stored = wire;
    return structuredClone(wire);
  }
}

/** The client of one process; `down` simulates losing the API server (or being frozen). */
class ProcessClient {
  down = false;
  private readonly store: LeaseStore;
  constructor(store: LeaseStore) {
    this.store = store;
  }

  readonly api: LeaseClient = {
    readNamespacedLease: async () => this.call(() => this.store.read()),
    createNamespacedLease: async ({ body }) => this.call(() => this.store.create(body)),
    replaceNamespacedLease: async ({ body }) => this.call(() => this.store.replace(body)),
  };

  private call(op: () => V1Lease): V1Lease {
    if (this.down) throw new Error('connect ECONNREFUSED');
    return op();
  }
}

function candidate(store: LeaseStore, clock: ManualClock, identity: string) {
  const process = new ProcessClient(store);
  const events: string[] = [];
  const status: boolean[] = [];
  let leadingSignal: AbortSignal | undefined;
  const elector = new LeaderElector({
    client: process.api,
    namespace: 'ops',
    name: 'lead',
    identity,
    log,
    clock,
    wallClock: () => Date.parse('2030-01-01T00:00:00Z') + clock.now(),
    random: () => 0,
    metrics: { setLeader: (_name, leading) => void status.push(leading) },
  });
  const done = elector.run({
    onStartedLeading: (signal) => {
      leadingSignal = signal;
      events.push('started');
    },
    onStoppedLeading: () => void events.push('stopped'),
  });
  return { elector, process, events, status, done, signal: () => leadingSignal };
}

describe('LeaderElector', () => {
  it('creates the Lease and leads, with MicroTime timestamps', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock();
    const a = candidate(store, clock, 'host-a_1');
    await clock.advance(0);

    expect(a.elector.isLeader()).toBe(true);
    expect(a.events).toEqual(['started']);
    expect(a.status.at(-1)).toBe(true);
    expect(store.spec()).toMatchObject({ holderIdentity: 'host-a_1', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(store.spec()['renewTime']).toMatch(/^2030-01-01T00:00:00\.\d{6}Z$/);
    expect(store.spec()['acquireTime']).toMatch(/\.\d{6}Z$/);
  });

  it('keeps renewing every retry period', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock();
    candidate(store, clock, 'host-a_1');
    await clock.advance(0);
    const first = store.spec()['renewTime'];
    await clock.advance(30_000);
    expect(store.spec()['renewTime']).not.toBe(first);
    expect(Date.parse(String(store.spec()['renewTime']))).toBeGreaterThanOrEqual(Date.parse('2030-01-01T00:00:28Z'));
  });

  it('judges expiry by its local clock from the last observed change, not by the remote renewTime', async () => {
    const store = new LeaseStore();
    // A holder whose renewTime looks ancient to our wall clock (clock skew or a stale write).
    store.write({ holderIdentity: 'other', leaseDurationSeconds: 15, renewTime: '2000-01-01T00:00:00.000000Z' as never, leaseTransitions: 4 });
    const clock = new ManualClock();
    const b = candidate(store, clock, 'host-b_1');

    await clock.advance(14_000);
    expect(b.elector.isLeader()).toBe(false);

    await clock.advance(6_000);
    expect(b.elector.isLeader()).toBe(true);
    expect(store.spec()).toMatchObject({ holderIdentity: 'host-b_1', leaseTransitions: 5 });
  });

  it('never takes over a Lease whose holder keeps changing the record', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock();
    store.write({ holderIdentity: 'other', leaseDurationSeconds: 15, renewTime: '2000-01-01T00:00:00.000000Z' as never });
    const b = candidate(store, clock, 'host-b_1');
    for (let i = 1; i <= 12; i++) {
      await clock.advance(5_000);
      store.write({ holderIdentity: 'other', leaseDurationSeconds: 15, renewTime: `2000-01-01T00:00:${String(i).padStart(2, '0')}.000000Z` as never });
    }
    expect(b.elector.isLeader()).toBe(false);
    expect(b.events).toEqual([]);
  });

  it('lets exactly one of two simultaneous candidates lead', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock();
    const a = candidate(store, clock, 'host-a_1');
    const b = candidate(store, clock, 'host-b_1');
    await clock.advance(60_000);

    expect([a.elector.isLeader(), b.elector.isLeader()].filter(Boolean)).toHaveLength(1);
    expect([...a.events, ...b.events]).toEqual(['started']);
  });

  it('stops leading when it cannot renew within renewDeadline, and a standby takes over after expiry', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock();
    const a = candidate(store, clock, 'host-a_1');
    await clock.advance(0);
    const b = candidate(store, clock, 'host-b_1');
    await clock.advance(4_000);

    a.process.down = true;
    await clock.advance(9_000);
    expect(a.events).toEqual(['started']);
    expect(b.elector.isLeader()).toBe(false);

    await clock.advance(3_000);
    expect(a.events).toEqual(['started', 'stopped']);
    expect(a.signal()?.aborted).toBe(true);
    expect(a.status.at(-1)).toBe(false);
    await a.done;

    await clock.advance(10_000);
    expect(b.elector.isLeader()).toBe(true);
    expect(b.events).toEqual(['started']);
    expect(store.spec()).toMatchObject({ holderIdentity: 'host-b_1', leaseTransitions: 1 });
  });

  it('stops leading when another holder took the Lease', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock();
    const a = candidate(store, clock, 'host-a_1');
    await clock.advance(0);
    store.write({ holderIdentity: 'usurper', leaseDurationSeconds: 15, leaseTransitions: 1 });
    await clock.advance(14_000);
    expect(a.events).toEqual(['started', 'stopped']);
    expect(a.elector.isLeader()).toBe(false);
  });

  it('release hands the Lease over without waiting for expiry', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock();
    const a = candidate(store, clock, 'host-a_1');
    await clock.advance(0);
    const b = candidate(store, clock, 'host-b_1');
    await clock.advance(1_000);

    await a.elector.release();
    expect(store.spec()).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
    expect(a.elector.isLeader()).toBe(false);
    expect(a.signal()?.aborted).toBe(true);
    expect(a.status.at(-1)).toBe(false);

    await clock.advance(3_000);
    expect(b.elector.isLeader()).toBe(true);
    expect(a.events).toEqual(['started']);
    expect(store.spec()).toMatchObject({ holderIdentity: 'host-b_1', leaseDurationSeconds: 15, leaseTransitions: 1 });
  });

  it('release by a standby leaves the Lease alone', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock();
    const a = candidate(store, clock, 'host-a_1');
    await clock.advance(0);
    const b = candidate(store, clock, 'host-b_1');
    await clock.advance(1_000);
    await b.elector.release();
    await b.done;
    expect(store.spec()).toMatchObject({ holderIdentity: 'host-a_1' });
    expect(a.elector.isLeader()).toBe(true);
  });

  it('rejects durations that cannot work', () => {
    const store = new LeaseStore();
    const client = new ProcessClient(store).api;
    const make = (durations: object) => new LeaderElector({ client, namespace: 'ops', name: 'lead', identity: 'x', log, durations });
    expect(() => make({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000 })).toThrow(/leaseDuration > renewDeadline/);
    expect(() => make({ renewDeadlineMs: 2_000, retryPeriodMs: 2_000 })).toThrow(/renewDeadline/);
    expect(() => make({})).not.toThrow();
  });
});
