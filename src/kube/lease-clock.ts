// Time for the leader elector: a monotonic clock with timers (injectable, so tests drive the
// election algorithm without waiting), an abortable sleep, and a deadline for API calls.
import { performance } from 'node:perf_hooks';

/**
 * Monotonic time and timers. Structurally the same as src/controller/clock.ts's `Clock`, so the
 * manager can hand one clock to everything (and tests a manual one).
 */
export interface LeaseClock {
  /** Monotonic milliseconds: expiry and deadlines. */
  now(): number;
  setTimer(ms: number, fn: () => void): { cancel(): void };
}

// Timers stay referenced: a standby waiting for the Lease is real work that keeps the process up.
export const systemLeaseClock: LeaseClock = {
  now: () => performance.now(),
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(timer) };
  },
};

/** Resolves after `ms`, or early (never rejecting) when `signal` aborts. */
export function sleep(clock: LeaseClock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      timer.cancel();
      resolve();
    };
    const timer = clock.setTimer(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Rejects when `call` takes longer than `ms`; the call itself runs on and its result is dropped. */
export async function withDeadline<T>(clock: LeaseClock, call: Promise<T>, ms: number): Promise<T> {
  call.catch(() => undefined);
  if (ms <= 0) throw new Error('leader election deadline exceeded');
  const timer = new AbortController();
  const expired = sleep(clock, ms, timer.signal).then((): never => {
    throw new Error('leader election API call timed out');
  });
  expired.catch(() => undefined);
  try {
    return await Promise.race([call, expired]);
  } finally {
    timer.abort();
  }
}
