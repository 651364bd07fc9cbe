// Runs the VolumePair steps that call Element (the shell runs the shared ones). Calls go through
// the observation cache (capped; every mutation moves the generations of both clusters, since a
// volume pair's halves are linked, and the touched volumes are read again at once). The key goes
// from StartVolumePairing straight into the key Secret and from there into CompleteVolumePairing.
import type { VolumePair } from '../../api/index.ts';
import { crashAfter } from '../../controller/test-crash-hook.ts';
import { classifyElementError, decodeVolumePairingKey, isElementApiError } from '../../element/index.ts';
import type { VolumeAccess } from '../../element/index.ts';
import { GROUP } from '../../api/index.ts';
import { StepPreconditionError } from '../shell/failure.ts';
import type { KeyOwner, PairingKeySecrets } from '../shell/pairing-key-secrets.ts';
import type { SharedStepKind } from '../shell/plan.ts';
import type { StepOutcome } from '../shell/reconcile-loop.ts';
import type { VolumePairElement, VolumePairReconcilerDeps } from './deps.ts';
import { keyAfterFailedComplete } from './plan-key.ts';
import type { CompleteFailure } from './plan-key.ts';
import type { Side, Step } from './plan-types.ts';
import { otherSide } from '../sides.ts';

/** Crash point between StartVolumePairing and storing its key (the key exists only in memory there). */
export const CRASH_BEFORE_KEY_STORED = 'volumePairingStartedKeyNotStored';

/** Non-secret facts about the key, so a human (or a restarted operator) knows what it is for. */
export const KEY_VOLUME_PAIR_UUID_ANNOTATION = `${GROUP}/volume-pair-uuid`;
export const KEY_CLUSTER_ANNOTATION = `${GROUP}/element-cluster`;
export const KEY_VOLUME_ID_ANNOTATION = `${GROUP}/volume-id`;

/** What a VolumePair step runs against. */
export interface StepEnv {
  deps: VolumePairReconcilerDeps;
  keys: PairingKeySecrets;
  vp: VolumePair;
  owner: KeyOwner;
  /** ElementCluster behind each side (Element steps are planned only when the ClusterPair is known). */
  clusters: { A: string; B: string } | undefined;
  /** The volume IDs this VolumePair resolved (for refreshes after a mutation). */
  volumeIDs: { A: number | undefined; B: number | undefined };
  /** Records this VolumePair's own mutation on a cluster (its next reads must start after it). */
  mutated: (cluster: string, generation: number) => void;
}

type ElementStep = Exclude<Step, { kind: SharedStepKind }>;

function clustersOf(env: StepEnv): { A: string; B: string } {
  if (env.clusters === undefined) throw new StepPreconditionError('the ClusterPair is not known');
  return env.clusters;
}

export async function executeStep(step: ElementStep, env: StepEnv): Promise<StepOutcome> {
  switch (step.kind) {
    case 'modifyVolumeAccess':
      await mutate(env, step.side, (client) => client.modifyVolume({ volumeID: step.volumeID, access: step.access as VolumeAccess }));
      return {};
    case 'startVolumePairing': {
      // Mutations that create pending state are serialized per ElementCluster (DESIGN §3).
      const cluster = clustersOf(env)[step.side];
      await env.deps.cache.withPairingLock(cluster, () => startPairing(env, step.side, step.volumeID, step.mode));
      return {};
    }
    case 'completeVolumePairing':
      return completePairing(env, step.side, step.volumeID);
    case 'removeVolumePair':
      try {
        await mutate(env, step.side, (client) => client.removeVolumePair(step.volumeID));
      } catch (error) {
        // A volume that is gone has no pair left: that is what removing wanted.
        if (!isElementApiError(error, 'xVolumeIDDoesNotExist')) throw error;
      }
      return {};
    case 'growVolume':
      await mutate(env, step.side, (client) => client.modifyVolume({ volumeID: step.volumeID, totalSize: step.totalSize }));
      return {};
    case 'modifyVolumePair':
      await mutate(env, step.side, (client) => client.modifyVolumePair({ volumeID: step.volumeID, ...step.change }));
      return {};
  }
}

