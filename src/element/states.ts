// Names of Element states and access modes the planners compare against (element-api.md §2.5,
// §3). Pure constants: planners import them without pulling in the client.

/** `remoteReplication.state` of a volume pair half. */
export const ReplicationState = {
  Active: 'Active',
  Idle: 'Idle',
  /** A pending pair: StartVolumePairing ran, CompleteVolumePairing not yet. */
  Unconfigured: 'Unconfigured',
  PausedManual: 'PausedManual',
  PausedManualRemote: 'PausedManualRemote',
  PausedDisconnected: 'PausedDisconnected',
  PausedMisconfigured: 'PausedMisconfigured',
  PausedVolumeSizeMismatch: 'PausedVolumeSizeMismatch',
  StoppedMisconfigured: 'StoppedMisconfigured',
  Unknown: 'Unknown',
} as const;
export type ReplicationStateName = (typeof ReplicationState)[keyof typeof ReplicationState];

/** `access` of a volume. */
export const VolumeAccessMode = {
  ReadWrite: 'readWrite',
  ReadOnly: 'readOnly',
  Locked: 'locked',
  ReplicationTarget: 'replicationTarget',
  SnapMirrorTarget: 'snapMirrorTarget',
} as const;

/** `status` of a cluster pair (ListClusterPairs). */
export const ClusterPairState = {
  Connected: 'Connected',
  Connecting: 'Connecting',
  Unconfigured: 'Unconfigured',
  Misconfigured: 'Misconfigured',
  Disconnected: 'Disconnected',
} as const;
