// Behaviour switches: every Element behaviour that element-api.md tags [U] or [I] is a setting here,
// so tests can pin the simulator to either reading and never mistake a default for a fact about
// Element. README.md lists each switch with its confidence tag.
import { z } from 'zod';

const RESUMING_STATES = ['ResumingConnected', 'ResumingRRSync', 'ResumingLocalSync', 'ResumingDataTransfer'] as const;

export const ErrorNames = z
  .object({
    /** More than `maxClusterPairs` cluster pairs [U]; `xExceededLimit` is weak evidence only. */
    clusterPairLimit: z.string().min(1),
    /** RemoveClusterPair while volume pairs use it, when rejected [U]; the default is invented. */
    clusterPairInUse: z.string().min(1),
    /** Malformed, consumed or revoked cluster pairing key [U]/[I]. */
    invalidClusterKey: z.string().min(1),
    /** CompleteClusterPairing when the originating cluster cannot be reached [U]; invented. */
    peerUnreachable: z.string().min(1),
    /** ModifyVolumePair on a volume without a pair [U]; `xVolumeNotPaired` comes from a fake. */
    volumeNotPaired: z.string().min(1),
    /** ModifyVolumePair/StartVolumePairing(mode) on the target side, when rejected [U]; invented. */
    notSourceVolume: z.string().min(1),
    /** Body that is not JSON [U]; invented. */
    invalidJson: z.string().min(1),
    /** JSON that is not one request object (batch array, no method) [U]; invented. */
    invalidRequest: z.string().min(1),
    /** ModifyVolume totalSize smaller than the current size [U]: refused per the docs, name unknown. */
    volumeShrink: z.string().min(1),
  })
  .strict();
export type ErrorNames = z.infer<typeof ErrorNames>;

export const SimulatorBehaviour = z
  .object({
    /** Connecting → Connected after completion or after a cut link is restored [O ≈ 5 s]. */
    connectDelayMs: z.number().int().min(0),
    /** Length of the Resuming* phase before Active [O up to 60 s per side]. */
    resumeDelayMs: z.number().int().min(0),
    /** Resuming* states shown in order, each for an equal share of resumeDelayMs [D names, I order]. */
    resumingStates: z.array(z.string().min(1)),
    /** GetLimits.clusterPairsCountMax and the enforced limit [D]. */
    maxClusterPairs: z.number().int().min(0),
    /** Do Unconfigured (pending) cluster pairs count toward the limit [U]. */
    pendingClusterPairsCountTowardLimit: z.boolean(),
    /** Does a pending (Unconfigured) volume pair count for ListVolumes isPaired:true [U]. */
    pendingVolumePairsCountAsPaired: z.boolean(),
    /** RemoveClusterPair while volume pairs use the cluster pair [U]. */
    removeClusterPairWithVolumePairs: z.enum(['reject', 'accept']),
    /** Status of the surviving side after the peer removed its half of a cluster pair [I]. */
    orphanedClusterPairStatus: z.enum(['Misconfigured', 'Disconnected']),
    /** ListVolumes {volumeIDs:[missing]}: empty list or xVolumeIDDoesNotExist [U]. */
    listVolumesMissingID: z.enum(['empty', 'error']),
    /** Which side shows PausedManual: the side ModifyVolumePair was called on, or the source [I]. */
    pauseStateMapping: z.enum(['callerSide', 'sourceSide']),
    /** ModifyVolumePair called on the replicationTarget side [U; accepted in practice, I]. */
    modifyVolumePairOnTarget: z.enum(['accept', 'reject']),
    /** StartVolumePairing with an explicit mode on a replicationTarget volume [U]. */
    startVolumePairingModeOnTarget: z.enum(['accept', 'reject']),
    /** ModifyVolumePair on a volume without a pair [U]. */
    modifyVolumePairOnUnpaired: z.enum(['reject', 'accept']),
    /** RemoveVolumePair on a volume without a pair [I strong: succeeds]. */
    removeVolumePairOnUnpaired: z.enum(['accept', 'reject']),
    /** `mode` input accepted in any letter case [I]. */
    modeCaseInsensitive: z.boolean(),
    /** A target smaller than its source pauses the pair with PausedVolumeSizeMismatch [D]. */
    sizeMismatchPauses: z.boolean(),
    /** A method not available at the endpoint version → xUnknownAPIMethod [I]. */
    enforceMethodVersions: z.boolean(),
    /** Add `unusedParameters` ({name: value}) to results when unknown params were sent [U shape]. */
    reportUnusedParameters: z.boolean(),
    /** ListActivePairedVolumes page size when no `limit` is sent [U]; ListVolumes' is 10000 [D]. */
    activePairedVolumesDefaultLimit: z.number().int().min(1),
    /** ListVolumesForAccount with an unknown accountID: xUnknownAccount or an empty list [U]. */
    listVolumesForAccountUnknown: z.enum(['error', 'empty']),
    /** After PausedVolumeSizeMismatch, does growing the target resume by itself, or only a resume [U]. */
    resumeAfterTargetGrows: z.enum(['manual', 'auto']),
    /** asyncDelay spelling: ISO 8601 duration [D] or "HH:MM:SS.ffffff" as seen in the field [O]. */
    asyncDelayFormat: z.enum(['iso8601', 'hms']),
    /** asyncDelay of a paired volume that is not Active (paused, cut link…): keeps growing, or null [U]. */
    asyncDelayWhenStopped: z.enum(['grows', 'null']),
    /** ListVolumeStats {volumeIDs:[missing]}: xVolumeIDDoesNotExist or the ID left out [U]. */
    listVolumeStatsMissingID: z.enum(['error', 'omit']),
    /** Which cluster lists a remote sync job: the source's only, or both [U]. */
    syncJobsListedOn: z.enum(['source', 'both']),
    /** ListClusterPairs clusterUUID: the peer's uniqueID (12.5) [O], an integer (old docs) [D], or absent (8.6) [O]. */
    clusterPairClusterUUID: z.enum(['uniqueID', 'integer', 'absent']),
    /** GetClusterInfo `uuid`: present [D] or absent (older releases; when it appeared is [U]). */
    clusterInfoUuid: z.enum(['present', 'absent']),
    errorNames: ErrorNames,
  })
  .strict();
