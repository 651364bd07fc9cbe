// Desired status from a decision: what was observed (or the previous values where nothing could
// be observed), the intent, and the four conditions with Kubernetes transition-time rules.
import { reconcilingCondition, setCondition } from '../../api/index.ts';
import type { Condition, ConditionType, VolumePairSideStatus, VolumePairStatus } from '../../api/index.ts';
import { pairsOf, stateOf } from './plan-attribution.ts';
import type { ObservedVolume, ObservedVolumePair, PairingIntent, PlannedEvent, Side } from './plan-types.ts';
import type { ConditionSpec, Facts, Decision } from './plan-decision.ts';

export type VolumePairConditionType = Extract<ConditionType, 'Ready' | 'Stalled' | 'Degraded' | 'UpToDate' | 'Reconciling'>;

function sideStatus(facts: Facts, side: Side, volume: ObservedVolume, pair: ObservedVolumePair | undefined): VolumePairSideStatus {
  const shown = pair ?? pairsOf(volume)[0];
  return {
    volumeID: volume.volumeID,
    volumeName: volume.name,
    accountID: volume.accountID,
    access: volume.access,
    totalSize: volume.totalSize,
    clusterPairID: shown?.clusterPairID ?? facts.input.clusterPair?.clusterPairIDs?.[side],
    replicationState: stateOf(shown),
  };
}

function desiredConditions(decision: Decision): Record<VolumePairConditionType, ConditionSpec> {
  return {
    Ready: decision.ready,
    Stalled: decision.stalled
      ? { status: 'True', ...decision.stalled }
      : { status: 'False', reason: 'NotStalled', message: 'no human action needed' },
    Degraded: decision.degraded
      ? { status: 'True', ...decision.degraded }
      : { status: 'False', reason: 'NotDegraded', message: 'no unrequested replication fault' },
    UpToDate: decision.upToDate,
    // kstatus: from Ready through READY_REASON_KSTATUS (Pairing, Syncing → True; stalled, degraded, done → False).
    Reconciling: reconcilingCondition('VolumePair', decision.ready),
  };
}

/** Sets the given conditions with metav1 transition rules (lastTransitionTime moves on status changes only). */
export function withConditions(
  previous: readonly Condition[] | undefined,
  desired: Partial<Record<VolumePairConditionType, ConditionSpec>>,
  generation: number | undefined,
  now: string,
): Condition[] {
  let list: Condition[] = [...(previous ?? [])];
  for (const [type, spec] of Object.entries(desired) as [VolumePairConditionType, ConditionSpec][]) {
    list = setCondition(list, { type, ...spec }, generation, new Date(now));
  }
  return list;
}

export function buildStatus(facts: Facts, decision: Decision, intent: PairingIntent | undefined): VolumePairStatus {
  const prev = facts.vp.status;
  const now = facts.input.now;
  const { volumes, pair, sourceSide } = decision.observation;
  const status: VolumePairStatus = { ...prev, observedGeneration: facts.vp.generation, pairing: intent, incident: decision.incident };
  if (decision.switchover !== undefined) status.switchover = decision.switchover ?? undefined;
  if (decision.primarySide !== undefined) status.primarySide = decision.primarySide;
  if (volumes !== undefined && sourceSide !== undefined) {
    status.sideA = sideStatus(facts, 'A', volumes.A, pair?.A);
    status.sideB = sideStatus(facts, 'B', volumes.B, pair?.B);
    const sourcePair = pair?.[sourceSide] ?? pairsOf(volumes[sourceSide])[0];
    status.volumePairUUID = pair?.uuid;
    status.mode = pair !== undefined ? (sourcePair?.remoteReplication?.mode ?? undefined) : undefined;
    status.replicationState = stateOf(sourcePair);
    status.snapshotReplicationState = sourcePair?.remoteReplication?.snapshotReplication?.state ?? undefined;
  }
  if (status.replicationState !== prev.replicationState || status.replicationStateSince === undefined) {
    status.replicationStateSince = status.replicationState === undefined ? undefined : now;
  }
  status.conditions = withConditions(prev.conditions, desiredConditions(decision), facts.vp.generation, now);
  return status;
}

/** Warnings when a resource enters Stalled or Degraded (or changes reason there). */
export function transitionEvents(prev: VolumePairStatus, decision: Decision): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const was = (type: VolumePairConditionType) => prev.conditions?.find((c) => c.type === type && c.status === 'True');
  if (decision.stalled && was('Stalled')?.reason !== decision.stalled.reason) {
    events.push({ type: 'Warning', reason: decision.stalled.reason, message: decision.stalled.message });
  }
  if (decision.degraded && was('Degraded')?.reason !== decision.degraded.reason) {
    events.push({ type: 'Warning', reason: decision.degraded.reason, message: decision.degraded.message });
  }
  return events;
}
