// The requeue vocabulary of plan.ts mapped to times, in one place. The controller adds jitter to
// requeueAfterMs; `backoff` uses the queue's per-key backoff (DESIGN §3: 1 s up to 5 min).
import type { ReconcileResult } from '../../controller/controller.ts';
import type { Freshness, Requeue } from './plan.ts';

/** Right after a step: the next one follows quickly. */
export const IMMEDIATE_REQUEUE_MS = 250;
/** Transitional states (pairing, syncing, connecting) are looked at again within seconds. */
export const SOON_REQUEUE_MS = 2_000;
/** Lists read for a transitional resource may be at most this old. */
export const RECENT_LIST_MAX_AGE_MS = 1_000;

export function requeueResult(requeue: Requeue, pollIntervalMs: number): ReconcileResult {
  switch (requeue) {
    case 'immediate':
      return { requeueAfterMs: IMMEDIATE_REQUEUE_MS };
    case 'soon':
      return { requeueAfterMs: SOON_REQUEUE_MS };
    case 'poll':
      return { requeueAfterMs: pollIntervalMs };
    case 'backoff':
      return { requeue: true };
    case 'never':
      return undefined;
  }
}

/** How old a list may be for a reader that needs this freshness. */
export function maxListAgeMs(freshness: Freshness, pollIntervalMs: number): number {
  if (freshness === 'now') return 0;
  return freshness === 'recent' ? RECENT_LIST_MAX_AGE_MS : pollIntervalMs;
}
