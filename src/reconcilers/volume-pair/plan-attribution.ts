// Steps 4 and 6 (attribution): what the volume pairs listed on our two volumes mean for us.
// Only pairs that provably belong to this VolumePair are ever removed without a human: a pending
// pair on a volume we started pairing (intent + volume ID), or a half that links exactly our two
// volumes on this ClusterPair's clusterPairID. Everything else is reported, never touched,
// unless the VolumePair carries the approval annotation naming the pair's UUID.
import type { ObservedVolume, ObservedVolumePair, PairingIntent, RemoveWhy, Side } from './plan-types.ts';
import { ReplicationState } from '../../element/states.ts';

export const PENDING_STATE = ReplicationState.Unconfigured;

export interface Roles {
  source: ObservedVolume;
  target: ObservedVolume;
  sourceSide: Side;
  targetSide: Side;
}

export interface AttributionRules {
  /** This ClusterPair's local clusterPairIDs, when known. */
  clusterPairIDs: { A: number; B: number } | undefined;
  intent: PairingIntent | undefined;
  /** The remove-pending-pair annotation names the incident recorded for this volume (`<side>:<volumeID>:<token>`). */
  approved(side: Side, volumeID: number): boolean;
  allowRepair: boolean;
}

export type PairAnalysis =
  | { kind: 'exact'; uuid: string; sourcePair: ObservedVolumePair; targetPair: ObservedVolumePair }
  | { kind: 'clean' }
  | { kind: 'ownPending'; pair: ObservedVolumePair }
  | { kind: 'settling'; message: string }
  | { kind: 'unattributable'; message: string }
  | { kind: 'remove'; side: Side; volumeID: number; uuid: string | undefined; why: RemoveWhy; message: string }
  | { kind: 'blocked'; reason: 'VolumeAlreadyPaired' | 'UnexplainedPendingPair'; message: string; side: Side; volumeID: number };

export function pairsOf(volume: ObservedVolume): readonly ObservedVolumePair[] {
  return volume.volumePairs ?? [];
}

export function stateOf(pair: ObservedVolumePair | undefined): string | undefined {
  return pair?.remoteReplication?.state ?? undefined;
}

function isPending(pair: ObservedVolumePair): boolean {
  return stateOf(pair) === PENDING_STATE;
}

function links(pair: ObservedVolumePair, remote: ObservedVolume, clusterPairID: number): boolean {
  return pair.remoteVolumeID === remote.volumeID && pair.clusterPairID === clusterPairID;
}

type Judgement =
  | { kind: 'keep' }
  | { kind: 'remove'; why: RemoveWhy; message: string }
  | { kind: 'blocked'; reason: 'VolumeAlreadyPaired' | 'UnexplainedPendingPair'; message: string };

