// Desired status from a verdict: what was observed (or the previous values where nothing could
// be observed), the intent, and the four conditions with Kubernetes transition-time rules.
import { pairsOf, stateOf } from './analyze.ts';
import type {
  Condition,
  ConditionType,
  ObservedVolume,
  ObservedVolumePair,
  PairingIntent,
  PlannedEvent,
  Side,
  SideStatus,
  VolumePairStatusView,
} from './types.ts';
import type { ConditionSpec, Ctx, Verdict } from './verdict.ts';

function sideStatus(ctx: Ctx, side: Side, volume: ObservedVolume, pair: ObservedVolumePair | undefined): SideStatus {
  const shown = pair ?? pairsOf(volume)[0];
  return {
    volumeID: volume.volumeID,
    volumeName: volume.name,
    access: volume.access,
    clusterPairID: shown?.clusterPairID ?? ctx.input.clusterPair?.clusterPairIDs?.[side],
    replicationState: stateOf(shown),
  };
}

function desiredConditions(verdict: Verdict): Record<ConditionType, ConditionSpec> {
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

export function mergeConditions(
  previous: readonly Condition[] | undefined,
  desired: Record<ConditionType, ConditionSpec>,
  generation: number,
  now: string,
): Condition[] {
  return (Object.keys(desired) as ConditionType[]).map((type) => {
    const want = desired[type];
    const before = previous?.find((c) => c.type === type);
    const lastTransitionTime = before !== undefined && before.status === want.status ? before.lastTransitionTime : now;
    return { type, ...want, observedGeneration: generation, lastTransitionTime };
  });
}

export function buildStatus(ctx: Ctx, verdict: Verdict, intent: PairingIntent | undefined): VolumePairStatusView {
  const prev = ctx.vp.status;
  const now = ctx.input.now;
  const { volumes, pair, sourceSide } = verdict.observation;
  const status: VolumePairStatusView = { ...prev, observedGeneration: ctx.vp.generation, pairing: intent };
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
  status.conditions = mergeConditions(prev.conditions, desiredConditions(verdict), ctx.vp.generation, now);
  return status;
}

/** Warnings when a resource enters Stalled or Degraded (or changes reason there). */
export function transitionEvents(prev: VolumePairStatusView, verdict: Verdict): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const was = (type: ConditionType) => prev.conditions?.find((c) => c.type === type && c.status === 'True');
  if (verdict.stalled && was('Stalled')?.reason !== verdict.stalled.reason) {
    events.push({ type: 'Warning', reason: verdict.stalled.reason, message: verdict.stalled.message });
  }
  if (verdict.degraded && was('Degraded')?.reason !== verdict.degraded.reason) {
    events.push({ type: 'Warning', reason: verdict.degraded.reason, message: verdict.degraded.message });
  }
  return events;
}
