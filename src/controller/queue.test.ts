import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.ts';
import type { QueueMetrics } from './metrics-hooks.ts';
import { WorkQueue } from './queue.ts';

function newQueue(overrides: { random?: () => number; metrics?: QueueMetrics } = {}) {
  const clock = new ManualClock();
  const queue = new WorkQueue({ name: 'test', clock, backoff: { baseMs: 10, maxMs: 80 }, ...overrides });
  return { clock, queue };
}

/** Takes whatever is immediately available, without waiting. */
async function drainAvailable(queue: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.len() > 0) {
    const key = await queue.get();
    if (key === undefined) break;
    keys.push(key);
  }
  return keys;
}

function recordingMetrics() {
  const calls: string[] = [];
  const metrics: QueueMetrics = {
    added: () => calls.push('added'),
    depth: (_q, depth) => calls.push(`depth=${depth}`),
    queueDuration: (_q, s) => calls.push(`queued=${s}`),
    workDuration: (_q, s) => calls.push(`work=${s}`),
    retried: () => calls.push('retried'),
  };
  return { calls, metrics };
}

describe('WorkQueue', () => {
  it('hands out a key added several times only once, in first-added order', async () => {
    const { queue } = newQueue();

    queue.add('a');
    queue.add('b');
    queue.add('a');
    queue.add('c');
    queue.add('b');

    expect(await drainAvailable(queue)).toEqual(['a', 'b', 'c']);
  });

  it('never hands the same key to two workers at once', async () => {
    const { queue } = newQueue();
    queue.add('a');
    const first = await queue.get();

    queue.add('a');
    let second: string | undefined = 'not yet';
    void queue.get().then((k) => (second = k));
    await Promise.resolve();

    expect(first).toBe('a');
    expect(second).toBe('not yet');
    expect(queue.len()).toBe(0);
  });

  it('keeps a key re-added while processing and hands it out after done', async () => {
    const { queue } = newQueue();
    queue.add('a');
    const key = (await queue.get()) as string;
    queue.add('a');
    queue.add('a');
    const waiting = queue.get();

    queue.done(key);

    expect(await waiting).toBe('a');
    expect(queue.len()).toBe(0);
  });

  it('does not requeue a key after done when nobody re-added it', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.done((await queue.get()) as string);

    expect(queue.len()).toBe(0);
    expect(queue.inFlight()).toBe(0);
  });

  it('wakes a waiting worker when a key arrives', async () => {
    const { queue } = newQueue();
    const waiting = queue.get();

    queue.add('x');

    expect(await waiting).toBe('x');
    expect(queue.inFlight()).toBe(1);
  });

  it('grows the per-key backoff exponentially up to the cap and resets it on forget', async () => {
    const { clock, queue } = newQueue();
    const readyAfter: number[] = [];
    for (let i = 0; i < 6; i++) {
      queue.addRateLimited('a');
      let waited = 0;
      while (queue.len() === 0 && waited < 1000) {
        clock.advance(1);
        waited++;
      }
      readyAfter.push(waited);
      queue.done((await queue.get()) as string);
    }

    expect(readyAfter).toEqual([10, 20, 40, 80, 80, 80]);
    expect(queue.numRequeues('a')).toBe(6);

    queue.forget('a');
    queue.addRateLimited('a');
    clock.advance(9);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(queue.len()).toBe(1);
  });

  it('keeps separate backoff per key', () => {
    const { clock, queue } = newQueue();
    queue.addRateLimited('a');
    queue.addRateLimited('a');

    queue.addRateLimited('b');
    clock.advance(10);

    expect(queue.numRequeues('a')).toBe(2);
    expect(queue.numRequeues('b')).toBe(1);
    expect(queue.len()).toBe(2);
  });

  it('adds after the delay, and an earlier addAfter of the same key wins', async () => {
    const { clock, queue } = newQueue();
    queue.addAfter('a', 100);
    queue.addAfter('a', 50);
    queue.addAfter('a', 200);

    clock.advance(49);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(await drainAvailable(queue)).toEqual(['a']);
    expect(queue.delayedCount()).toBe(0);
  });

  it('adds at once when the delay is zero or negative', () => {
    const { queue } = newQueue();
    queue.addAfter('a', 0);
    queue.addAfter('b', -5);

    expect(queue.len()).toBe(2);
  });

  it.each([
    [0, 1000],
    [0.5, 1050],
    [0.999, 1099.9],
  ])('stretches addAfter by jitter within [delay, delay·(1+factor)) (random %s)', (random, expected) => {
    const { clock, queue } = newQueue({ random: () => random });
    queue.addAfter('a', 1000, 0.1);

    clock.advance(expected - 0.01);
    expect(queue.len()).toBe(0);
    clock.advance(0.01);
    expect(queue.len()).toBe(1);
    expect(expected).toBeGreaterThanOrEqual(1000);
    expect(expected).toBeLessThan(1100);
  });

  it('on shutdown: wakes waiters with undefined, ignores new adds, drops delayed keys', async () => {
    const { clock, queue } = newQueue();
    const waiting = queue.get();
    queue.addAfter('late', 10);

    await queue.shutdown();
    queue.add('b');
    clock.advance(100);

    expect(await waiting).toBeUndefined();
    expect(await queue.get()).toBeUndefined();
    expect(queue.len()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('on shutdown: stops handing out queued keys and resolves only after in-flight keys are done', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    const inFlight = (await queue.get()) as string;
    let drained = false;

    const shutdown = queue.shutdown().then(() => (drained = true));
    await Promise.resolve();
    const afterShutdown = await queue.get();
    expect(drained).toBe(false);

    queue.done(inFlight);
    await shutdown;

    expect(afterShutdown).toBeUndefined();
    expect(drained).toBe(true);
  });

  it('reports adds, depth, queue and work durations and retries to its metrics', async () => {
    const { calls, metrics } = recordingMetrics();
    const { clock, queue } = newQueue({ metrics });

    queue.add('a');
    queue.add('a');
    clock.advance(2000);
    const key = (await queue.get()) as string;
    clock.advance(500);
    queue.done(key);
    queue.addRateLimited('a');

    expect(calls).toEqual(['added', 'depth=1', 'queued=2', 'depth=0', 'work=0.5', 'retried']);
  });
});
