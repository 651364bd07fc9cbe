// Runs the ClusterPair steps that call Element (the shell runs the shared ones). Calls go through
// the observation cache (capped, and every mutation moves the cluster's generation so the next
// observation is fresh); the key goes from StartClusterPairing straight into the key Secret and
// from there into CompleteClusterPairing, and nowhere else.
import type { ClusterPair } from '../../api/index.ts';
import { crashAfter } from '../../controller/test-crash-hook.ts';
import { classifyElementError, decodeClusterPairingKey, isElementApiError } from '../../element/index.ts';
import { StepPreconditionError } from '../shell/failure.ts';
import { keyOwner } from '../shell/pairing-key-secrets.ts';
import type { PairingKeySecrets } from '../shell/pairing-key-secrets.ts';
import type { SharedStepKind } from '../shell/plan.ts';
import { SIDES } from '../sides.ts';
import type { ClusterPairElement, ClusterPairReconcilerDeps } from './deps.ts';
import { keyFacts } from './key-facts.ts';
import type { Side, Step } from './plan-types.ts';

/** What a ClusterPair step runs against. */
export interface StepEnv {
  deps: ClusterPairReconcilerDeps;
  keys: PairingKeySecrets;
  pair: ClusterPair;
  clusters: Record<Side, string>;
  /** Side A's `clusterUniqueID`, recorded beside the key (other ClusterPairs compare on it). */
  uniqueIDOfA?: string;
  /** Records this ClusterPair's own mutation on a cluster (its next reads must start after it). */
  mutated: (cluster: string, generation: number) => void;
}

type ElementStep = Exclude<Step, { kind: SharedStepKind }>;

export async function executeStep(step: ElementStep, env: StepEnv): Promise<void> {
  switch (step.kind) {
    case 'startPairing':
      return startPairing(env);
    case 'completePairing':
      return completePairing(env);
    case 'removePendingPair':
    case 'removeHalf':
      return removePair(env, step.side, step.clusterPairID);
    case 'removeBoth': {
      const failures: unknown[] = [];
      for (const side of SIDES) {
        const id = step.clusterPairIDs[side];
        if (id === undefined) continue;
        // Both sides are tried; a failure on one does not keep the other.
        await removePair(env, side, id).catch((error: unknown) => failures.push(error));
        if (side === 'A') crashAfter('removeBoth.A', 'ClusterPair');
      }
      if (failures.length > 0) throw failures[0];
      return;
    }
  }
}

/** A mutating call on one cluster; both clusters' generations move (a pair's two halves are linked). */
async function mutate<T>(env: StepEnv, side: Side, call: (client: ClusterPairElement) => Promise<T>): Promise<T> {
  try {
    return await env.deps.cache.call(env.clusters[side], call);
  } finally {
    // Whatever the outcome (a timeout may hide a change), what was listed before is stale now.
    for (const cluster of Object.values(env.clusters)) env.mutated(cluster, env.deps.cache.noteMutation(cluster));
  }
}

async function startPairing(env: StepEnv): Promise<void> {
  const started = await mutate(env, 'A', (client) => client.startClusterPairing());
  crashAfter('startClusterPairing', 'ClusterPair');
  let clusterPairUUID = '';
  try {
    clusterPairUUID = decodeClusterPairingKey(started.clusterPairingKey).clusterPairUUID;
  } catch {
    // Only the annotation is lost; the pending pair is still found by its ID.
  }
  const facts = keyFacts({
    clusterPairUUID,
    clusterPairID: started.clusterPairID,
    cluster: env.clusters.A,
    ...(env.uniqueIDOfA ? { clusterUniqueID: env.uniqueIDOfA } : {}),
  });
  await env.keys.store(keyOwner(env.pair), started.clusterPairingKey, facts);
}

async function completePairing(env: StepEnv): Promise<void> {
  const owner = keyOwner(env.pair);
  const key = await env.keys.key(owner);
  if (!key) throw new StepPreconditionError('the pairing key Secret is gone');
  try {
    await mutate(env, 'B', (client) => client.completeClusterPairing(key));
  } catch (error) {
    // A definite refusal (xPairingAlreadyExists, xInvalidKey, …) makes the key useless: discard it,
    // and the next round removes the pending pair it was issued for and starts again.
    if (classifyElementError('CompleteClusterPairing', error) === 'final' && isElementApiError(error)) {
      await env.keys.delete(owner);
    }
    throw error;
  }
}

async function removePair(env: StepEnv, side: Side, clusterPairID: number): Promise<void> {
  try {
    await mutate(env, side, (client) => client.removeClusterPair(clusterPairID));
  } catch (error) {
    if (isElementApiError(error, 'xPairingDoesNotExist')) return; // already gone: that is success
    throw error;
  }
}