/**
 * A mutating call on one side. Whatever the outcome (a timeout may hide a change), what was listed
 * before is stale on both clusters; both volumes are read again so the next reconcile starts from
 * what Element says now without a full list.
 */
async function mutate<T>(env: StepEnv, side: Side, call: (client: VolumePairElement) => Promise<T>): Promise<T> {
  const clusters = clustersOf(env);
  try {
    return await env.deps.cache.call(clusters[side], call);
  } finally {
    for (const s of [side, otherSide(side)]) env.mutated(clusters[s], env.deps.cache.noteMutation(clusters[s]));
    await refreshBoth(env);
  }
}

async function refreshBoth(env: StepEnv): Promise<void> {
  const clusters = clustersOf(env);
  await Promise.all(
    (['A', 'B'] as const).map(async (s) => {
      const id = env.volumeIDs[s];
      // Best effort: the next reconcile lists anew if this fails (its minimum generation demands it).
      if (id !== undefined) await env.deps.cache.refreshVolumes(clusters[s], [id]).catch(() => undefined);
    }),
  );
}

async function startPairing(env: StepEnv, side: Side, volumeID: number, mode: Parameters<VolumePairElement['startVolumePairing']>[1]): Promise<void> {
  const started = await mutate(env, side, (client) => client.startVolumePairing(volumeID, mode));
  crashAfter(CRASH_BEFORE_KEY_STORED);
  let volumePairUUID = '';
  try {
    volumePairUUID = decodeVolumePairingKey(started.volumePairingKey).volumePairUUID;
  } catch {
    // Only the annotation is lost; the pending pair is ours by the intent.
  }
  await env.keys.store(env.owner, started.volumePairingKey, {
    [KEY_VOLUME_PAIR_UUID_ANNOTATION]: volumePairUUID,
    [KEY_CLUSTER_ANNOTATION]: clustersOf(env)[side],
    [KEY_VOLUME_ID_ANNOTATION]: String(volumeID),
  });
}

function completeFailure(error: unknown): CompleteFailure {
  if (isElementApiError(error, 'xMVIPNotPaired')) return 'targetNotYetPaired';
  if (isElementApiError(error)) return 'refused';
  return classifyElementError('CompleteVolumePairing', error) === 'unknownOutcome' ? 'unknownOutcome' : 'notSent';
}

async function completePairing(env: StepEnv, side: Side, volumeID: number): Promise<StepOutcome> {
  const key = await env.keys.key(env.owner);
  if (!key) throw new StepPreconditionError('the pairing key Secret is gone');
  try {
    await mutate(env, side, (client) => client.completeVolumePairing(volumeID, key));
    return {};
  } catch (error) {
    switch (keyAfterFailedComplete(completeFailure(error))) {
      case 'keepAndWait':
        return { waiting: `CompleteVolumePairing: the cluster of side ${side} is not yet paired with the source (xMVIPNotPaired); retrying` };
      case 'discard':
        await env.keys.delete(env.owner);
        break;
      case 'discardUnlessLanded': {
        const landed = await completionLanded(env, side, volumeID).catch(() => false);
        if (!landed) await env.keys.delete(env.owner);
        break;
      }
      case 'keep':
        break;
    }
    throw error;
  }
}

/** The target volume, read now, shows an established pair with our source volume. */
async function completionLanded(env: StepEnv, side: Side, volumeID: number): Promise<boolean> {
  const sourceID = env.volumeIDs[otherSide(side)];
  if (sourceID === undefined) return false;
  const [target] = await env.deps.cache.refreshVolumes(clustersOf(env)[side], [volumeID]);
  return (target?.volumePairs ?? []).some((p) => p.remoteVolumeID === sourceID && p.remoteReplication?.state !== 'Unconfigured');
}
