// Waiting for a condition with a deadline, while the processes the benchmark depends on must keep
// running: a timeout, an exited process or an interrupt is an error (a slow operator is not).
import type { Child } from '../lib/children.ts';

export class BenchTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchTimeoutError';
  }
}

export interface WaitContext {
  /** Processes that must keep running (operator, simulator). */
  essential: readonly Child[];
  signal?: AbortSignal | undefined;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

export function checkAlive(context: WaitContext): void {
  if (context.signal?.aborted) throw new Error('interrupted');
  for (const child of context.essential) {
    if (child.hasExited()) throw new Error(`${child.name} exited during the benchmark; last lines of ${child.logFile}:\n${child.tail(20)}`);
  }
}

/**
 * Polls `done` every `intervalMs` until it returns true; returns the time it did (ms since the
 * epoch). On timeout the error says what was awaited and what `explain` reports.
 */
export async function waitUntil(
  context: WaitContext,
  options: { what: string; timeoutMs: number; intervalMs?: number; explain?: () => string[] },
  done: () => boolean | Promise<boolean>,
): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    checkAlive(context);
    if (await done()) return Date.now();
    if (Date.now() > deadline) {
      const details = options.explain?.() ?? [];
      throw new BenchTimeoutError([`timed out after ${options.timeoutMs / 1000}s waiting for ${options.what}`, ...details.map((d) => `  ${d}`)].join('\n'));
    }
    await sleep(options.intervalMs ?? 200, context.signal);
  }
}
