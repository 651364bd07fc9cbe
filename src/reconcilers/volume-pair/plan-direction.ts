// Direction of an established pair (DESIGN §8): planned switchover, forced failover and gated
// resync. Element has no failover method: the readWrite volume is the source, the
// replicationTarget one the target. A switchover starts when spec.primarySide differs from the
// recorded status.primarySide while Element still shows the recorded direction; it demotes the old
// primary, then promotes the new one (never two writers), one step per reconcile, each preceded by
// the intent in status.switchover. Two writable volumes wait for an approval naming the incident.
import { APPROVE_RESYNC_ANNOTATION, EventReason } from '../../api/index.ts';
import type { VolumePairSwitchover } from '../../api/index.ts';
import { ReplicationState, VolumeAccessMode } from '../../element/states.ts';
import { otherSide } from '../sides.ts';
import { stateOf } from './plan-attribution.ts';
import type { ConditionSpec, Decision, Facts, Observation } from './plan-decision.ts';
import { NONE, stalledDecision } from './plan-decision.ts';
import { wholeMiB } from './plan-growth.ts';
import { approvalHint, approvedBy, incidentFor } from './plan-incidents.ts';
import type { ObservedVolume, ObservedVolumePair, PlannedEvent, Side, Step } from './plan-types.ts';

/** What the accesses say: the writable side, or a shape with no single writer. */
export type Direction = Side | 'bothTargets' | 'bothWritable' | 'other';

export function directionOf(volumes: { A: ObservedVolume; B: ObservedVolume }): Direction {
  const rw = (v: ObservedVolume) => v.access === VolumeAccessMode.ReadWrite;
  const rt = (v: ObservedVolume) => v.access === VolumeAccessMode.ReplicationTarget;
  if (rw(volumes.A) && rt(volumes.B)) return 'A';
  if (rw(volumes.B) && rt(volumes.A)) return 'B';
  if (rt(volumes.A) && rt(volumes.B)) return 'bothTargets';
  if (rw(volumes.A) && rw(volumes.B)) return 'bothWritable';
  return 'other';
}

export interface PairView {
  uuid: string;
  volumes: { A: ObservedVolume; B: ObservedVolume };
  halves: { A: ObservedVolumePair; B: ObservedVolumePair };
}

/** Either the direction needs this decision, or it agrees with the spec and convergence goes on. */
export type DirectionPlan =
  | { kind: 'decided'; decision: Decision }
  | { kind: 'converge'; primarySide: Side; switchover: VolumePairSwitchover | null | undefined; events: PlannedEvent[] };

const describe = (side: Side, v: ObservedVolume) => `volume ${v.volumeID} (side ${side})`;

function observationOf(pair: PairView, sourceSide: Side): Observation {
  return { volumes: pair.volumes, sourceSide, pair: { uuid: pair.uuid, A: pair.halves.A, B: pair.halves.B } };
}

function switching(facts: Facts, pair: PairView, sourceSide: Side, step: Step, message: string, extra: Partial<Decision> = {}): Decision {
  return {
    step,
    ready: { status: 'False', reason: 'Switching', message },
    upToDate: { status: 'False', reason: 'Drifted', message },
    statusEvents: [],
    requeue: step.kind === 'none' ? 'soon' : 'immediate',
    intent: facts.intent,
    observation: observationOf(pair, sourceSide),
    ...extra,
  };
}

function reported(facts: Facts, pair: PairView, sourceSide: Side, message: string): Decision {
  const drifted: ConditionSpec = { status: 'False', reason: 'Drifted', message };
  return {
    step: NONE,
    ready: { status: 'False', reason: 'Degraded', message },
    degraded: { reason: 'DirectionMismatch', message },
    upToDate: drifted,
    statusEvents: [],
    requeue: 'poll',
    intent: facts.intent,
    observation: observationOf(pair, sourceSide),
  };
}

const PAUSES: ReadonlySet<string> = new Set([ReplicationState.PausedManual, ReplicationState.PausedManualRemote]);

/**
 * Why a planned switchover from `from` to `to` must wait (undefined: it may go on), or the step
 * that removes the obstacle (growing the new target).
 */
