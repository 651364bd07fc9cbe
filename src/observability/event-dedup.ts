// Decides what an Event occurrence costs the API server (pure; the recorder in src/kube/events.ts
// does the I/O). The same (object, type, reason, action, note) seen again within `windowMs` of its
// last occurrence becomes a series update of the existing Event (count, lastObservedTime) instead
// of a new object; and every write for one (object, reason) draws from a token bucket, so a
// flapping condition cannot flood the API server. Suppressed repeats still count: the next
// allowed series update carries the true total.

export interface EventDedupOptions {
  /** A repeat later than this after the last occurrence starts a new Event. */
  windowMs: number;
  /** Writes allowed at once per (object, reason)… */
  burst: number;
  /** …and one more per this interval after that. */
  refillIntervalMs: number;
  /** Remembered series and buckets (least recently used are forgotten). */
  maxEntries: number;
}

export const defaultEventDedupOptions: EventDedupOptions = {
  windowMs: 10 * 60_000,
  burst: 5,
  refillIntervalMs: 60_000,
  maxEntries: 4096,
};

export interface EventIdentity {
  /** Stable identity of the regarded object (its UID, or kind/namespace/name). */
  object: string;
  type: string;
  reason: string;
  action: string;
  note: string;
}

export type EventWrite =
  | { kind: 'create' }
  | { kind: 'series'; eventName: string; namespace: string; count: number }
  | { kind: 'suppress'; why: 'rateLimited' };

interface Series {
  eventName: string;
  namespace: string;
  count: number;
  lastSeenMs: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class EventDeduper {
  private readonly options: EventDedupOptions;
  private readonly series = new Map<string, Series>();
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: Partial<EventDedupOptions> = {}) {
    this.options = { ...defaultEventDedupOptions, ...options };
  }

  /** Records one occurrence at `nowMs` and says which write, if any, to make for it. */
  decide(identity: EventIdentity, nowMs: number): EventWrite {
    const key = seriesKey(identity);
    const existing = this.series.get(key);
    const current = existing && nowMs - existing.lastSeenMs <= this.options.windowMs ? existing : undefined;
    if (existing && !current) this.series.delete(key);
    if (current) {
      current.count += 1;
      current.lastSeenMs = nowMs;
      touch(this.series, key, current);
    }
    if (!this.take(`${identity.object}\u0000${identity.reason}`, nowMs)) return { kind: 'suppress', why: 'rateLimited' };
    if (!current) return { kind: 'create' };
    return { kind: 'series', eventName: current.eventName, namespace: current.namespace, count: current.count };
  }

  /** The Event for this identity was created as `eventName` (count 1). */
  created(identity: EventIdentity, eventName: string, namespace: string, nowMs: number): void {
    const key = seriesKey(identity);
    touch(this.series, key, { eventName, namespace, count: 1, lastSeenMs: nowMs });
    evict(this.series, this.options.maxEntries);
  }

  /** The Event is gone on the server (expired or deleted): the next occurrence creates a new one. */
  forget(identity: EventIdentity): void {
    this.series.delete(seriesKey(identity));
  }

  private take(key: string, nowMs: number): boolean {
    const { burst, refillIntervalMs, maxEntries } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedMs: nowMs };
    const refilled = Math.min(burst, bucket.tokens + Math.max(0, nowMs - bucket.updatedMs) / refillIntervalMs);
    const allowed = refilled >= 1;
    touch(this.buckets, key, { tokens: allowed ? refilled - 1 : refilled, updatedMs: nowMs });
    evict(this.buckets, maxEntries);
    return allowed;
  }
}

function seriesKey(identity: EventIdentity): string {
  return [identity.object, identity.type, identity.reason, identity.action, identity.note].join('\u0000');
}

// Map keeps insertion order: re-inserting on use makes the first key the least recently used.
function touch<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
}

function evict<V>(map: Map<string, V>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}
