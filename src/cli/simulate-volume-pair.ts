// "What would happen" for one VolumePair (pure): run the operator's planner, apply the step it
// picks to a copy of the observation the way Element and the shell would (the status it wrote, the
// access changed, the pair pending then active, the key Secret stored then deleted), and plan
// again, until it has nothing to do, stalls, waits, or a round limit. Only the first step is
// decided on what Element reports now; the rest is a prediction that assumes every call succeeds.
import type { ObservedVolume, ObservedVolumePair, PlanInput, Side, SideObservation, Step, VolumePairPlan } from '../reconcilers/volume-pair/plan-types.ts';
import { describeVolumePairStep } from './describe-steps.ts';
import type { Described } from './describe-steps.ts';

export const PREDICTED_PAIR_UUID = '(predicted)';
const MAX_ROUNDS = 25;

export interface PlannedCall {
  text: string;
  cluster: string;
  method: string;
  /** False only for the first step: the planner's decision on the live observation. */
  predicted: boolean;
}

export type Outcome =
  | { kind: 'ready'; reason: string; message: string }
  | { kind: 'stalled'; reason: string; message: string }
  | { kind: 'waiting'; reason: string; message: string }
  | { kind: 'deleted' }
  | { kind: 'unsettled'; message: string };

export interface Simulation {
  calls: PlannedCall[];
  kubernetesWrites: string[];
  outcome: Outcome;
  /** The last plan (its status is the predicted status). */
  last: VolumePairPlan;
}

type Condition = { type: string; status: string; reason: string; message?: string };

function conditionOf(plan: VolumePairPlan, type: string): Condition | undefined {
  return (plan.status.conditions as Condition[] | undefined)?.find((c) => c.type === type);
}

function mapVolumes(sides: PlanInput['sides'], side: Side, change: (v: ObservedVolume) => ObservedVolume | undefined): PlanInput['sides'] {
  const observed: SideObservation = sides[side];
  if (!observed.reachable) return sides;
  const candidates = observed.candidates.map((v) => change(v) ?? v);
  return { ...sides, [side]: { reachable: true, candidates } };
}

const other = (side: Side): Side => (side === 'A' ? 'B' : 'A');

function findVolume(input: PlanInput, side: Side, id: number): ObservedVolume | undefined {
  const observed = input.sides[side];
  return observed.reachable ? observed.candidates.find((v) => v.volumeID === id) : undefined;
}

