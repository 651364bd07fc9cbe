import { allEvents } from '../shell/plan.ts';
import { describe, expect, it } from 'vitest';
import { CP, condition, intentA, NOW, ownedStatus, pairedVolumes, scenario, SRC, TGT, UUID, vol, vpair } from './plan-fixtures.ts';
import type { Scenario } from './plan-fixtures.ts';
import { planVolumePair } from './plan.ts';

const adopted = { ...ownedStatus, volumePairUUID: UUID };
const paired = (sState = 'Active', tState = sState, mode = 'Async'): Scenario => ({ ...pairedVolumes(sState, tState, mode), status: adopted });

describe('an established pair: finish bookkeeping, then converge', () => {
  it('verifies a pair it made: deletes the key first, then clears the intent', () => {
    const first = planVolumePair(scenario({ ...pairedVolumes(), key: true, status: { ...ownedStatus, pairing: intentA } }));
    expect(first.step).toEqual({ kind: 'deleteKeySecret', why: 'verified' });
    expect(allEvents(first)).toContainEqual(expect.objectContaining({ reason: 'VolumePairingCompleted' }));
    expect(first.status.pairing).toEqual(intentA);
    const second = planVolumePair(scenario({ ...pairedVolumes(), status: first.status }));
    expect(second.step).toEqual({ kind: 'clearIntent' });
    expect(second.status.pairing).toBeUndefined();
    expect(allEvents(second)).toEqual([]);
  });

  it('adopts an exact existing pair with one Event and no Element call', () => {
    const plan = planVolumePair(scenario({ ...pairedVolumes(), status: ownedStatus }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(allEvents(plan)).toEqual([expect.objectContaining({ type: 'Normal', reason: 'AdoptedExistingPair' })]);
    expect(plan.status.volumePairUUID).toBe(UUID);
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'True', reason: 'Active' });
    expect(condition(plan, 'UpToDate')).toMatchObject({ status: 'True' });
    expect(plan.requeue).toBe('poll');
  });

  it('does not adopt a pair on other clusterPairIDs', () => {
    const plan = planVolumePair(scenario({ ...pairedVolumes(), cp: { clusterPairIDs: { A: 56, B: 62 } } }));
    expect(plan.status.volumePairUUID).toBeUndefined();
    expect(condition(plan, 'Stalled')?.reason).toBe('UnexplainedPendingPair');
  });

  it('reports status from both halves', () => {
    const plan = planVolumePair(scenario(paired('ResumingDataTransfer', 'ResumingDataTransfer', 'Sync')));
    expect(plan.status).toMatchObject({
      volumePairUUID: UUID,
      mode: 'Sync',
      replicationState: 'ResumingDataTransfer',
      snapshotReplicationState: 'Idle',
      replicationStateSince: NOW,
      observedGeneration: 3,
      sideA: { volumeID: SRC, volumeName: `vol-${SRC}`, access: 'readWrite', clusterPairID: CP.A, replicationState: 'ResumingDataTransfer' },
      sideB: { volumeID: TGT, access: 'replicationTarget', clusterPairID: CP.B },
    });
  });

  it('keeps replicationStateSince while the state stays', () => {
    const plan = planVolumePair(scenario({ ...paired(), status: { ...adopted, replicationState: 'Active', replicationStateSince: '2026-01-01T00:00:00Z' } }));
    expect(plan.status.replicationStateSince).toBe('2026-01-01T00:00:00Z');
  });

  const steps: { name: string; s: Scenario; step: Record<string, unknown>; event: string }[] = [
    { name: 'mode differs → ModifyVolumePair(mode) on the source', s: { ...paired(), spec: { mode: 'Sync' } }, step: { kind: 'modifyVolumePair', side: 'A', volumeID: SRC, change: { mode: 'Sync' } }, event: 'ModeChanged' },
    { name: 'pause requested → pausedManual true on the source', s: { ...paired(), spec: { paused: true } }, step: { kind: 'modifyVolumePair', side: 'A', change: { pausedManual: true } }, event: 'ReplicationPaused' },
    { name: 'resume requested, source shows PausedManual → resume the source', s: paired('PausedManual', 'PausedManualRemote'), step: { kind: 'modifyVolumePair', side: 'A', volumeID: SRC, change: { pausedManual: false } }, event: 'ReplicationResumed' },
    { name: 'resume requested, target shows PausedManual → resume the target', s: paired('PausedManualRemote', 'PausedManual'), step: { kind: 'modifyVolumePair', side: 'B', volumeID: TGT, change: { pausedManual: false } }, event: 'ReplicationResumed' },
    { name: 'primarySide B: mode on side B', s: { spec: { primarySide: 'B', mode: 'SnapshotsOnly' }, status: adopted, a: vol(SRC, { access: 'replicationTarget', volumePairs: [vpair(CP.A, TGT)] }), b: vol(TGT, { volumePairs: [vpair(CP.B, SRC)] }) }, step: { kind: 'modifyVolumePair', side: 'B', volumeID: TGT, change: { mode: 'SnapshotsOnly' } }, event: 'ModeChanged' },
  ];
  it.each(steps)('$name', ({ s, step, event }) => {
    const plan = planVolumePair(scenario(s));
    expect(plan.step).toMatchObject(step);
    expect(plan.stepEvents).toEqual([expect.objectContaining({ reason: event })]);
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'Syncing' });
    expect(condition(plan, 'UpToDate')).toMatchObject({ status: 'False', reason: 'Drifted' });
    expect(plan.requeue).toBe('immediate');
  });

  it('compares modes without regard to case', () => {
    expect(planVolumePair(scenario({ ...paired('Active', 'Active', 'async') })).step.kind).toBe('none');
  });

  const states: { name: string; s: Scenario; ready: [string, string]; degraded?: string; requeue: string }[] = [
    { name: 'Active', s: paired(), ready: ['True', 'Active'], requeue: 'poll' },
    { name: 'paused as requested (source PausedManual)', s: { ...paired('PausedManual', 'PausedManualRemote'), spec: { paused: true } }, ready: ['True', 'Paused'], requeue: 'poll' },
    { name: 'paused as requested (target PausedManual)', s: { ...paired('PausedManualRemote', 'PausedManual'), spec: { paused: true } }, ready: ['True', 'Paused'], requeue: 'poll' },
    { name: 'Resuming*', s: paired('ResumingRRSync'), ready: ['False', 'Syncing'], requeue: 'soon' },
    { name: 'PausedMisconfigured right after pairing', s: paired('PausedMisconfigured'), ready: ['False', 'Syncing'], requeue: 'soon' },
    { name: 'PausedDisconnected', s: paired('PausedDisconnected'), ready: ['False', 'Degraded'], degraded: 'PausedDisconnected', requeue: 'poll' },
    { name: 'PausedDisconnected while a pause is requested (no pause call)', s: { ...paired('PausedDisconnected'), spec: { paused: true } }, ready: ['False', 'Degraded'], degraded: 'PausedDisconnected', requeue: 'poll' },
    { name: 'StoppedMisconfigured on the target', s: paired('Active', 'StoppedMisconfigured'), ready: ['False', 'Degraded'], degraded: 'StoppedMisconfigured', requeue: 'poll' },
    { name: 'PausedVolumeSizeMismatch (targetSizePolicy Manual)', s: { ...paired('PausedVolumeSizeMismatch'), spec: { targetSizePolicy: 'Manual' }, a: vol(SRC, { totalSize: 2 * 1024 ** 3, volumePairs: [vpair(CP.A, TGT, 'PausedVolumeSizeMismatch')] }) }, ready: ['False', 'Degraded'], degraded: 'PausedVolumeSizeMismatch', requeue: 'poll' },
    { name: 'another unrequested pause (PausedQoS)', s: paired('PausedQoS', 'Active'), ready: ['False', 'Degraded'], degraded: 'Paused', requeue: 'poll' },
  ];
  it.each(states)('state $name', ({ s, ready, degraded, requeue }) => {
    const plan = planVolumePair(scenario(s));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready')).toMatchObject({ status: ready[0], reason: ready[1] });
    expect(condition(plan, 'Degraded')).toMatchObject(degraded ? { status: 'True', reason: degraded } : { status: 'False' });
    expect(plan.requeue).toBe(requeue);
    if (degraded !== undefined) expect(allEvents(plan)).toContainEqual(expect.objectContaining({ type: 'Warning', reason: degraded }));
  });

  it('source flipped to replicationTarget by hand (both targets, no switchover) → Degraded DirectionMismatch, nothing changed', () => {
    const plan = planVolumePair(scenario({ ...paired(), a: vol(SRC, { access: 'replicationTarget', volumePairs: [vpair(CP.A, TGT)] }) }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Degraded')).toMatchObject({ status: 'True', reason: 'DirectionMismatch' });
    expect(condition(plan, 'UpToDate')).toMatchObject({ status: 'False', reason: 'Drifted' });
  });

  it.each<[string, Scenario]>([
    ['target flipped to readWrite', { ...paired(), b: vol(TGT, { access: 'readWrite', volumePairs: [vpair(CP.B, SRC)] }) }],
    ['flipped and mode drifted: still no call', { ...paired(), spec: { mode: 'Sync' }, b: vol(TGT, { access: 'readWrite', volumePairs: [vpair(CP.B, SRC)] }) }],
  ])('two writable volumes (%s) → Stalled ResyncRequired, never resolved silently', (_name, s) => {
    const plan = planVolumePair(scenario(s));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'ResyncRequired' });
    expect(plan.status.incident).toMatchObject({ reason: 'ResyncRequired', side: 'B', id: TGT });
  });
});