function plannedObstacle(facts: Facts, pair: PairView, from: Side, to: Side): { wait: string } | { grow: Step; message: string } | undefined {
  const states = { A: stateOf(pair.halves.A), B: stateOf(pair.halves.B) };
  const paused = (['A', 'B'] as const).filter((s) => PAUSES.has(states[s] ?? ''));
  if (facts.spec.paused || paused.length > 0) return { wait: 'replication is paused: set spec.paused: false first (a paused pair cannot hand over its last writes)' };
  const notActive = (['A', 'B'] as const).filter((s) => states[s] !== ReplicationState.Active);
  if (notActive.length > 0) return { wait: `replication is not Active (${notActive.map((s) => `side ${s}: ${states[s] ?? 'unknown'}`).join(', ')})` };
  const mode = pair.halves[from].remoteReplication?.mode ?? facts.spec.mode;
  if (mode.toLowerCase() === 'async') {
    const lag = facts.input.replication?.asyncDelaySeconds;
    if (lag === undefined) return { wait: `the lag of ${describe(from, pair.volumes[from])} is not known yet` };
    if (lag > 0) return { wait: `${describe(from, pair.volumes[from])} has ${lag}s of writes not yet replicated (Async): stop the hosts writing to it first` };
  }
  const newTarget = pair.volumes[from];
  const newSource = pair.volumes[to];
  if (newTarget.totalSize < newSource.totalSize) {
    const message = `${describe(from, newTarget)} (${newTarget.totalSize} bytes) is smaller than the new source ${describe(to, newSource)} (${newSource.totalSize} bytes)`;
    if (facts.spec.targetSizePolicy !== 'Grow' || !facts.manage) return { wait: `${message}: grow it first (targetSizePolicy: Manual)` };
    return { grow: { kind: 'growVolume', side: from, volumeID: newTarget.volumeID, totalSize: wholeMiB(newSource.totalSize) }, message: `${message}: growing it first` };
  }
  return undefined;
}

function pending(facts: Facts, pair: PairView, sourceSide: Side, to: Side, why: string): Decision {
  const message = `switchover to side ${to} waits: ${why}`;
  return {
    step: NONE,
    ready: { status: 'False', reason: 'SwitchoverPending', message },
    upToDate: { status: 'False', reason: 'Drifted', message },
    statusEvents: [],
    requeue: 'poll',
    intent: facts.intent,
    observation: observationOf(pair, sourceSide),
  };
}

/** The next step of a switchover whose intent is `intent` (its `to` is the spec's side). */
function continueSwitchover(facts: Facts, pair: PairView, observed: Direction, intent: VolumePairSwitchover): DirectionPlan {
  const { from, to } = intent;
  const forced = intent.failover === 'Forced';
  if (observed === from) {
    if (!forced) {
      if (pair.halves[from].remoteReplication?.mode === 'SnapshotsOnly') return { kind: 'decided', decision: unsafe(facts, pair, from, to) };
      const obstacle = plannedObstacle(facts, pair, from, to);
      if (obstacle !== undefined && 'wait' in obstacle) return { kind: 'decided', decision: pending(facts, pair, from, to, obstacle.wait) };
      if (obstacle !== undefined) return { kind: 'decided', decision: switching(facts, pair, from, obstacle.grow, obstacle.message) };
    }
    if (intent.phase !== 'Demoting') {
      const next = { ...intent, phase: 'Demoting' as const };
      return { kind: 'decided', decision: switching(facts, pair, from, { kind: 'writeIntent', switchover: next }, `switchover to side ${to}: recording the intent`, { switchover: next }) };
    }
    const demote: Step = { kind: 'modifyVolumeAccess', side: from, volumeID: pair.volumes[from].volumeID, access: VolumeAccessMode.ReplicationTarget };
    return { kind: 'decided', decision: switching(facts, pair, from, demote, `switchover to side ${to}: demoting ${describe(from, pair.volumes[from])} to replicationTarget`) };
  }
  if (observed === 'bothTargets') {
    if (intent.phase !== 'Promoting') {
      const next = { ...intent, phase: 'Promoting' as const };
      return { kind: 'decided', decision: switching(facts, pair, to, { kind: 'writeIntent', switchover: next }, `switchover to side ${to}: both volumes are targets; recording the promotion`, { switchover: next }) };
    }
    const promote: Step = { kind: 'modifyVolumeAccess', side: to, volumeID: pair.volumes[to].volumeID, access: VolumeAccessMode.ReadWrite };
    return { kind: 'decided', decision: switching(facts, pair, to, promote, `switchover to side ${to}: promoting ${describe(to, pair.volumes[to])} to readWrite`) };
  }
  if (observed === to) {
    const states = [stateOf(pair.halves.A), stateOf(pair.halves.B)];
    const active = states.every((s) => s === ReplicationState.Active);
    // A forced failover is done once the new primary writes (the link may still be cut).
    if (!forced && !active) {
      return { kind: 'decided', decision: switching(facts, pair, to, NONE, `switchover to side ${to}: waiting for Active in the new direction (${states.map((s) => s ?? 'unknown').join(' / ')})`) };
    }
    const moved = facts.vp.status.primarySide !== to;
    const events: PlannedEvent[] = moved
      ? [{ type: 'Normal', reason: EventReason.SwitchedOver, message: `${forced ? 'forced failover' : 'switchover'} from side ${from} to side ${to} done: ${describe(to, pair.volumes[to])} is the primary, volume pair ${pair.uuid} kept` }]
      : [];
    return { kind: 'converge', primarySide: to, switchover: null, events };
  }
  return { kind: 'decided', decision: reported(facts, pair, from, `switchover to side ${to}: the accesses are ${pair.volumes.A.access} (side A) and ${pair.volumes.B.access} (side B), set outside the operator; nothing is changed`) };
}

