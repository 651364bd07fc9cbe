// Per-key exponential backoff (client-go's ItemExponentialFailureRateLimiter): the n-th consecutive
// failure of a key waits base·2^n, capped at max; forget() starts the key over. DESIGN §3: Element
// errors back off from 1 s to at most 5 min — those are the defaults; tests pass small values.

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
}

export const DEFAULT_BACKOFF_BASE_MS = 1_000;
export const DEFAULT_BACKOFF_MAX_MS = 5 * 60_000;

export class ItemBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
  #failures = new Map<string, number>();

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
    this.maxMs = options.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
    if (!(this.baseMs > 0) || !(this.maxMs >= this.baseMs)) {
      throw new RangeError('backoff needs 0 < baseMs <= maxMs');
    }
  }

  /** Records one more failure of key and returns how long to wait before its next attempt. */
  when(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    // 2^failures overflows to Infinity long after the cap is reached; Math.min handles it.
    return Math.min(this.baseMs * 2 ** failures, this.maxMs);
  }

  /** Consecutive failures recorded for key. */
  retries(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** The key succeeded: its next failure starts again at baseMs. */
  forget(key: string): void {
    this.#failures.delete(key);
  }
}

/**
 * Spreads periodic work so that many keys polled at the same interval do not fire together:
 * returns a delay in [ms, ms·(1+factor)) (client-go's wait.Jitter).
 */
export function jitter(ms: number, factor: number, random: () => number = Math.random): number {
  if (factor <= 0) return ms;
  return ms + ms * factor * random();
}
