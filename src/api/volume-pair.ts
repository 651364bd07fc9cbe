// VolumePair: a source and a target volume on a ClusterPair (DESIGN.md §2). Namespaced.
import { z } from 'zod';
import { immutable, withCrd, type CelRule } from './crd-meta.ts';
import {
  DeletionPolicy,
  ElementID,
  ManagementPolicy,
  ObjectMeta,
  ObjectName,
  PairingPhase,
  PrimarySide,
  ReplicationMode,
  TargetPolicy,
  TargetSizePolicy,
  Timestamp,
} from './common.ts';
import { Conditions } from './conditions.ts';
import { Incident } from './incidents.ts';

const EXACTLY_ONE = 'exactly one of volumeID or volumeName must be set';
const ACCOUNT_WITH_NAME = 'accountID is required with volumeName and allowed only with it';

const volumeSelectorRules: readonly CelRule[] = [
  { rule: 'has(self.volumeID) != has(self.volumeName)', message: EXACTLY_ONE },
  { rule: 'has(self.volumeName) == has(self.accountID)', message: ACCOUNT_WITH_NAME, fieldPath: '.accountID' },
];

/** A volume named by ID, or by name within an account (names are unique only per account, if at all). */
export const VolumeSelector = z
  .object({
    volumeID: ElementID.optional().describe('Element volume ID.'),
    volumeName: z.string().min(1).max(64).optional().describe('Element volume name; needs accountID. Ambiguous names are refused (Stalled, InvalidSpec).'),
    accountID: ElementID.optional().describe('Element account ID that owns volumeName.'),
  })
  .refine((v) => (v.volumeID === undefined) !== (v.volumeName === undefined), { message: EXACTLY_ONE })
  .refine((v) => (v.volumeName === undefined) === (v.accountID === undefined), {
    message: ACCOUNT_WITH_NAME,
    path: ['accountID'],
  });
export type VolumeSelector = z.infer<typeof VolumeSelector>;

function side(field: string, clusterRef: string) {
  return withCrd(VolumeSelector.describe(`The volume on the ElementCluster of the ClusterPair's ${clusterRef}: {volumeID} or {volumeName, accountID}. Immutable.`), {
    validations: [...volumeSelectorRules, immutable(field)],
  });
}

export const ClusterPairRef = withCrd(
  z
    .object({ name: ObjectName.describe('Name of the ClusterPair.') })
    .describe('The ClusterPair (cluster-scoped) that carries this volume pair. Immutable.'),
  { validations: [immutable('clusterPairRef')] },
);
export type ClusterPairRef = z.infer<typeof ClusterPairRef>;

export const VolumePairSpec = z
  .object({
    clusterPairRef: ClusterPairRef,
    sideA: side('sideA', 'clusterARef'),
    sideB: side('sideB', 'clusterBRef'),
    primarySide: PrimarySide.default('A'),
    failover: z
      .enum(['Planned', 'Forced'])
      .default('Planned')
      .describe(
        'How a change of primarySide is carried out (DESIGN §8). Planned: waits until replication is Active (Sync, or Async with lag 0) and unpaused, demotes the old primary, then promotes the new one; no write is lost. Forced: for a lost site: demotes the old primary if its cluster answers, else promotes the new one at once; writes not yet replicated are lost.',
      ),
    mode: ReplicationMode.default('Async'),
    paused: z.boolean().default(false).describe('Pause replication (ModifyVolumePair pausedManual). A requested pause keeps Ready=True.'),
    targetPolicy: TargetPolicy.default('RequireUnused'),
    targetSizePolicy: TargetSizePolicy.default('Grow'),
    deletionPolicy: DeletionPolicy.default('Delete'),
    managementPolicy: ManagementPolicy.default('Manage'),
  })
  .describe('The two volumes to pair and how they replicate.');
export type VolumePairSpec = z.infer<typeof VolumePairSpec>;

export const VolumePairSideStatus = z
  .object({
    volumeID: z.int().min(1).optional().describe('Resolved volume ID; owned by this VolumePair from then on.'),
    volumeName: z.string().optional().describe('Name of the volume.'),
    accountID: z.int().min(0).optional().describe('Account that owns the volume.'),
    access: z.string().optional().describe('Volume access as Element reports it: readWrite, replicationTarget, readOnly, locked or snapMirrorTarget.'),
    totalSize: z.int().min(0).optional().describe('Size of the volume in bytes, as Element lists it (totalSize).'),
    clusterPairID: z.int().min(0).optional().describe("This side's local clusterPairID of the volume pair."),
    replicationState: z.string().optional().describe('Raw remoteReplication.state on this side, e.g. Active or PausedManual.'),
  })
  .describe('One side of the volume pair as its cluster reports it.');
