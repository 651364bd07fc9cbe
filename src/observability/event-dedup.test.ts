import { describe, expect, it } from 'vitest';
import { EventDeduper } from './event-dedup.ts';
import type { EventIdentity } from './event-dedup.ts';

const degraded: EventIdentity = { object: 'uid-1', type: 'Warning', reason: 'PeerUnreachable', action: 'Observe', note: 'dc2 does not answer' };
const minute = 60_000;

describe('EventDeduper', () => {
  it('creates the first occurrence and turns repeats within the window into a growing series', () => {
    const dedup = new EventDeduper();
    expect(dedup.decide(degraded, 0)).toEqual({ kind: 'create' });
    dedup.created(degraded, 'pair-1.abc', 'db', 0);

    expect(dedup.decide(degraded, 1_000)).toEqual({ kind: 'series', eventName: 'pair-1.abc', namespace: 'db', count: 2 });
    expect(dedup.decide(degraded, 2_000)).toEqual({ kind: 'series', eventName: 'pair-1.abc', namespace: 'db', count: 3 });
  });

  it('starts a new Event when the same occurrence comes back after the window', () => {
    const dedup = new EventDeduper({ windowMs: 10 * minute });
    dedup.decide(degraded, 0);
    dedup.created(degraded, 'pair-1.abc', 'db', 0);
    dedup.decide(degraded, 9 * minute);

    expect(dedup.decide(degraded, 9 * minute + 10 * minute + 1)).toEqual({ kind: 'create' });
  });

  it.each([
    ['object', { object: 'uid-2' }],
    ['reason', { reason: 'ClusterUnreachable' }],
    ['note', { note: 'dc3 does not answer' }],
    ['type', { type: 'Normal' }],
  ])('keeps occurrences with a different %s apart', (_field, change) => {
    const dedup = new EventDeduper();
    dedup.decide(degraded, 0);
    dedup.created(degraded, 'pair-1.abc', 'db', 0);
    expect(dedup.decide({ ...degraded, ...change }, 1_000)).toEqual({ kind: 'create' });
  });

  it('rate-limits a flapping condition per object and reason, and refills over time', () => {
    const dedup = new EventDeduper({ burst: 3, refillIntervalMs: minute });
    const notes = ['down', 'up', 'down', 'up', 'down'];
    const decisions = notes.map((note, i) => dedup.decide({ ...degraded, note }, i * 1_000).kind);
    expect(decisions).toEqual(['create', 'create', 'create', 'suppress', 'suppress']);

    // Another reason on the same object has its own bucket.
    expect(dedup.decide({ ...degraded, reason: 'Other' }, 5_000).kind).toBe('create');
    // One token back after a refill interval.
    expect(dedup.decide({ ...degraded, note: 'up' }, 5_000 + minute).kind).toBe('create');
    expect(dedup.decide({ ...degraded, note: 'down' }, 5_000 + minute).kind).toBe('suppress');
  });

  it('counts suppressed repeats in the next series update', () => {
    const dedup = new EventDeduper({ burst: 2, refillIntervalMs: minute });
    dedup.decide(degraded, 0);
    dedup.created(degraded, 'pair-1.abc', 'db', 0);
    expect(dedup.decide(degraded, 1).kind).toBe('series');
    expect(dedup.decide(degraded, 2).kind).toBe('suppress');
    expect(dedup.decide(degraded, 3).kind).toBe('suppress');

    expect(dedup.decide(degraded, minute + 3)).toMatchObject({ kind: 'series', count: 5 });
  });

  it('creates again after forget (the Event expired on the server)', () => {
    const dedup = new EventDeduper();
    dedup.decide(degraded, 0);
    dedup.created(degraded, 'pair-1.abc', 'db', 0);
    dedup.forget(degraded);
    expect(dedup.decide(degraded, 1).kind).toBe('create');
  });

  it('forgets the least recently used series beyond maxEntries', () => {
    const dedup = new EventDeduper({ maxEntries: 2, burst: 100 });
    const a = { ...degraded, object: 'a' };
    const b = { ...degraded, object: 'b' };
    const c = { ...degraded, object: 'c' };
    for (const [i, id] of [a, b].entries()) {
      dedup.decide(id, i);
      dedup.created(id, `e-${id.object}`, 'db', i);
    }
    dedup.decide(a, 10); // a is now more recent than b
    dedup.decide(c, 11);
    dedup.created(c, 'e-c', 'db', 11);

    expect(dedup.decide(a, 12).kind).toBe('series');
    expect(dedup.decide(b, 13).kind).toBe('create');
  });
});