function unsafe(facts: Facts, pair: PairView, from: Side, to: Side): Decision {
  const message = `a planned switchover of a SnapshotsOnly pair to side ${to} is refused: ${describe(to, pair.volumes[to])} holds only replicated snapshots. Use failover: Forced (writes since the last snapshot are lost), or set spec.primarySide back to ${from}`;
  return { ...stalledDecision(facts, 'SwitchoverUnsafe', message, observationOf(pair, from)) };
}

/** Two writable volumes: never resolved silently. The one that is not spec.primarySide loses its writes. */
function resync(facts: Facts, pair: PairView): DirectionPlan {
  const primary = facts.spec.primarySide;
  const loser = otherSide(primary);
  const volume = pair.volumes[loser];
  const incident = incidentFor(facts, 'ResyncRequired', loser, volume.volumeID);
  const observation = observationOf(pair, primary);
  if (facts.manage && (incident.approvedAt !== undefined || approvedBy(facts, APPROVE_RESYNC_ANNOTATION, incident))) {
    const approved = { ...incident, approvedAt: incident.approvedAt ?? facts.input.now };
    const step: Step = { kind: 'modifyVolumeAccess', side: loser, volumeID: volume.volumeID, access: VolumeAccessMode.ReplicationTarget };
    const message = `resync approved: demoting ${describe(loser, volume)}; replication resumes from ${describe(primary, pair.volumes[primary])}`;
    return {
      kind: 'decided',
      decision: {
        ...switching(facts, pair, primary, step, message, { incident: approved }),
        stepEvents: [{ type: 'Normal', reason: EventReason.Resynced, message: `${describe(loser, volume)} demoted: its writes since the split are overwritten from ${describe(primary, pair.volumes[primary])}` }],
      },
    };
  }
  const message =
    `both volumes are writable: ${describe(primary, pair.volumes[primary])} is spec.primarySide, and ${describe(loser, volume)} was written outside the replication ` +
    `(a forced failover whose old primary came back, or a change by hand). Resyncing overwrites every write made to volume ${volume.volumeID} since the split. To resync it, ` +
    approvalHint(APPROVE_RESYNC_ANNOTATION, incident);
  return { kind: 'decided', decision: { ...stalledDecision(facts, 'ResyncRequired', message, observation), incident } };
}