describe('Observe: adopt and report, never mutate', () => {
  const observe = { spec: { managementPolicy: 'Observe' as const } };
  it.each<[string, Scenario, string]>([
    ['mode drift', { ...paired(), ...observe, spec: { managementPolicy: 'Observe', mode: 'Sync' } }, 'True'],
    ['pause requested but running', { ...paired(), spec: { managementPolicy: 'Observe', paused: true } }, 'True'],
    ['unrequested pause', { ...paired('PausedManual', 'PausedManualRemote'), ...observe }, 'False'],
    ['ClusterPair in Observe', { ...paired(), spec: { mode: 'Sync' }, cp: { managementPolicy: 'Observe' } }, 'True'],
  ])('%s → UpToDate Drifted, no step', (_name, s, ready) => {
    const plan = planVolumePair(scenario(s));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'UpToDate')).toMatchObject({ status: 'False', reason: 'Drifted' });
    expect(condition(plan, 'Ready')?.status).toBe(ready);
  });

  it('reports a missing pair without creating it', () => {
    const plan = planVolumePair(scenario(observe));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'Drifted' });
    expect(condition(plan, 'UpToDate')).toMatchObject({ status: 'False', reason: 'Drifted' });
  });

  it('adopts in Observe too', () => {
    const plan = planVolumePair(scenario({ ...pairedVolumes(), ...observe }));
    expect(plan.status.volumePairUUID).toBe(UUID);
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'True', reason: 'Active' });
  });
});
