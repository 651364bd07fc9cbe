// Status pieces of a ClusterPair: per-side details, the worse connection status, and the four
// conditions, each recomputed from the current observation (never left over from a phase).
import { CONNECTION_STATUS_ORDER as CONNECTION_STATUSES, reconcilingCondition, setCondition } from '../../api/index.ts';
import type { ClusterPairStatus, Condition, ConditionReason } from '../../api/index.ts';
import type {
  ConnectionStatus,
  DesiredCondition,
  DesiredStatus,
  StoredStatus,
  ObservedClusterPair,
  SideStatus,
} from './plan-types.ts';
import { ClusterPairState } from '../../element/states.ts';

export function sideStatus(pair: ObservedClusterPair): SideStatus {
  const side: SideStatus = { clusterPairID: pair.clusterPairID, status: pair.status };
  // Pending pairs report empty strings and 0 for the remote (element-api §2.2): leave them out.
  if (pair.status !== ClusterPairState.Unconfigured && pair.latency !== undefined) side.latencyMs = pair.latency;
  if (pair.clusterName) side.remoteClusterName = pair.clusterName;
  if (pair.mvip) side.remoteMVIP = pair.mvip;
  if (pair.version) side.remoteVersion = pair.version;
  return side;
}

export function toConnectionStatus(status: string | undefined): ConnectionStatus {
  return (CONNECTION_STATUSES as readonly string[]).includes(status ?? '')
    ? (status as ConnectionStatus)
    : 'Unknown';
}

/** The worse of the statuses, in the order Connected < Connecting < … < Unknown. */
export function worseConnection(...statuses: ConnectionStatus[]): ConnectionStatus {
  return statuses.reduce(
    (worst, s) => (CONNECTION_STATUSES.indexOf(s) > CONNECTION_STATUSES.indexOf(worst) ? s : worst),
    'Connected' as ConnectionStatus,
  );
}

type Status = DesiredCondition['status'];
const condition = (type: DesiredCondition['type'], status: Status, reason: ConditionReason, message: string): DesiredCondition => ({
  type,
  status,
  reason,
  message,
});

export interface ConditionSet {
  ready: DesiredCondition;
  stalled: DesiredCondition;
  degraded: DesiredCondition;
  upToDate: DesiredCondition;
}

export function ready(message: string): DesiredCondition {
  return condition('Ready', 'True', 'Paired', message);
}
export function notReady(reason: ConditionReason, message: string, status: Status = 'False'): DesiredCondition {
  return condition('Ready', status, reason, message);
}
export function stalled(reason: ConditionReason, message: string): DesiredCondition {
  return condition('Stalled', 'True', reason, message);
}
export const notStalled = (): DesiredCondition => condition('Stalled', 'False', 'NotStalled', 'nothing needs a human');
export function degraded(reason: ConditionReason, message: string): DesiredCondition {
  return condition('Degraded', 'True', reason, message);
}
export const notDegraded = (): DesiredCondition => condition('Degraded', 'False', 'NotDegraded', 'no degradation observed');
export function drifted(message: string): DesiredCondition {
  return condition('UpToDate', 'False', 'Drifted', message);
}
export const upToDate = (): DesiredCondition => condition('UpToDate', 'True', 'InSync', 'Element matches the spec');
export function upToDateUnknown(reason: ConditionReason, message: string): DesiredCondition {
  return condition('UpToDate', 'Unknown', reason, message);
}

/**
 * Defaults fill what a branch does not decide; the order is the printed order. A Disconnected pair
 * is Degraded (unless a branch names a more specific degradation); Reconciling follows from Ready
 * (READY_REASON_KSTATUS) and comes last, where it also lands on objects written before it existed.
 */
export function conditionList(partial: Partial<ConditionSet> & Pick<ConditionSet, 'ready'>): DesiredCondition[] {
  const disconnected = partial.ready.reason === 'Disconnected' ? degraded('Disconnected', partial.ready.message) : undefined;
  return [
    partial.ready,
    partial.stalled ?? notStalled(),
    partial.degraded ?? disconnected ?? notDegraded(),
    partial.upToDate ?? upToDate(),
    reconcilingCondition('ClusterPair', partial.ready),
  ];
}

/** Ready for a pair present on both sides, from its worse connection status. */
export function connectionConditions(connection: ConnectionStatus): Pick<ConditionSet, 'ready'> {
  if (connection === 'Connected') return { ready: ready('both clusters list the pair as Connected') };
  if (connection === 'Connecting' || connection === 'Unconfigured') {
    return { ready: notReady('Connecting', `the pair is ${connection}`) };
  }
  return { ready: notReady('Disconnected', `the pair is ${connection} on at least one side`) };
}

/** The full status to store: desired fields plus the condition list with preserved transition times. */
export function nextStatus(current: Pick<ClusterPairStatus, 'conditions'> | { conditions?: readonly unknown[] } | undefined, desired: DesiredStatus, now: Date): StoredStatus {
  let conditions = (current?.conditions ?? []) as Condition[];
  for (const condition of desired.conditions) {
    conditions = setCondition(conditions, condition, desired.observedGeneration, now);
  }
  const { conditions: _desired, ...fields } = desired;
  return { ...fields, conditions };
}
