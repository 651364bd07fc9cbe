// Options, parameters and events of the Element client (client.ts). Types only and no Node
// imports, so pure layers (planners, the observation cache) may import this file.
import type { ReplicationMode, VolumeAccess } from './schema.ts';

/** When several are set, the pin wins, then insecureSkipVerify, then CA verification (the default). */
export interface ElementTlsOptions {
  caPem?: string;
  /** SHA-256 of the server certificate (DER): "AB:CD:…" or plain hex, any case. Replaces CA verification. */
  pinnedSha256?: string;
  /** SNI and verification name, when the certificate does not name the MVIP. */
  serverName?: string;
  insecureSkipVerify?: boolean;
}

export interface ElementTimeouts {
  /** TCP connect + TLS handshake. */
  connectMs?: number;
  /** From sending the request to the response headers: how long Element may take to act. */
  headersMs?: number;
  /** Between body chunks once the response started. */
  bodyMs?: number;
}

export type ElementMethod =
  | 'GetAPI'
  | 'GetClusterInfo'
  | 'GetClusterVersionInfo'
  | 'GetLimits'
  | 'ListAccounts'
  | 'AddAccount'
  | 'CreateVolume'
  | 'ListVolumes'
  | 'ListVolumesForAccount'
  | 'ListVolumeStats'
  | 'ListSyncJobs'
  | 'ModifyVolume'
  | 'StartClusterPairing'
  | 'CompleteClusterPairing'
  | 'ListClusterPairs'
  | 'RemoveClusterPair'
  | 'StartVolumePairing'
  | 'CompleteVolumePairing'
  | 'ListActivePairedVolumes'
  | 'ModifyVolumePair'
  | 'RemoveVolumePair';

/** One value per error class (errors.ts); bounded, so usable as a metric label. */
export type ElementCallOutcome =
  | 'success'
  | 'apiError'
  | 'timeout'
  | 'connectionError'
  | 'tlsError'
  | 'authError'
  | 'versionNotFound'
  | 'protocolError';

/** Reported once per HTTP request (a retried read reports twice; version negotiation reports GetAPI). */
export interface ElementCallEvent {
  method: ElementMethod;
  outcome: ElementCallOutcome;
  durationMs: number;
  /** `error.name`: the Element name (e.g. `xVolumeAlreadyPaired`) or the transport error class. */
  errorName?: string;
}

export interface ElementClientOptions {
  /** "host" or "host:port"; 443 when no port. */
  mvip: string;
  username: string;
  password: string;
  /** e.g. "12.5". When absent, GetAPI's `currentVersion` is used (asked once, then cached). */
  apiVersion?: string;
  tls?: ElementTlsOptions;
  timeouts?: ElementTimeouts;
  /** Concurrent connections to this MVIP (default 4). */
  maxConnections?: number;
  /**
   * Volumes per ListVolumes / ListActivePairedVolumes / ListVolumesForAccount request when the
   * client walks all pages itself (default 10000, ListVolumes' documented default limit).
   */
  pageSize?: number;
  /** Called after every request, for metrics. Exceptions thrown by it are ignored. */
  onCall?: (event: ElementCallEvent) => void;
}

export interface ListAccountsParams {
  startAccountID?: number;
  limit?: number;
}

export interface AddAccountParams {
  username: string;
  initiatorSecret?: string;
  targetSecret?: string;
  attributes?: Record<string, unknown>;
}

export interface CreateVolumeParams {
  name: string;
  accountID: number;
  /** Bytes; Element rounds up to a multiple of 1 MiB. */
  totalSize: number;
  enable512e: boolean;
  qos?: Record<string, unknown>;
  attributes?: Record<string, unknown>;
}

export interface ListVolumesParams {
  startVolumeID?: number;
  limit?: number;
  volumeStatus?: string;
  accounts?: number[];
  /** Beware: `false` returns *all* volumes on real clusters, not the unpaired ones (element-api.md §3.5). */
  isPaired?: boolean;
  /** Unknown IDs are left out of the result (see ElementClient.listVolumes). */
  volumeIDs?: number[];
  volumeName?: string;
  includeVirtualVolumes?: boolean;
}

export interface ModifyVolumeParams {
  volumeID: number;
  access?: VolumeAccess;
  totalSize?: number;
  accountID?: number;
  qos?: Record<string, unknown>;
  attributes?: Record<string, unknown>;
}

export interface ModifyVolumePairParams {
  volumeID: number;
  /** Sent as given, `false` included (resuming needs an explicit false). */
  pausedManual?: boolean;
  mode?: ReplicationMode;
}