export type VolumePairSideStatus = z.infer<typeof VolumePairSideStatus>;

export const VolumePairPairing = z
  .object({
    phase: PairingPhase,
    startedAt: Timestamp.describe('When the intent was written.'),
    sourceSide: PrimarySide.describe('Side of the source volume when the intent was written.'),
    sourceVolumeID: z.int().min(1).describe('Volume on which StartVolumePairing runs: a pending pair on it is ours.'),
    targetVolumeID: z.int().min(1).optional().describe('Volume that becomes the replicationTarget.'),
    previousAccess: z
      .string()
      .optional()
      .describe("The target's access before the operator made it a replicationTarget: restored if the pair is never established."),
  })
  .describe('Write-ahead intent recorded before StartVolumePairing, so that a pending pair is attributable after a crash.');
export type VolumePairPairing = z.infer<typeof VolumePairPairing>;

export const VolumePairSync = z
  .object({
    percentComplete: z.number().min(0).max(100).optional().describe('percentComplete of the remote sync job on the source (ListSyncJobs).'),
    remainingSeconds: z.int().min(0).optional().describe('Seconds the sync job expects to need (its remainingTime), when Element gives it.'),
  })
  .describe('Progress of the initial (or resumed) data copy, while Ready is False with reason Syncing.');
export type VolumePairSync = z.infer<typeof VolumePairSync>;

export const VolumePairSwitchover = z
  .object({
    from: PrimarySide.describe('The primary side before the switchover.'),
    to: PrimarySide.describe('The primary side asked for.'),
    failover: z.enum(['Planned', 'Forced']).describe('spec.failover when the switchover started.'),
    phase: z.enum(['Demoting', 'Promoting']).describe('Demoting: the old primary is being made a replicationTarget. Promoting: the new primary is being made readWrite (then Active is awaited).'),
    startedAt: Timestamp.describe('When the switchover started.'),
  })
  .describe('Write-ahead intent of a switchover, recorded before each ModifyVolume, so that a crash resumes from it and the observed accesses.');
export type VolumePairSwitchover = z.infer<typeof VolumePairSwitchover>;

export const VolumePairStatus = z
  .object({
    observedGeneration: z.int().min(0).optional().describe('metadata.generation this status was computed from.'),
    volumePairUUID: z.string().optional().describe('volumePairUUID of the pair, identical on both volumes.'),
    sideA: VolumePairSideStatus.optional(),
    sideB: VolumePairSideStatus.optional(),
    mode: z.string().optional().describe('Replication mode Element reports on the source volume.'),
    replicationState: z.string().optional().describe('Raw replication state on the source volume, e.g. Active, PausedManual, ResumingDataTransfer.'),
    snapshotReplicationState: z.string().optional().describe('Raw snapshot replication state on the source volume, e.g. Idle.'),
    replicationStateSince: Timestamp.optional().describe('When replicationState last changed, as far as the operator saw.'),
    lastSyncTime: Timestamp.optional().describe(
      'When the source was last synced with the target (read time of ListVolumeStats minus asyncDelay). Refreshed at most every 5 minutes, or at once when the lag crosses --lag-warning-threshold; the metric elementrepl_volume_pair_replication_lag_seconds has every poll.',
    ),
    replicationLagSeconds: z.int().min(0).optional().describe('Seconds between lastSyncTime and when it was written. While the source cannot be read the lag keeps growing from the last known sync; it is never shown as 0 then.'),
    sync: VolumePairSync.optional(),
    pairing: VolumePairPairing.optional(),
    primarySide: PrimarySide.optional().describe(
      'The direction the operator established or accepted (its own pairing, switchover or resync, or spec and Element agreeing). A spec.primarySide that differs from it starts a switchover; with nothing recorded, a difference is only reported (DirectionMismatch).',
    ),
    switchover: VolumePairSwitchover.optional(),
    incident: Incident.optional(),
    conditions: Conditions.optional(),
  })
  .describe('Observed state of the volume pair.');
export type VolumePairStatus = z.infer<typeof VolumePairStatus>;

export const VolumePair = z
  .object({
    apiVersion: z.string().optional().describe('APIVersion of the object.'),
    kind: z.string().optional().describe('Kind of the object.'),
    metadata: ObjectMeta,
    spec: VolumePairSpec,
    status: VolumePairStatus.optional(),
  })
  .describe('VolumePair declares that a volume on side A and a volume on side B of a ClusterPair replicate.');
export type VolumePair = z.infer<typeof VolumePair>;
