// zod schemas of the Element objects the operator reads. They parse only the fields the project
// uses (zod strips the rest) and tolerate what real clusters are known to send (element-api.md §6):
// unknown fields, missing optional fields, `volumePairs: null`, `clusterUUID` as int/string/absent,
// `remoteReplication` absent. Empty strings and nulls in optional identity/text fields are
// normalized to `undefined` so callers test one "absent" value, not three.
import { z } from 'zod';

/** Optional text: absent, null and "" all become undefined. */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value === null || value === undefined || value === '' ? undefined : value));

/** Timestamps: absent, null and "" all become null ("never" / "not deleted"). */
const optionalTime = z
  .string()
  .nullish()
  .transform((value) => (value === null || value === undefined || value === '' ? null : value));

/** `clusterUUID` is a 4-character string on 12.x, an integer in old docs and absent on 8.x. */
const flexibleId = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined || value === '' ? undefined : String(value)));

/** Versions are strings on real clusters; a number (12.5, 8) is normalized to "12.5" / "8.0". */
export const ApiVersionString = z
  .union([z.string().regex(/^\d+(\.\d+)*$/), z.number().nonnegative()])
  .transform((value) => (typeof value === 'number' ? (Number.isInteger(value) ? value.toFixed(1) : String(value)) : value));
export type ApiVersionString = z.infer<typeof ApiVersionString>;

const REPLICATION_MODES = ['Async', 'Sync', 'SnapshotsOnly'] as const;

/**
 * Output spelling is `Async`/`Sync`/`SnapshotsOnly`; Element accepts lower case as input and it is
 * not confirmed that it always echoes the canonical spelling (element-api.md §7.4), so parse
 * case-insensitively and normalize.
 */
export const ReplicationMode = z.preprocess(
  (value) => (typeof value === 'string' ? (REPLICATION_MODES.find((m) => m.toLowerCase() === value.toLowerCase()) ?? value) : value),
  z.enum(REPLICATION_MODES),
);
export type ReplicationMode = z.infer<typeof ReplicationMode>;

/** Case-sensitive on purpose: the official SDK asserts these exact spellings, so clusters send them. */
export const VolumeAccess = z.enum(['readOnly', 'readWrite', 'locked', 'replicationTarget', 'snapMirrorTarget']);
export type VolumeAccess = z.infer<typeof VolumeAccess>;

/**
 * Replication states as documented (element-api.md §2.5). The schemas keep states as plain strings
 * so that an undocumented state never makes a whole volume list unreadable; this list is for callers.
 */
export const KNOWN_REPLICATION_STATES = [
  'Unconfigured',
  'PausedMisconfigured',
  'ResumingConnected',
  'ResumingRRSync',
  'ResumingLocalSync',
  'ResumingDataTransfer',
  'Active',
  'Idle',
  'PausedDisconnected',
  'PausedManual',
  'PausedManualRemote',
  'PausedClusterFull',
  'PausedExceededMaxSnapshotCount',
  'PausedQoS',
  'PausedSlowLink',
  'PausedVolumeSizeMismatch',
  'PausedXCopy',
  'StoppedMisconfigured',
] as const;

export const SnapshotReplication = z.object({ state: optionalText });
export type SnapshotReplication = z.infer<typeof SnapshotReplication>;

export const RemoteReplication = z.object({
  mode: ReplicationMode.optional(),
  state: optionalText,
  snapshotReplication: SnapshotReplication.nullish().transform((value) => value ?? undefined),
});
export type RemoteReplication = z.infer<typeof RemoteReplication>;

/** One entry of `Volume.volumePairs`. Pending pairs (state `Unconfigured`) carry 0/""/0 placeholders. */
export const ElementVolumePair = z.object({
  clusterPairID: z.number().int(),
  remoteVolumeID: z.number().int(),
  remoteVolumeName: z
    .string()
    .nullish()
    .transform((value) => value ?? ''),
  volumePairUUID: optionalText,
  remoteReplication: RemoteReplication.nullish().transform((value) => value ?? undefined),
});
export type ElementVolumePair = z.infer<typeof ElementVolumePair>;

