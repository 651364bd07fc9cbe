import { describe, expect, it } from 'vitest';
import { APPROVE_RESYNC_ANNOTATION } from '../../api/index.ts';
import type { VolumePairStatus } from '../../api/index.ts';
import { allEvents } from '../shell/plan.ts';
import { condition, CP, GIB, NOW, ownedStatus, scenario, SRC, TGT, UUID, vol, vpair } from './plan-fixtures.ts';
import type { Scenario } from './plan-fixtures.ts';
import type { ObservedVolume, PlanInput, VolumePairPlan } from './plan-types.ts';
import { planVolumePair } from './plan.ts';

type Access = 'readWrite' | 'replicationTarget';

/** Our pair (158 on A, 260 on B) with these accesses and states. */
function pairWith(accessA: Access, accessB: Access, stateA = 'Active', stateB = stateA, mode = 'Async'): { a: ObservedVolume; b: ObservedVolume } {
  return {
    a: vol(SRC, { access: accessA, volumePairs: [vpair(CP.A, TGT, stateA, { mode })] }),
    b: vol(TGT, { access: accessB, volumePairs: [vpair(CP.B, SRC, stateB, { mode })] }),
  };
}

const recordedA: VolumePairStatus = { ...ownedStatus, volumePairUUID: UUID, primarySide: 'A' };

function input(s: Scenario, lag: number | null = 0, annotations: Record<string, string> = {}): PlanInput {
  const base = scenario(s);
  return { ...base, volumePair: { ...base.volumePair, annotations }, replication: lag === null ? {} : { asyncDelaySeconds: lag, readAt: NOW } };
}

const ready = (plan: VolumePairPlan) => condition(plan, 'Ready');

