// Runs the one step the VolumePair planner chose. Element calls go through the observation cache
// (capped; every mutation moves the generations of both clusters, since a volume pair's halves
// are linked, and the touched volumes are read again at once). The key goes from
// StartVolumePairing straight into the key Secret and from there into CompleteVolumePairing.
import { CLEANUP_FINALIZER } from '../../api/index.ts';
import type { VolumePair } from '../../api/index.ts';
import { ensureFinalizer, removeFinalizer } from '../../controller/finalizers.ts';
import { crashAfter } from '../../controller/test-crash-hook.ts';
import { classifyElementError, decodeVolumePairingKey, isElementApiError } from '../../element/index.ts';
import { VOLUME_PAIRS } from '../cluster-pair/observe.ts';
import type { KeyOwner, VolumePairKeySecrets } from './key-secret.ts';
import type { VolumePairElement, VolumePairReconcilerDeps } from './shell-types.ts';
import type { Side, Step } from './types.ts';

/** Crash point between StartVolumePairing and storing its key (the key exists only in memory there). */
export const CRASH_BEFORE_KEY_STORED = 'volumePairingStartedKeyNotStored';

export interface StepContext {
  deps: VolumePairReconcilerDeps;
  keys: VolumePairKeySecrets;
  vp: VolumePair;
  owner: KeyOwner;
  /** ElementCluster behind each side (Element steps are planned only when the ClusterPair is known). */
  clusters: { A: string; B: string } | undefined;
  /** The volume IDs this VolumePair resolved (for refreshes after a mutation). */
  volumeIDs: { A: number | undefined; B: number | undefined };
  /** Records this VolumePair's own mutation on a cluster (its next reads must start after it). */
  mutated: (cluster: string, generation: number) => void;
}

/** A step that did not run but needs no error: retried quietly after a short wait. */
export interface StepOutcome {
  waiting?: string;
}

/** Thrown for a step that cannot run with what is stored (e.g. the key Secret vanished). */
export class StepPreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepPreconditionError';
  }
}

const other = (side: Side): Side => (side === 'A' ? 'B' : 'A');

function clustersOf(ctx: StepContext): { A: string; B: string } {
  if (ctx.clusters === undefined) throw new StepPreconditionError('the ClusterPair is not known');
  return ctx.clusters;
}

export async function executeStep(step: Step, ctx: StepContext): Promise<StepOutcome> {
  switch (step.kind) {
    case 'none':
    case 'writeIntent':
    case 'clearIntent':
      return {}; // the status write is the step
    case 'addFinalizer':
      await ensureFinalizer(ctx.deps.kube, VOLUME_PAIRS, ctx.vp, CLEANUP_FINALIZER);
      return {};
    case 'dropFinalizer':
      await removeFinalizer(ctx.deps.kube, VOLUME_PAIRS, ctx.vp, CLEANUP_FINALIZER);
      return {};
    case 'deleteKeySecret':
      await ctx.keys.delete(ctx.owner);
      return {};
    case 'modifyVolumeAccess':
      await mutate(ctx, step.side, (client) => client.modifyVolume({ volumeID: step.volumeID, access: step.access }));
      return {};
    case 'startVolumePairing': {
      // Mutations that create pending state are serialized per ElementCluster (DESIGN §3).
      const cluster = clustersOf(ctx)[step.side];
      await ctx.deps.cache.withPairingLock(cluster, () => startPairing(ctx, step.side, step.volumeID, step.mode));
      return {};
    }
    case 'completeVolumePairing':
      return completePairing(ctx, step.side, step.volumeID);
    case 'removeVolumePair':
      try {
        await mutate(ctx, step.side, (client) => client.removeVolumePair(step.volumeID));
      } catch (error) {
        // A volume that is gone has no pair left: that is what removing wanted.
        if (!isElementApiError(error, 'xVolumeIDDoesNotExist')) throw error;
      }
      return {};
    case 'modifyVolumePair':
      await mutate(ctx, step.side, (client) => client.modifyVolumePair({ volumeID: step.volumeID, ...step.change }));
      return {};
  }
}