/** The direction of an established pair linking exactly our volumes. */
export function planDirection(facts: Facts, pair: PairView): DirectionPlan {
  const desired = facts.spec.primarySide;
  const recorded = facts.vp.status.primarySide;
  const observed = directionOf(pair.volumes);
  if (observed === 'bothWritable') return resync(facts, pair);

  let intent = facts.vp.status.switchover;
  // The intent follows the spec: a spec that returns to the old side promotes the old primary again.
  if (intent !== undefined && intent.to !== desired) intent = { ...intent, from: intent.to, to: desired, failover: facts.spec.failover };
  if (intent !== undefined) {
    if (!facts.manage) return { kind: 'decided', decision: reported(facts, pair, intent.from, `a switchover to side ${intent.to} is recorded; observing only`) };
    const planned = continueSwitchover(facts, pair, observed, intent);
    // A retargeted intent must be recorded with the step that follows it.
    if (planned.kind === 'decided' && planned.decision.switchover === undefined && intent !== facts.vp.status.switchover) {
      return { kind: 'decided', decision: { ...planned.decision, switchover: intent } };
    }
    return planned;
  }

  if (observed === desired) return { kind: 'converge', primarySide: desired, switchover: undefined, events: [] };
  if (observed === 'A' || observed === 'B') {
    if (recorded === observed) {
      if (!facts.manage) return { kind: 'decided', decision: reported(facts, pair, observed, `spec.primarySide is ${desired}, Element shows side ${observed} as the source; observing only`) };
      const started: VolumePairSwitchover = { from: observed, to: desired, failover: facts.spec.failover, phase: 'Demoting', startedAt: facts.input.now };
      if (facts.spec.failover === 'Planned') {
        if (pair.halves[observed].remoteReplication?.mode === 'SnapshotsOnly') return { kind: 'decided', decision: unsafe(facts, pair, observed, desired) };
        const obstacle = plannedObstacle(facts, pair, observed, desired);
        if (obstacle !== undefined && 'wait' in obstacle) return { kind: 'decided', decision: pending(facts, pair, observed, desired, obstacle.wait) };
        if (obstacle !== undefined) return { kind: 'decided', decision: switching(facts, pair, observed, obstacle.grow, obstacle.message) };
      }
      return { kind: 'decided', decision: switching(facts, pair, observed, { kind: 'writeIntent', switchover: started }, `switchover to side ${desired}: recording the intent`, { switchover: started }) };
    }
    const why =
      recorded === undefined
        ? `no direction is recorded (status.primarySide): set spec.primarySide to ${observed}, what Element shows, then change it to ask for a switchover`
        : `the direction was changed outside the operator (recorded: side ${recorded}); it is not undone: set spec.primarySide: ${observed} to accept it`;
    return {
      kind: 'decided',
      decision: reported(
        facts,
        pair,
        observed,
        `direction differs from primarySide ${desired}: ${describe(observed, pair.volumes[observed])} is readWrite, ${describe(otherSide(observed), pair.volumes[otherSide(observed)])} is replicationTarget; ${why}`,
      ),
    };
  }
  const source = recorded ?? desired;
  return { kind: 'decided', decision: reported(facts, pair, source, `no single source: volume ${pair.volumes.A.volumeID} (side A) is ${pair.volumes.A.access}, volume ${pair.volumes.B.volumeID} (side B) is ${pair.volumes.B.access}; the operator does not change accesses it did not set`) };
}

/**
 * Forced failover while the old primary's cluster does not answer: promote the new primary at once
 * (intent first); then report FailedOver (Degraded) until the old side is seen again.
 */
export function planForcedWithoutOldPrimary(facts: Facts, newPrimary: ObservedVolume, unreachable: string): Decision | undefined {
  const to = facts.spec.primarySide;
  const from = otherSide(to);
  const recorded = facts.vp.status.primarySide;
  const intent = facts.vp.status.switchover;
  const asked = facts.spec.failover === 'Forced' && facts.manage && (intent?.to === to || (intent === undefined && recorded === from));
  if (!asked) return undefined;
  const observation: Observation = {};
  const base = { statusEvents: [], intent: facts.intent, observation };
  if (newPrimary.access === VolumeAccessMode.ReplicationTarget) {
    if (intent === undefined || intent.phase !== 'Promoting' || intent.from !== from) {
      const next: VolumePairSwitchover = { from, to, failover: 'Forced', phase: 'Promoting', startedAt: intent?.startedAt ?? facts.input.now };
      const message = `forced failover to side ${to}: side ${from} does not answer (${unreachable}); recording the promotion`;
      return { ...base, step: { kind: 'writeIntent', switchover: next }, switchover: next, ready: { status: 'False', reason: 'Switching', message }, upToDate: { status: 'False', reason: 'Drifted', message }, requeue: 'immediate' };
    }
    const message = `forced failover to side ${to}: promoting ${describe(to, newPrimary)} to readWrite; side ${from} does not answer (${unreachable})`;
    const step: Step = { kind: 'modifyVolumeAccess', side: to, volumeID: newPrimary.volumeID, access: VolumeAccessMode.ReadWrite };
    return { ...base, step, ready: { status: 'False', reason: 'Switching', message }, upToDate: { status: 'False', reason: 'Drifted', message }, requeue: 'immediate' };
  }
  if (newPrimary.access !== VolumeAccessMode.ReadWrite) return undefined;
  const message =
    `failed over: ${describe(to, newPrimary)} is the primary; the old primary on side ${from} could not be demoted (${unreachable}). ` +
    'When it answers again still writable, the pair stalls with ResyncRequired';
  return {
    ...base,
    step: NONE,
    ready: { status: 'False', reason: 'FailedOver', message },
    degraded: { reason: 'FailedOver', message },
    upToDate: { status: 'False', reason: 'Drifted', message },
    requeue: 'poll',
    primarySide: to,
  };
}