function judge(
  pair: ObservedVolumePair,
  volume: ObservedVolume,
  other: ObservedVolume,
  side: Side,
  isSource: boolean,
  rules: AttributionRules,
): Judgement {
  const where = `volume ${volume.volumeID} (side ${side})`;
  const uuid = pair.volumePairUUID;
  const approved = rules.approved(side, volume.volumeID);
  const name = uuid ?? '(no UUID)';
  if (isPending(pair)) {
    // Volume IDs are per cluster and often equal across sites: the intent names a side too.
    if (rules.intent?.sourceVolumeID === volume.volumeID && rules.intent.sourceSide === side) {
      // Ours by the write-ahead intent. On the source it is the pairing in progress; on the
      // target it is left over from before primarySide changed.
      if (isSource) return { kind: 'keep' };
      return { kind: 'remove', why: 'ownPending', message: `${where} holds a pending pair this VolumePair started` };
    }
    if (approved) return { kind: 'remove', why: 'approved', message: `${where}: removing approved pending pair ${name}` };
    return {
      kind: 'blocked',
      reason: 'UnexplainedPendingPair',
      message: `${where} has a pending volume pair ${name} that this VolumePair did not start`,
    };
  }
  const state = stateOf(pair) ?? 'unknown';
  const linked = pair.remoteVolumeID === other.volumeID;
  const ownID = rules.clusterPairIDs?.[side];
  if (linked && ownID !== undefined && pair.clusterPairID === ownID) {
    return {
      kind: 'remove',
      why: 'leftover',
      message: `${where} holds a one-sided pair ${name} with volume ${other.volumeID} (state ${state})`,
    };
  }
  if (linked && rules.allowRepair) {
    return {
      kind: 'remove',
      why: 'repair',
      message: `${where} holds pair ${name} with volume ${other.volumeID} on replaced clusterPairID ${pair.clusterPairID}`,
    };
  }
  if (approved && (linked || state === ReplicationState.StoppedMisconfigured)) {
    return { kind: 'remove', why: 'approved', message: `${where}: removing approved leftover pair ${name}` };
  }
  if (linked) {
    return {
      kind: 'blocked',
      reason: 'UnexplainedPendingPair',
      message: `${where} has pair ${name} with volume ${other.volumeID} on clusterPairID ${pair.clusterPairID}, not this ClusterPair's ${ownID ?? '(unknown)'}`,
    };
  }
  if (state === ReplicationState.StoppedMisconfigured) {
    return {
      kind: 'blocked',
      reason: 'UnexplainedPendingPair',
      message: `${where} has a stopped pair ${name} with remote volume ${pair.remoteVolumeID}`,
    };
  }
  return {
    kind: 'blocked',
    reason: 'VolumeAlreadyPaired',
    message: `${where} is already paired with remote volume ${pair.remoteVolumeID} (pair ${name}, state ${state})`,
  };
}

export function analyzePairs(roles: Roles, rules: AttributionRules): PairAnalysis {
  const { source, target, sourceSide, targetSide } = roles;
  const sp = pairsOf(source);
  const tp = pairsOf(target);
  if (sp.length === 0 && tp.length === 0) return { kind: 'clean' };
  const ids = rules.clusterPairIDs;
  const s0 = sp[0];
  const t0 = tp[0];
  if (
    ids !== undefined && s0 !== undefined && t0 !== undefined && sp.length === 1 && tp.length === 1 &&
    links(s0, target, ids[sourceSide]) && links(t0, source, ids[targetSide]) &&
    s0.volumePairUUID !== undefined && s0.volumePairUUID === t0.volumePairUUID && !isPending(s0) && !isPending(t0)
  ) {
    return { kind: 'exact', uuid: s0.volumePairUUID, sourcePair: s0, targetPair: t0 };
  }
  // A completion seen half-way (one list older than the other): never act on it, look again.
  const tUUIDs = new Set(tp.flatMap((p) => (p.volumePairUUID === undefined ? [] : [p.volumePairUUID])));
  if (sp.some((p) => p.volumePairUUID !== undefined && tUUIDs.has(p.volumePairUUID)) && [...sp, ...tp].some(isPending)) {
    return { kind: 'settling', message: 'the two clusters show the same pair in different stages' };
  }
  if (ids === undefined && [...sp, ...tp].some((p) => !isPending(p))) {
    return { kind: 'unattributable', message: "the ClusterPair's clusterPairIDs are not known yet" };
  }
  const judgements = [
    ...sp.map((p) => ({ side: sourceSide, volume: source, pair: p, v: judge(p, source, target, sourceSide, true, rules) })),
    ...tp.map((p) => ({ side: targetSide, volume: target, pair: p, v: judge(p, target, source, targetSide, false, rules) })),
  ];
  for (const { side, volume, v } of judgements) {
    if (v.kind === 'blocked') return { ...v, side, volumeID: volume.volumeID };
  }
  for (const { side, volume, pair, v } of judgements) {
    if (v.kind === 'remove') {
      return { kind: 'remove', side, volumeID: volume.volumeID, uuid: pair.volumePairUUID, why: v.why, message: v.message };
    }
  }
  const pending = sp.find(isPending);
  return pending === undefined ? { kind: 'clean' } : { kind: 'ownPending', pair: pending };
}
