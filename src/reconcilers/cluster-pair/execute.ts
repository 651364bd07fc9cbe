// Runs the one step the planner chose. Element calls go through the observation cache (capped,
// and every mutation moves the cluster's generation so the next observation is fresh); the key
// goes from StartClusterPairing straight into the key Secret and from there into
// CompleteClusterPairing, and nowhere else.
import { CLEANUP_FINALIZER } from '../../api/index.ts';
import type { ClusterPair } from '../../api/index.ts';
import { classifyElementError, decodeClusterPairingKey, isElementApiError } from '../../element/index.ts';
import { ensureFinalizer, removeFinalizer } from '../../controller/finalizers.ts';
import { crashAfter } from '../../controller/test-crash-hook.ts';
import type { ClusterPairKeySecrets, KeyOwner } from './key-secret.ts';
import { CLUSTER_PAIRS } from './observe.ts';
import type { ClusterPairElement, ClusterPairReconcilerDeps } from './shell-types.ts';
import type { Side, Step } from './types.ts';

export interface StepContext {
  deps: ClusterPairReconcilerDeps;
  keys: ClusterPairKeySecrets;
  pair: ClusterPair;
  clusters: Record<Side, string>;
  /** Records this ClusterPair's own mutation on a cluster (its next reads must start after it). */
  mutated: (cluster: string, generation: number) => void;
}

/** Thrown for a step that cannot run with what is stored (e.g. the key Secret vanished). */
export class StepPreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepPreconditionError';
  }
}

export async function executeStep(step: Step, ctx: StepContext): Promise<void> {
  switch (step.kind) {
    case 'none':
    case 'writeIntent':
    case 'clearIntent':
      return; // the status write is the step
    case 'addFinalizer':
      await ensureFinalizer(ctx.deps.kube, CLUSTER_PAIRS, ctx.pair, CLEANUP_FINALIZER);
      return;
    case 'dropFinalizer':
      await removeFinalizer(ctx.deps.kube, CLUSTER_PAIRS, ctx.pair, CLEANUP_FINALIZER);
      return;
    case 'startPairing':
      return startPairing(ctx);
    case 'completePairing':
      return completePairing(ctx);
    case 'deleteKeySecret':
      await ctx.keys.delete(owner(ctx));
      return;
    case 'removePendingPair':
    case 'removeHalf':
      return removePair(ctx, step.side, step.clusterPairID);
    case 'removeBoth': {
      const failures: unknown[] = [];
      for (const side of ['A', 'B'] as const) {
        const id = step.clusterPairIDs[side];
        if (id === undefined) continue;
        // Both sides are tried; a failure on one does not keep the other.
        await removePair(ctx, side, id).catch((error: unknown) => failures.push(error));
        if (side === 'A') crashAfter('removeBoth.A', 'ClusterPair');
      }
      if (failures.length > 0) throw failures[0];
      return;
    }
  }
}

function owner(ctx: StepContext): KeyOwner {
  return { name: ctx.pair.metadata.name, uid: ctx.pair.metadata.uid ?? '' };
}

/** A mutating call on one cluster; both clusters' generations move (a pair's two halves are linked). */
async function mutate<T>(ctx: StepContext, side: Side, call: (client: ClusterPairElement) => Promise<T>): Promise<T> {
  try {
    return await ctx.deps.cache.call(ctx.clusters[side], call);
  } finally {
    // Whatever the outcome (a timeout may hide a change), what was listed before is stale now.
    for (const cluster of Object.values(ctx.clusters)) ctx.mutated(cluster, ctx.deps.cache.noteMutation(cluster));
  }
}

async function startPairing(ctx: StepContext): Promise<void> {
  const started = await mutate(ctx, 'A', (client) => client.startClusterPairing());
  crashAfter('startClusterPairing', 'ClusterPair');
  let clusterPairUUID = '';
  try {
    clusterPairUUID = decodeClusterPairingKey(started.clusterPairingKey).clusterPairUUID;
  } catch {
    // Only the annotation is lost; the pending pair is still found by its ID.
  }
  const facts = { clusterPairUUID, clusterPairID: started.clusterPairID, cluster: ctx.clusters.A };
  // The key exists only in this process until stored: try hard. If it cannot be stored, the pending
  // pair is ours by the intent and will be removed before the next attempt.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await ctx.keys.store(owner(ctx), started.clusterPairingKey, facts);
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
    }
  }
  throw lastError;
}

async function completePairing(ctx: StepContext): Promise<void> {
  const key = await ctx.keys.key(owner(ctx));
  if (!key) throw new StepPreconditionError('the pairing key Secret is gone');
  try {
    await mutate(ctx, 'B', (client) => client.completeClusterPairing(key));
  } catch (error) {
    // A definite refusal (xPairingAlreadyExists, xInvalidKey, …) makes the key useless: discard it,
    // and the next round removes the pending pair it was issued for and starts again.
    if (classifyElementError('CompleteClusterPairing', error) === 'final' && isElementApiError(error)) {
      await ctx.keys.delete(owner(ctx));
    }
    throw error;
  }
}

async function removePair(ctx: StepContext, side: Side, clusterPairID: number): Promise<void> {
  try {
    await mutate(ctx, side, (client) => client.removeClusterPair(clusterPairID));
  } catch (error) {
    if (isElementApiError(error, 'xPairingDoesNotExist')) return; // already gone: that is success
    throw error;
  }
}
