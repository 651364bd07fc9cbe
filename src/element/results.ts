// The `result` member of each method the client calls. Lists are required members: reading a
// missing `volumes` as "no volumes" would make the operator re-pair what already exists, so a
// response without them is a protocol error, not an empty list.
import { z } from 'zod';
import { Account, ApiInfo, ClusterInfo, ClusterVersionInfo, Limits, PairedCluster, SyncJob, Volume, VolumeStats } from './schema.ts';

export const GetApiResult = ApiInfo;

export const GetClusterInfoResult = z.object({ clusterInfo: ClusterInfo });

export const GetClusterVersionInfoResult = ClusterVersionInfo;

export const GetLimitsResult = Limits;

export const ListAccountsResult = z.object({ accounts: z.array(Account) });

/** `account` is returned by newer releases only; `accountID` always. */
export const AddAccountResult = z.object({ accountID: z.number().int(), account: Account.optional() });
export type AddAccountResult = z.infer<typeof AddAccountResult>;

export const CreateVolumeResult = z.object({ volumeID: z.number().int(), volume: Volume.optional() });
export type CreateVolumeResult = z.infer<typeof CreateVolumeResult>;

export const ListVolumesResult = z.object({ volumes: z.array(Volume) });

export const ModifyVolumeResult = z.object({ volume: Volume.optional() });

export const StartClusterPairingResult = z.object({
  clusterPairID: z.number().int(),
  clusterPairingKey: z.string().min(1),
});
export type StartClusterPairingResult = z.infer<typeof StartClusterPairingResult>;

/** The completing cluster's own local clusterPairID. */
export const CompleteClusterPairingResult = z.object({ clusterPairID: z.number().int() });
export type CompleteClusterPairingResult = z.infer<typeof CompleteClusterPairingResult>;

export const ListClusterPairsResult = z.object({ clusterPairs: z.array(PairedCluster) });

export const StartVolumePairingResult = z.object({ volumePairingKey: z.string().min(1) });
export type StartVolumePairingResult = z.infer<typeof StartVolumePairingResult>;

export const ListActivePairedVolumesResult = z.object({ volumes: z.array(Volume) });

export const ListVolumeStatsResult = z.object({ volumeStats: z.array(VolumeStats) });

export const ListSyncJobsResult = z.object({ syncJobs: z.array(SyncJob) });

/** CompleteVolumePairing, ModifyVolumePair, RemoveVolumePair, RemoveClusterPair return `{}`. */
export const EmptyResult = z.object({});