/**
 * A mutating call on one side. Whatever the outcome (a timeout may hide a change), what was listed
 * before is stale on both clusters; both volumes are read again so the next reconcile starts from
 * what Element says now without a full list.
 */
async function mutate<T>(ctx: StepContext, side: Side, call: (client: VolumePairElement) => Promise<T>): Promise<T> {
  const clusters = clustersOf(ctx);
  try {
    return await ctx.deps.cache.call(clusters[side], call);
  } finally {
    for (const s of [side, other(side)]) ctx.mutated(clusters[s], ctx.deps.cache.noteMutation(clusters[s]));
    await refreshBoth(ctx);
  }
}

export async function refreshBoth(ctx: StepContext): Promise<void> {
  const clusters = clustersOf(ctx);
  await Promise.all(
    (['A', 'B'] as const).map(async (s) => {
      const id = ctx.volumeIDs[s];
      // Best effort: the next reconcile lists anew if this fails (its minimum generation demands it).
      if (id !== undefined) await ctx.deps.cache.refreshVolumes(clusters[s], [id]).catch(() => undefined);
    }),
  );
}

async function startPairing(ctx: StepContext, side: Side, volumeID: number, mode: Parameters<VolumePairElement['startVolumePairing']>[1]): Promise<void> {
  const started = await mutate(ctx, side, (client) => client.startVolumePairing(volumeID, mode));
  crashAfter(CRASH_BEFORE_KEY_STORED);
  let volumePairUUID = '';
  try {
    volumePairUUID = decodeVolumePairingKey(started.volumePairingKey).volumePairUUID;
  } catch {
    // Only the annotation is lost; the pending pair is ours by the intent.
  }
  const facts = { volumePairUUID, cluster: clustersOf(ctx)[side], volumeID };
  // The key exists only in this process until stored: try hard. If it cannot be stored, the pending
  // pair is ours by the intent and is removed before the next attempt.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await ctx.keys.store(ctx.owner, started.volumePairingKey, facts);
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
    }
  }
  throw lastError;
}

async function completePairing(ctx: StepContext, side: Side, volumeID: number): Promise<StepOutcome> {
  const key = await ctx.keys.key(ctx.owner);
  if (!key) throw new StepPreconditionError('the pairing key Secret is gone');
  try {
    await mutate(ctx, side, (client) => client.completeVolumePairing(volumeID, key));
    return {};
  } catch (error) {
    // The target cluster does not know the source MVIP yet (the cluster pair is still connecting):
    // the key was not consumed; keep it and try again shortly, without an alarm.
    if (isElementApiError(error, 'xMVIPNotPaired')) {
      return { waiting: `CompleteVolumePairing: the cluster of side ${side} is not yet paired with the source (xMVIPNotPaired); retrying` };
    }
    // A refused Complete consumed the key: discard it now, so the planner removes the pending pair
    // and starts again with a new key.
    if (isElementApiError(error)) {
      await ctx.keys.delete(ctx.owner);
      throw error;
    }
    // An unknown outcome may have consumed it: keep it only when the pair is visibly there (the
    // planner then verifies and deletes it). A call that was never sent leaves the key good.
    if (classifyElementError('CompleteVolumePairing', error) === 'unknownOutcome') {
      const landed = await completionLanded(ctx, side, volumeID).catch(() => false);
      if (!landed) await ctx.keys.delete(ctx.owner);
    }
    throw error;
  }
}

/** The target volume, read now, shows an established pair with our source volume. */
async function completionLanded(ctx: StepContext, side: Side, volumeID: number): Promise<boolean> {
  const sourceID = ctx.volumeIDs[other(side)];
  if (sourceID === undefined) return false;
  const [target] = await ctx.deps.cache.refreshVolumes(clustersOf(ctx)[side], [volumeID]);
  return (target?.volumePairs ?? []).some((p) => p.remoteVolumeID === sourceID && p.remoteReplication?.state !== 'Unconfigured');
}