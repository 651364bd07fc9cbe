// The planner's working result and the pieces every branch shares. Internal to the planner.
import { isAnnotationTrue } from '../../api/index.ts';
import { matchPair } from './plan-match.ts';
import type { PairMatch } from './plan-match.ts';
import { conditionList, sideStatus, toConnectionStatus, worseConnection } from './plan-status.ts';
import type {
  ClusterPairPlanInput,
  ConnectionStatus,
  DesiredCondition,
  ObservedClusterPair,
  PairingIntent,
  PlannedEvent,
  Requeue,
  DesiredStatus,
  Step,
} from './plan-types.ts';
import type { ConditionSet } from './plan-status.ts';
import { EventReason } from '../../api/event-reasons.ts';

/** The status minus conditions and observedGeneration: what a branch decides to record. */
export type StatusFields = Omit<DesiredStatus, 'observedGeneration' | 'conditions'>;

export interface Decision {
  step: Step;
  fields: StatusFields;
  conditions: DesiredCondition[];
  /** Tied to what the status records (Adopted, Paired): kept when the step is replaced. */
  statusEvents: PlannedEvent[];
  /** Tied to the step (PendingPairRemoved, Repaired, ForceDeleted): emitted only after it ran. */
  stepEvents: PlannedEvent[];
  /** Overrides the default requeue (immediate after a step, soon while transitional, else poll). */
  requeue?: Requeue;
}

export const NONE: Step = { kind: 'none' };

export function decision(
  step: Step,
  fields: StatusFields,
  conditions: Partial<ConditionSet> & Pick<ConditionSet, 'ready'>,
  extra: Partial<Pick<Decision, 'statusEvents' | 'stepEvents' | 'requeue'>> = {},
): Decision {
  return {
    step,
    fields,
    conditions: conditionList(conditions),
    statusEvents: extra.statusEvents ?? [],
    stepEvents: extra.stepEvents ?? [],
    ...(extra.requeue === undefined ? {} : { requeue: extra.requeue }),
  };
}

export function annotationTrue(input: ClusterPairPlanInput, name: string): boolean {
  return isAnnotationTrue(input.pair, name);
}

/** UUIDs this ClusterPair has recorded: status first, then the key Secret of a pairing in flight. */
export function knownUUIDs(input: ClusterPairPlanInput): string[] {
  const uuids = [input.pair.status.clusterPairUUID, input.keySecret?.clusterPairUUID];
  return [...new Set(uuids.filter((u): u is string => typeof u === 'string' && u !== ''))];
}

export function listed(input: ClusterPairPlanInput): { A: ObservedClusterPair[]; B: ObservedClusterPair[] } | undefined {
  if (!input.pairsOnA.available || !input.pairsOnB.available) return undefined;
  return { A: input.pairsOnA.items, B: input.pairsOnB.items };
}

export function match(input: ClusterPairPlanInput, adopt: boolean): PairMatch | undefined {
  const pairs = listed(input);
  if (!pairs) return undefined;
  return matchPair(knownUUIDs(input), pairs.A, pairs.B, input.clusterA, input.clusterB, { adopt });
}

/** Status fields for a matched pair; a missing half counts as Misconfigured (the pair is broken). */
export function matchedFields(m: PairMatch, pairing: PairingIntent | undefined): StatusFields {
  const halves = [m.a, m.b].map((h) => (h ? toConnectionStatus(h.status) : 'Misconfigured'));
  return {
    clusterPairUUID: m.uuid,
    ...(m.a ? { sideA: sideStatus(m.a) } : {}),
    ...(m.b ? { sideB: sideStatus(m.b) } : {}),
    connectionStatus: worseConnection(...halves),
    ...(pairing ? { pairing } : {}),
  };
}

/** What the status said before: kept when nothing new could be observed. */
export function previousFields(input: ClusterPairPlanInput, connectionStatus?: ConnectionStatus): StatusFields {
  const s = input.pair.status;
  return {
    ...(s.clusterPairUUID ? { clusterPairUUID: s.clusterPairUUID } : {}),
    ...(s.sideA ? { sideA: s.sideA } : {}),
    ...(s.sideB ? { sideB: s.sideB } : {}),
    ...(connectionStatus ?? s.connectionStatus ? { connectionStatus: connectionStatus ?? s.connectionStatus } : {}),
    ...(s.pairing ? { pairing: s.pairing } : {}),
    ...(s.incident ? { incident: s.incident } : {}),
  };
}

export function describeCluster(side: 'A' | 'B', input: ClusterPairPlanInput): string {
  return `${side} (${side === 'A' ? input.clusterA.name : input.clusterB.name})`;
}

/** Lists in messages stay short: the first few, then a count. */
export function listForMessage(items: string[], max = 10): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

export function pendingRemovedEvent(clusterPairID: number, why: string, side = 'A'): PlannedEvent {
  return { type: 'Normal', reason: EventReason.PendingPairRemoved, message: `removed pending cluster pair ${clusterPairID} on ${side} (${why})` };
}
