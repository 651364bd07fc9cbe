// Time as a dependency: the queue, the rate limiter and the controller read time and set timers only
// through this interface, so unit tests drive them with a manual clock instead of real waiting.
// Pure on purpose: globalThis timers exist in every JavaScript runtime, no node:* import needed.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds on a monotonic scale; only differences are meaningful. */
  now(): number;
  /** Runs fn once after ms; the returned handle cancels it. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    // Never keep the process alive just for a pending requeue; the manager owns the lifetime.
    (timer as { unref?: () => void }).unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};
