// Desired status from a verdict: what was observed (or the previous values where nothing could
// be observed), the intent, and the four conditions with Kubernetes transition-time rules.
import { setCondition } from '../../api/index.ts';
import type { Condition, ConditionType, VolumePairSideStatus, VolumePairStatus } from '../../api/index.ts';
import { pairsOf, stateOf } from './analyze.ts';
import type { ObservedVolume, ObservedVolumePair, PairingIntent, PlannedEvent, Side } from './types.ts';
import type { ConditionSpec, Ctx, Verdict } from './verdict.ts';

export type VolumePairConditionType = Extract<ConditionType, 'Ready' | 'Stalled' | 'Degraded' | 'UpToDate'>;

function sideStatus(ctx: Ctx, side: Side, volume: ObservedVolume, pair: ObservedVolumePair | undefined): VolumePairSideStatus {
  const shown = pair ?? pairsOf(volume)[0];
  return {
    volumeID: volume.volumeID,
    volumeName: volume.name,
    accountID: volume.accountID,
    access: volume.access,
    clusterPairID: shown?.clusterPairID ?? ctx.input.clusterPair?.clusterPairIDs?.[side],
    replicationState: stateOf(shown),
  };
}

function desiredConditions(verdict: Verdict): Record<VolumePairConditionType, ConditionSpec> {
  return {
    Ready: verdict.ready,
    Stalled: verdict.stalled
      ? { status: 'True', ...verdict.stalled }
      : { status: 'False', reason: 'NotStalled', message: 'no human action needed' },
    Degraded: verdict.degraded
      ? { status: 'True', ...verdict.degraded }
      : { status: 'False', reason: 'NotDegraded', message: 'no unrequested replication fault' },
    UpToDate: verdict.upToDate,
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

export function buildStatus(ctx: Ctx, verdict: Verdict, intent: PairingIntent | undefined): VolumePairStatus {
  const prev = ctx.vp.status;
  const now = ctx.input.now;
  const { volumes, pair, sourceSide } = verdict.observation;
  const status: VolumePairStatus = { ...prev, observedGeneration: ctx.vp.generation, pairing: intent };
  if (volumes !== undefined && sourceSide !== undefined) {
    status.sideA = sideStatus(ctx, 'A', volumes.A, pair?.A);
    status.sideB = sideStatus(ctx, 'B', volumes.B, pair?.B);
    const sourcePair = pair?.[sourceSide] ?? pairsOf(volumes[sourceSide])[0];
    status.volumePairUUID = pair?.uuid;
    status.mode = pair !== undefined ? (sourcePair?.remoteReplication?.mode ?? undefined) : undefined;
    status.replicationState = stateOf(sourcePair);
    status.snapshotReplicationState = sourcePair?.remoteReplication?.snapshotReplication?.state ?? undefined;
  }
  if (status.replicationState !== prev.replicationState || status.replicationStateSince === undefined) {
    status.replicationStateSince = status.replicationState === undefined ? undefined : now;
  }
  status.conditions = withConditions(prev.conditions, desiredConditions(verdict), ctx.vp.generation, now);
  return status;
}

/** Warnings when a resource enters Stalled or Degraded (or changes reason there). */
export function transitionEvents(prev: VolumePairStatus, verdict: Verdict): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const was = (type: VolumePairConditionType) => prev.conditions?.find((c) => c.type === type && c.status === 'True');
  if (verdict.stalled && was('Stalled')?.reason !== verdict.stalled.reason) {
    events.push({ type: 'Warning', reason: verdict.stalled.reason, message: verdict.stalled.message });
  }
  if (verdict.degraded && was('Degraded')?.reason !== verdict.degraded.reason) {
    events.push({ type: 'Warning', reason: verdict.degraded.reason, message: verdict.degraded.message });
  }
  return events;
}
