// Request and response shapes of the admin API, shared by the server and SimulatorAdmin.
import { z } from 'zod';
import { VOLUME_ACCESS } from './model.ts';

const Target = { cluster: z.string().min(1).optional(), method: z.string().min(1).optional() };

export const LatencyRequest = z.object({ ...Target, ms: z.number().int().min(0) }).strict();
export type LatencyRequest = z.infer<typeof LatencyRequest>;

export const ErrorRequest = z
  .object({
    ...Target,
    name: z.string().regex(/^x\w+$/, 'an Element error name such as xDBVersionMismatch'),
    message: z.string().optional(),
    count: z.number().int().min(1).optional(),
    rate: z.number().min(0).max(1).optional(),
  })
  .strict();
export type ErrorRequest = z.infer<typeof ErrorRequest>;

export const DropRequest = z.object({ ...Target, count: z.number().int().min(1).optional() }).strict();
export type DropRequest = z.infer<typeof DropRequest>;

export const DownRequest = z.object({ mode: z.enum(['refuse', 'hang']).optional() }).strict();
export type DownRequest = z.infer<typeof DownRequest>;

export const LinkRequest = z.object({ a: z.string().min(1), b: z.string().min(1) }).strict();
export type LinkRequest = z.infer<typeof LinkRequest>;

export const BulkVolumesRequest = z
  .object({
    count: z.number().int().min(1).max(100_000),
    namePrefix: z.string().min(1).max(50).optional(),
    totalSize: z.number().int().min(1).optional(),
    accountID: z.number().int().min(1).optional(),
    access: z.enum(VOLUME_ACCESS).optional(),
    enable512e: z.boolean().optional(),
  })
  .strict();
export type BulkVolumesRequest = z.infer<typeof BulkVolumesRequest>;

export interface ClusterEndpoint {
  name: string;
  mvip: string;
  url: string;
  username: string;
  password: string;
}

export interface ClusterDetails extends ClusterEndpoint {
  uniqueID: string;
  uuid: string;
  elementVersion: string;
  apiVersion: string;
  down: 'refuse' | 'hang' | null;
}

export const AsyncDelayRequest = z.object({ seconds: z.number().min(0).max(10 * 365 * 86400) }).strict();
export type AsyncDelayRequest = z.infer<typeof AsyncDelayRequest>;

/** POST …/volumes/{id}/io */
export interface IoResult {
  lastAccessTime: string;
  /** true when the volume was readWrite and took a write. */
  written: boolean;
  dataVersion: string | null;
}

/** GET …/volumes/{id}/replication */
export interface VolumeReplicationView {
  volumeID: number;
  access: string;
  /** The data the volume holds now (an Active target holds its source's): "CLUSTER/volumeID/n" or null. */
  dataVersion: string | null;
  writeCount: number;
  sessionOpen: boolean;
  sessionsEnded: number;
  /** asyncDelay in seconds, as ListVolumeStats would report it (null: not paired or per switch). */
  asyncDelaySeconds: number | null;
  steadyLagSeconds: number;
}

export interface AccessChangeView {
  seq: number;
  time: string;
  cluster: string;
  volumeID: number;
  from: string;
  to: string;
  sessionsEnded: number;
}