describe('planned switchover A → B', () => {
  it('goes intent → demote A → intent → promote B → wait for Active → record B, with exactly two ModifyVolume calls', () => {
    const spec = { primarySide: 'B' as const };
    const modifyVolumes: string[] = [];

    // 1. Element shows A, A is recorded, spec asks B: the intent is written first.
    let plan = planVolumePair(input({ ...pairWith('readWrite', 'replicationTarget'), spec, status: recordedA }));
    expect(plan.step).toMatchObject({ kind: 'writeIntent', switchover: { from: 'A', to: 'B', failover: 'Planned', phase: 'Demoting' } });
    expect(ready(plan)).toMatchObject({ status: 'False', reason: 'Switching' });
    expect(condition(plan, 'Reconciling')?.status).toBe('True');
    let status = plan.status;

    // 2. Demote the old primary, on fresh lists.
    plan = planVolumePair(input({ ...pairWith('readWrite', 'replicationTarget'), spec, status }));
    expect(plan.step).toEqual({ kind: 'modifyVolumeAccess', side: 'A', volumeID: SRC, access: 'replicationTarget' });
    expect(plan.replanOnFreshLists).toBe(true);
    modifyVolumes.push(`${plan.step.kind}`);
    status = plan.status;

    // 3. Both targets (PausedMisconfigured): record the promotion.
    plan = planVolumePair(input({ ...pairWith('replicationTarget', 'replicationTarget', 'PausedMisconfigured'), spec, status }));
    expect(plan.step).toMatchObject({ kind: 'writeIntent', switchover: { phase: 'Promoting' } });
    status = plan.status;

    // 4. Promote the new primary.
    plan = planVolumePair(input({ ...pairWith('replicationTarget', 'replicationTarget', 'PausedMisconfigured'), spec, status }));
    expect(plan.step).toEqual({ kind: 'modifyVolumeAccess', side: 'B', volumeID: TGT, access: 'readWrite' });
    modifyVolumes.push(`${plan.step.kind}`);
    status = plan.status;

    // 5. Resuming in the new direction: wait.
    plan = planVolumePair(input({ ...pairWith('replicationTarget', 'readWrite', 'ResumingDataTransfer'), spec, status }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(ready(plan)).toMatchObject({ reason: 'Switching' });
    expect(plan.requeue).toBe('soon');
    status = plan.status;

    // 6. Active: B recorded, intent cleared, SwitchedOver, Ready.
    plan = planVolumePair(input({ ...pairWith('replicationTarget', 'readWrite'), spec, status }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(plan.status.primarySide).toBe('B');
    expect(plan.status.switchover).toBeUndefined();
    expect(plan.status.volumePairUUID).toBe(UUID);
    expect(ready(plan)).toMatchObject({ status: 'True', reason: 'Active' });
    expect(allEvents(plan).map((e) => e.reason)).toContain('SwitchedOver');
    expect(modifyVolumes).toHaveLength(2);
  });

  it('never promotes while the old primary is writable, whatever the recorded phase says', () => {
    const status = { ...recordedA, switchover: { from: 'A' as const, to: 'B' as const, failover: 'Planned' as const, phase: 'Promoting' as const, startedAt: NOW } };
    const plan = planVolumePair(input({ ...pairWith('readWrite', 'replicationTarget'), spec: { primarySide: 'B' }, status }));
    expect(plan.step).toMatchObject({ kind: 'writeIntent', switchover: { phase: 'Demoting' } });
  });

  it('follows the spec back mid-way: the old primary is promoted again', () => {
    const status = { ...recordedA, switchover: { from: 'A' as const, to: 'B' as const, failover: 'Planned' as const, phase: 'Promoting' as const, startedAt: NOW } };
    const plan = planVolumePair(input({ ...pairWith('replicationTarget', 'replicationTarget', 'PausedMisconfigured'), spec: { primarySide: 'A' }, status }));
    expect(plan.step).toEqual({ kind: 'modifyVolumeAccess', side: 'A', volumeID: SRC, access: 'readWrite' });
    expect(plan.status.switchover).toMatchObject({ from: 'B', to: 'A', phase: 'Promoting' });
  });

  it.each<[string, Scenario, number | null, RegExp]>([
    ['spec.paused', { ...pairWith('readWrite', 'replicationTarget', 'PausedManual', 'PausedManualRemote'), spec: { primarySide: 'B', paused: true } }, 0, /paused/],
    ['syncing', { ...pairWith('readWrite', 'replicationTarget', 'ResumingDataTransfer'), spec: { primarySide: 'B' } }, 0, /not Active/],
    ['link cut', { ...pairWith('readWrite', 'replicationTarget', 'PausedDisconnected'), spec: { primarySide: 'B' } }, 0, /not Active/],
    ['Async lag above 0', { ...pairWith('readWrite', 'replicationTarget'), spec: { primarySide: 'B' } }, 4, /4s of writes not yet replicated/],
    ['Async lag unknown', { ...pairWith('readWrite', 'replicationTarget'), spec: { primarySide: 'B' } }, null, /lag .* not known/],
    ['new target smaller, Manual', { a: vol(SRC, { volumePairs: [vpair(CP.A, TGT)] }), b: vol(TGT, { access: 'replicationTarget', totalSize: 2 * GIB, volumePairs: [vpair(CP.B, SRC)] }), spec: { primarySide: 'B', targetSizePolicy: 'Manual' } }, 0, /smaller/],
  ])('waits with SwitchoverPending (%s), changing nothing', (_name, s, lag, message) => {
    const plan = planVolumePair(input({ ...s, status: recordedA }, lag));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(ready(plan)).toMatchObject({ status: 'False', reason: 'SwitchoverPending' });
    expect(ready(plan)?.message).toMatch(message);
    expect(plan.status.switchover).toBeUndefined();
  });

  it('while it waits, the current direction still converges: a pause nobody asks for any more is lifted on the current source', () => {
    const status: VolumePairStatus = { ...ownedStatus, volumePairUUID: UUID, primarySide: 'B' };
    const plan = planVolumePair(input({ ...pairWith('replicationTarget', 'readWrite', 'PausedManualRemote', 'PausedManual'), spec: { primarySide: 'A' }, status }));
    expect(ready(plan)).toMatchObject({ reason: 'SwitchoverPending' });
    expect(plan.step).toEqual({ kind: 'modifyVolumePair', side: 'B', volumeID: TGT, change: { pausedManual: false } });
  });

  it('a Sync pair needs no lag reading', () => {
    const plan = planVolumePair(input({ ...pairWith('readWrite', 'replicationTarget', 'Active', 'Active', 'Sync'), spec: { primarySide: 'B', mode: 'Sync' }, status: recordedA }, null));
    expect(plan.step.kind).toBe('writeIntent');
  });

  it('grows a new target smaller than the new source first (targetSizePolicy Grow)', () => {
    const s = { a: vol(SRC, { volumePairs: [vpair(CP.A, TGT)] }), b: vol(TGT, { access: 'replicationTarget' as const, totalSize: 2 * GIB, volumePairs: [vpair(CP.B, SRC)] }), spec: { primarySide: 'B' as const } };
    const plan = planVolumePair(input({ ...s, status: recordedA }));
    expect(plan.step).toEqual({ kind: 'growVolume', side: 'A', volumeID: SRC, totalSize: 2 * GIB });
  });

  it('refuses a SnapshotsOnly pair: Stalled SwitchoverUnsafe', () => {
    const plan = planVolumePair(input({ ...pairWith('readWrite', 'replicationTarget', 'Active', 'Active', 'SnapshotsOnly'), spec: { primarySide: 'B', mode: 'SnapshotsOnly' }, status: recordedA }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'SwitchoverUnsafe' });
  });
});

describe('what does not start a switchover', () => {
  it('nothing recorded (an upgrade): a difference is only reported', () => {
    const plan = planVolumePair(input({ ...pairWith('readWrite', 'replicationTarget'), spec: { primarySide: 'B' }, status: { ...ownedStatus, volumePairUUID: UUID } }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Degraded')).toMatchObject({ status: 'True', reason: 'DirectionMismatch' });
    expect(condition(plan, 'Degraded')?.message).toContain('set spec.primarySide to A');
    expect(plan.status.primarySide).toBeUndefined();
  });

  it('spec and Element agreeing records the direction', () => {
    const plan = planVolumePair(input({ ...pairWith('readWrite', 'replicationTarget'), status: { ...ownedStatus, volumePairUUID: UUID } }));
    expect(plan.status.primarySide).toBe('A');
    expect(ready(plan)).toMatchObject({ status: 'True', reason: 'Active' });
  });

  it('a flip made by hand is reported, never undone', () => {
    const plan = planVolumePair(input({ ...pairWith('replicationTarget', 'readWrite'), status: recordedA }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Degraded')).toMatchObject({ reason: 'DirectionMismatch' });
    expect(condition(plan, 'Degraded')?.message).toContain('outside the operator');
  });

  it('Observe: a differing spec is reported only', () => {
    const plan = planVolumePair(input({ ...pairWith('readWrite', 'replicationTarget'), spec: { primarySide: 'B', managementPolicy: 'Observe' }, status: recordedA }));
    expect(plan.step).toEqual({ kind: 'none' });
  });
});

describe('forced failover', () => {
  const forced = { primarySide: 'B' as const, failover: 'Forced' as const };

  it('demotes the old primary first when its cluster answers, whatever the lag or pause', () => {
    let plan = planVolumePair(input({ ...pairWith('readWrite', 'replicationTarget', 'PausedDisconnected'), spec: forced, status: recordedA }, 300));
    expect(plan.step).toMatchObject({ kind: 'writeIntent', switchover: { failover: 'Forced', phase: 'Demoting' } });
    plan = planVolumePair(input({ ...pairWith('readWrite', 'replicationTarget', 'PausedDisconnected'), spec: forced, status: plan.status }, 300));
    expect(plan.step).toEqual({ kind: 'modifyVolumeAccess', side: 'A', volumeID: SRC, access: 'replicationTarget' });
  });

  it('is done once the new primary writes, even with the link still cut', () => {
    const status = { ...recordedA, switchover: { from: 'A' as const, to: 'B' as const, failover: 'Forced' as const, phase: 'Promoting' as const, startedAt: NOW } };
    const plan = planVolumePair(input({ ...pairWith('replicationTarget', 'readWrite', 'PausedDisconnected'), spec: forced, status }));
    expect(plan.status.primarySide).toBe('B');
    expect(plan.status.switchover).toBeUndefined();
    expect(condition(plan, 'Degraded')).toMatchObject({ reason: 'PausedDisconnected' });
  });

  it('with the old primary\'s cluster down: promotes at once (intent first), then reports FailedOver', () => {
    const lost = { a: 'unreachable' as const, b: vol(TGT, { access: 'replicationTarget', volumePairs: [vpair(CP.B, SRC, 'PausedDisconnected')] }) };
    let plan = planVolumePair(input({ ...lost, spec: forced, status: recordedA }));
    expect(plan.step).toMatchObject({ kind: 'writeIntent', switchover: { from: 'A', to: 'B', failover: 'Forced', phase: 'Promoting' } });
    plan = planVolumePair(input({ ...lost, spec: forced, status: plan.status }));
    expect(plan.step).toEqual({ kind: 'modifyVolumeAccess', side: 'B', volumeID: TGT, access: 'readWrite' });
    const promoted = { a: 'unreachable' as const, b: vol(TGT, { access: 'readWrite', volumePairs: [vpair(CP.B, SRC, 'PausedDisconnected')] }) };
    plan = planVolumePair(input({ ...promoted, spec: forced, status: plan.status }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(ready(plan)).toMatchObject({ status: 'False', reason: 'FailedOver' });
    expect(condition(plan, 'Degraded')).toMatchObject({ status: 'True', reason: 'FailedOver' });
    expect(allEvents(plan)).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'FailedOver' }));
    expect(plan.status.primarySide).toBe('B');
  });

  it('a Planned switchover never promotes without the old side', () => {
    const lost = { a: 'unreachable' as const, b: vol(TGT, { access: 'replicationTarget', volumePairs: [vpair(CP.B, SRC, 'PausedDisconnected')] }) };
    const plan = planVolumePair(input({ ...lost, spec: { primarySide: 'B' }, status: recordedA }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(ready(plan)?.reason).toBe('ClusterPairNotReady');
  });
});

describe('resync of two writable volumes', () => {
  const both = { ...pairWith('readWrite', 'readWrite', 'PausedMisconfigured'), spec: { primarySide: 'B' as const } };
  const status: VolumePairStatus = { ...ownedStatus, volumePairUUID: UUID, primarySide: 'B' };

  it('stalls with ResyncRequired naming the volume that is not primarySide, and its token', () => {
    const plan = planVolumePair(input({ ...both, status }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'ResyncRequired' });
    expect(plan.status.incident).toMatchObject({ reason: 'ResyncRequired', side: 'A', id: SRC });
    expect(condition(plan, 'Stalled')?.message).toContain(`A:${SRC}:${plan.status.incident?.token ?? ''}`);
  });

  it('a wrong or stale approval does nothing; the right one demotes that volume (Resynced)', () => {
    const first = planVolumePair(input({ ...both, status }));
    const token = first.status.incident?.token ?? '';
    for (const wrong of ['true', `B:${TGT}:${token}`, `A:${SRC}:0000`]) {
      const plan = planVolumePair(input({ ...both, status: first.status }, 0, { [APPROVE_RESYNC_ANNOTATION]: wrong }));
      expect(plan.step, wrong).toEqual({ kind: 'none' });
    }
    const plan = planVolumePair(input({ ...both, status: first.status }, 0, { [APPROVE_RESYNC_ANNOTATION]: `A:${SRC}:${token}` }));
    expect(plan.step).toEqual({ kind: 'modifyVolumeAccess', side: 'A', volumeID: SRC, access: 'replicationTarget' });
    expect(plan.stepEvents.map((e) => e.reason)).toEqual(['Resynced']);
    expect(plan.status.incident?.approvedAt).toBe(NOW);
  });
});
