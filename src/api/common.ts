// Building blocks shared by the three kinds: enums, references, timestamps and loose metadata.
import { z } from 'zod';

/** Element's replication modes (StartVolumePairing / ModifyVolumePair `mode`). */
export const ReplicationMode = z
  .enum(['Async', 'Sync', 'SnapshotsOnly'])
  .describe('Element replication mode: Async, Sync or SnapshotsOnly.');
export type ReplicationMode = z.infer<typeof ReplicationMode>;

export const DeletionPolicy = z
  .enum(['Delete', 'Orphan'])
  .describe('What deleting this resource does on Element: Delete removes the pair on both clusters; Orphan leaves Element untouched.');
export type DeletionPolicy = z.infer<typeof DeletionPolicy>;

export const ManagementPolicy = z
  .enum(['Manage', 'Observe'])
  .describe('Manage creates, converges and deletes on Element; Observe only adopts and reports (drift shows in the UpToDate condition) and never calls a mutating Element method.');
export type ManagementPolicy = z.infer<typeof ManagementPolicy>;

export const PrimarySide = z
  .enum(['A', 'B'])
  .describe('The side whose volume is readWrite (the replication source); the other side is the replicationTarget.');
export type PrimarySide = z.infer<typeof PrimarySide>;

export const TargetPolicy = z
  .enum(['RequireUnused', 'Overwrite'])
  .describe('RequireUnused: only a volume that was never accessed, or is already a replicationTarget, becomes the target. Overwrite: any unpaired volume large enough may become the target (its data is overwritten).');
export type TargetPolicy = z.infer<typeof TargetPolicy>;

export const TargetSizePolicy = z
  .enum(['Grow', 'Manual'])
  .describe('Grow: when the source volume grows, the operator grows the target to the same size (never shrinks it) and resumes a pair Element paused with PausedVolumeSizeMismatch. Manual: sizes are left to people; a source larger than the target is reported (Degraded, PausedVolumeSizeMismatch).');
export type TargetSizePolicy = z.infer<typeof TargetSizePolicy>;

/** Phase of a write-ahead pairing intent in status. */
export const PairingPhase = z
  .enum(['Starting', 'Completing'])
  .describe('Starting: the Start call may have run; Completing: the key is stored and the Complete call may have run.');
export type PairingPhase = z.infer<typeof PairingPhase>;

/** Kubernetes object name (RFC 1123 subdomain). */
export const ObjectName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);

/** Kubernetes namespace name (RFC 1123 label). */
export const NamespaceName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);

/** Element object IDs (volumes, accounts, pairs) are positive 64-bit integers. */
/** Element IDs are JSON numbers: only safe integers survive a round trip (the CRD says so too). */
export const ElementID = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

/**
 * RFC 3339 timestamp as the API server stores metav1.Time. Offsets are accepted when parsing
 * so that a status written by another client never fails to parse.
 */
export const Timestamp = z.iso.datetime({ offset: true });

/** metav1.Time has second precision: anything finer would be dropped by the API server and look like drift. */
export function kubeTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Only the metadata fields the operator reads; everything else is kept as is. */
export const ObjectMeta = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  finalizers: z.array(z.string()).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;