const VolumeFields = z.object({
  volumeID: z.number().int(),
  name: z.string(),
  accountID: z.number().int(),
  access: VolumeAccess,
  totalSize: z.number(),
  enable512e: z.boolean(),
  status: z.string(),
  deleteTime: optionalTime,
  createTime: optionalTime,
  /** null: never accessed (the cluster sends null or ""). */
  lastAccessTime: optionalTime,
  lastAccessTimeIO: optionalTime,
  volumePairs: z.array(ElementVolumePair).nullish(),
});

/**
 * `volumePairs: null` is tolerated (the SDK does) but is not "no pairs": the list is then empty and
 * `volumePairsUnknown` says Element did not tell, so no reader decides on it. Absent means none.
 */
export const Volume = VolumeFields.transform(({ volumePairs, ...volume }) => ({
  ...volume,
  volumePairs: volumePairs ?? [],
  ...(volumePairs === null ? { volumePairsUnknown: true as const } : {}),
}));
export type Volume = z.infer<typeof Volume>;

export const KNOWN_CLUSTER_PAIR_STATUSES = ['Unconfigured', 'Connecting', 'Connected', 'Misconfigured', 'Disconnected'] as const;

/** One entry of `ListClusterPairs.clusterPairs`; the other fields describe the *remote* cluster. */
export const PairedCluster = z.object({
  clusterName: optionalText,
  clusterPairID: z.number().int(),
  clusterPairUUID: optionalText,
  /** The remote cluster's uniqueID on 12.x (normalized to a string; undefined when absent). */
  clusterUUID: flexibleId,
  latency: z
    .number()
    .nullish()
    .transform((value) => value ?? undefined),
  mvip: optionalText,
  /** Kept as a string: see KNOWN_CLUSTER_PAIR_STATUSES. */
  status: z.string(),
  version: optionalText,
});
export type PairedCluster = z.infer<typeof PairedCluster>;

export const ClusterInfo = z.object({
  name: z.string(),
  uniqueID: z.string(),
  uuid: optionalText,
  mvip: optionalText,
  svip: optionalText,
});
export type ClusterInfo = z.infer<typeof ClusterInfo>;

export const ClusterVersionInfo = z.object({
  /** Full product version, e.g. "12.5.0.897". */
  clusterVersion: z.string(),
  clusterAPIVersion: ApiVersionString.optional(),
});
export type ClusterVersionInfo = z.infer<typeof ClusterVersionInfo>;

export const Limits = z.object({
  /** 4 on every documented release; optional so an older cluster without it still parses. */
  clusterPairsCountMax: z.number().int().optional(),
});
export type Limits = z.infer<typeof Limits>;

export const Account = z.object({
  accountID: z.number().int(),
  username: z.string(),
  status: optionalText,
});
export type Account = z.infer<typeof Account>;

/** GetAPI: the method list keyed by the requested version is dropped. */
export const ApiInfo = z.object({
  currentVersion: ApiVersionString,
  supportedVersions: z.array(ApiVersionString),
});
export type ApiInfo = z.infer<typeof ApiInfo>;

const optionalNumber = z
  .number()
  .nullish()
  .transform((value) => value ?? undefined);

/**
 * One entry of `ListVolumeStats.volumeStats`. `asyncDelay` stays the raw string (ISO 8601 duration
 * or "HH:MM:SS.ffffff", element-api.md §3.5a) or null when the volume is not paired; parse it with
 * parseAsyncDelay. A value of another type is read as null rather than failing the whole list.
 */
export const VolumeStats = z.object({
  volumeID: z.number().int(),
  asyncDelay: z
    .unknown()
    .optional()
    .transform((value) => (typeof value === 'string' ? value : null)),
});
export type VolumeStats = z.infer<typeof VolumeStats>;

/**
 * One entry of `ListSyncJobs.syncJobs` (element-api.md §2.5, §3.5a). Remote replication jobs have
 * `type: "remote"` with src/dst volume IDs; other types (slice, clone, block) may carry `volumeID`.
 * `remainingTime` is seconds (float) or null; `percentComplete` 0–100.
 */
export const SyncJob = z.object({
  type: z.string(),
  stage: optionalText,
  branchType: optionalText,
  volumeID: optionalNumber,
  srcVolumeID: optionalNumber,
  dstVolumeID: optionalNumber,
  srcServiceID: optionalNumber,
  dstServiceID: optionalNumber,
  percentComplete: optionalNumber,
  remainingTime: optionalNumber,
  elapsedTime: optionalNumber,
  blocksPerSecond: optionalNumber,
});
export type SyncJob = z.infer<typeof SyncJob>;