/** The observation after `plan.step` ran and its status was written. */
export function applyStep(input: PlanInput, plan: VolumePairPlan): PlanInput {
  const step: Step = plan.step;
  let next: PlanInput = { ...input, volumePair: { ...input.volumePair, status: plan.status } };
  const ids = input.clusterPair?.clusterPairIDs;
  const withPairs = (side: Side, id: number, pairs: (old: readonly ObservedVolumePair[]) => ObservedVolumePair[]) => {
    next = { ...next, sides: mapVolumes(next.sides, side, (v) => (v.volumeID === id ? { ...v, volumePairs: pairs(v.volumePairs ?? []) } : undefined)) };
  };
  switch (step.kind) {
    case 'addFinalizer':
      next.volumePair = { ...next.volumePair, hasFinalizer: true };
      break;
    case 'deleteKeySecret':
      next.keySecretExists = false;
      break;
    case 'modifyVolumeAccess':
      next = { ...next, sides: mapVolumes(next.sides, step.side, (v) => (v.volumeID === step.volumeID ? { ...v, access: step.access } : undefined)) };
      break;
    case 'growVolume':
      next = { ...next, sides: mapVolumes(next.sides, step.side, (v) => (v.volumeID === step.volumeID ? { ...v, totalSize: step.totalSize } : undefined)) };
      break;
    case 'startVolumePairing':
      withPairs(step.side, step.volumeID, (old) => [
        ...old,
        { clusterPairID: ids?.[step.side] ?? 0, remoteVolumeID: 0, volumePairUUID: PREDICTED_PAIR_UUID, remoteReplication: { mode: step.mode, state: 'Unconfigured' } },
      ]);
      next.keySecretExists = true;
      break;
    case 'completeVolumePairing': {
      const sourceSide = other(step.side);
      const observed = next.sides[sourceSide];
      const source = observed.reachable ? observed.candidates.find((v) => (v.volumePairs ?? []).some((p) => p.remoteReplication?.state === 'Unconfigured')) : undefined;
      if (source === undefined) break;
      const pending = (source.volumePairs ?? []).find((p) => p.remoteReplication?.state === 'Unconfigured');
      const mode = pending?.remoteReplication?.mode ?? input.volumePair.spec.mode;
      const uuid = pending?.volumePairUUID ?? PREDICTED_PAIR_UUID;
      withPairs(sourceSide, source.volumeID, (old) => old.map((p) => (p === pending ? { ...p, remoteVolumeID: step.volumeID, remoteReplication: { mode, state: 'Active' } } : p)));
      withPairs(step.side, step.volumeID, (old) => [
        ...old,
        { clusterPairID: ids?.[step.side] ?? 0, remoteVolumeID: source.volumeID, volumePairUUID: uuid, remoteReplication: { mode, state: 'Active' } },
      ]);
      break;
    }
    case 'removeVolumePair':
      withPairs(step.side, step.volumeID, () => []);
      break;
    case 'modifyVolumePair': {
      const change = step.change;
      const apply = (p: ObservedVolumePair): ObservedVolumePair => {
        const rr = p.remoteReplication ?? {};
        if ('mode' in change) return { ...p, remoteReplication: { ...rr, mode: change.mode } };
        return { ...p, remoteReplication: { ...rr, state: change.pausedManual ? 'PausedManual' : 'Active' } };
      };
      withPairs(step.side, step.volumeID, (old) => old.map(apply));
      if ('mode' in change) {
        const remote = findVolume(next, step.side, step.volumeID)?.volumePairs?.[0]?.remoteVolumeID;
        if (remote !== undefined) withPairs(other(step.side), remote, (old) => old.map(apply));
      }
      break;
    }
    default:
      break; // status-only steps: the status written above is the whole effect
  }
  return next;
}

function outcomeOf(plan: VolumePairPlan): Outcome | undefined {
  const stalled = conditionOf(plan, 'Stalled');
  if (stalled?.status === 'True') return { kind: 'stalled', reason: stalled.reason, message: stalled.message ?? '' };
  if (plan.step.kind !== 'none') return undefined;
  const ready = conditionOf(plan, 'Ready');
  if (ready?.status === 'True') return { kind: 'ready', reason: ready.reason, message: ready.message ?? '' };
  return { kind: 'waiting', reason: ready?.reason ?? 'Unknown', message: ready?.message ?? '' };
}

export function simulateVolumePair(
  input: PlanInput,
  planner: (input: PlanInput) => VolumePairPlan,
  names: { A: string; B: string },
): Simulation {
  const calls: PlannedCall[] = [];
  const kubernetesWrites: string[] = [];
  let current = input;
  let last = planner(current);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const described: Described = describeVolumePairStep(last.step, names, (side, id) => findVolume(current, side, id));
    if (described.kind === 'element') calls.push({ text: described.text, cluster: described.cluster, method: described.method, predicted: round > 0 });
    else if (described.kind === 'kubernetes') kubernetesWrites.push(described.text);
    const outcome = outcomeOf(last);
    if (outcome !== undefined) return { calls, kubernetesWrites, outcome, last };
    if (last.step.kind === 'dropFinalizer') return { calls, kubernetesWrites, outcome: { kind: 'deleted' }, last };
    current = applyStep(current, last);
    last = planner(current);
  }
  return { calls, kubernetesWrites, outcome: { kind: 'unsettled', message: `no settled state within ${MAX_ROUNDS} predicted steps` }, last };
}