export type SimulatorBehaviour = z.infer<typeof SimulatorBehaviour>;

export const BehaviourPatch = SimulatorBehaviour.partial().extend({ errorNames: ErrorNames.partial().optional() }).strict();
export type BehaviourPatch = z.infer<typeof BehaviourPatch>;

export function defaultBehaviour(): SimulatorBehaviour {
  return {
    connectDelayMs: 500,
    resumeDelayMs: 300,
    resumingStates: [...RESUMING_STATES],
    maxClusterPairs: 4,
    pendingClusterPairsCountTowardLimit: true,
    pendingVolumePairsCountAsPaired: true,
    removeClusterPairWithVolumePairs: 'reject',
    orphanedClusterPairStatus: 'Misconfigured',
    listVolumesMissingID: 'empty',
    pauseStateMapping: 'callerSide',
    modifyVolumePairOnTarget: 'accept',
    startVolumePairingModeOnTarget: 'accept',
    modifyVolumePairOnUnpaired: 'reject',
    removeVolumePairOnUnpaired: 'accept',
    modeCaseInsensitive: true,
    sizeMismatchPauses: true,
    enforceMethodVersions: true,
    reportUnusedParameters: false,
    activePairedVolumesDefaultLimit: 10000,
    listVolumesForAccountUnknown: 'error',
    resumeAfterTargetGrows: 'manual',
    asyncDelayFormat: 'iso8601',
    asyncDelayWhenStopped: 'grows',
    listVolumeStatsMissingID: 'error',
    syncJobsListedOn: 'source',
    clusterPairClusterUUID: 'uniqueID',
    clusterInfoUuid: 'present',
    errorNames: {
      clusterPairLimit: 'xExceededLimit',
      clusterPairInUse: 'xClusterPairInUse',
      invalidClusterKey: 'xInvalidKey',
      peerUnreachable: 'xPeerUnreachable',
      volumeNotPaired: 'xVolumeNotPaired',
      notSourceVolume: 'xNotSourceVolume',
      invalidJson: 'xInvalidJSON',
      invalidRequest: 'xInvalidRequest',
      volumeShrink: 'xVolumeShrinkProhibited',
    },
  };
}

/** Applies a validated patch; throws a ZodError naming the bad member. */
export function applyBehaviourPatch(base: SimulatorBehaviour, patch: unknown): SimulatorBehaviour {
  const parsed = BehaviourPatch.parse(patch);
  const { errorNames, ...rest } = parsed;
  return { ...base, ...rest, errorNames: { ...base.errorNames, ...errorNames } };
}

/** Turns a `--set key=value` argument into a patch; dotted keys reach into errorNames. */
export function patchFromAssignment(assignment: string): BehaviourPatch {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new Error(`expected key=value, got '${assignment}'`);
  const key = assignment.slice(0, eq);
  const raw = assignment.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // plain strings need no quotes on the command line
  }
  const patch: Record<string, unknown> = {};
  const [head, sub, ...more] = key.split('.');
  if (more.length > 0 || head === undefined) throw new Error(`unknown behaviour key '${key}'`);
  patch[head] = sub === undefined ? value : { [sub]: value };
  const result = BehaviourPatch.safeParse(patch);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`behaviour '${key}': ${issue?.message ?? 'invalid value'}`);
  }
  return result.data;
}
