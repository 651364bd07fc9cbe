// Volume growth (DESIGN §9): the target follows a source that grew (targetSizePolicy Grow), a pause
// that outlived the mismatch is lifted on the source, a requested pause stays, Manual only reports.
import { describe, expect, it } from 'vitest';
import { allEvents } from '../shell/plan.ts';
import { CP, condition, GIB, MIB, ownedStatus, scenario, SRC, TGT, UUID, vol, vpair } from './plan-fixtures.ts';
import type { Scenario } from './plan-fixtures.ts';
import { wholeMiB } from './plan-growth.ts';
import { planVolumePair } from './plan.ts';

const MISMATCH = 'PausedVolumeSizeMismatch';

/** An established pair 158 (A, source) → 260 (B, target) with the given sizes and states. */
function sized(sourceSize: number, targetSize: number, sState = MISMATCH, tState = sState): Scenario {
  return {
    status: { ...ownedStatus, volumePairUUID: UUID },
    a: vol(SRC, { totalSize: sourceSize, volumePairs: [vpair(CP.A, TGT, sState)] }),
    b: vol(TGT, { access: 'replicationTarget', totalSize: targetSize, volumePairs: [vpair(CP.B, SRC, tState)] }),
  };
}

describe('targetSizePolicy Grow', () => {
  it('grows the target to the source size with one ModifyVolume, on fresh lists, announcing both sizes', () => {
    const plan = planVolumePair(scenario(sized(2 * GIB, GIB)));
    expect(plan.step).toEqual({ kind: 'growVolume', side: 'B', volumeID: TGT, totalSize: 2 * GIB });
    expect(plan.replanOnFreshLists).toBe(true);
    expect(plan.stepEvents).toEqual([
      expect.objectContaining({ type: 'Normal', reason: 'TargetGrown', message: expect.stringContaining(`from ${GIB} to ${2 * GIB} bytes`) }),
    ]);
    // Work in progress, not a fault: no Degraded, no Warning.
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'Syncing' });
    expect(condition(plan, 'Degraded')).toMatchObject({ status: 'False' });
    expect(allEvents(plan).filter((e) => e.type === 'Warning')).toEqual([]);
    expect(plan.requeue).toBe('immediate');
  });

  it('asks for a whole number of MiB, never less than the source', () => {
    const odd = 2 * GIB + 1;
    const plan = planVolumePair(scenario(sized(odd, GIB)));
    expect(plan.step).toMatchObject({ kind: 'growVolume', totalSize: 2 * GIB + MIB });
    expect(wholeMiB(odd) % MIB).toBe(0);
    expect(wholeMiB(odd)).toBeGreaterThanOrEqual(odd);
    expect(wholeMiB(2 * GIB)).toBe(2 * GIB);
  });

  it('grows the target on side A when side B is the source', () => {
    const plan = planVolumePair(scenario({
      spec: { primarySide: 'B' },
      status: { ...ownedStatus, volumePairUUID: UUID },
      a: vol(SRC, { access: 'replicationTarget', totalSize: GIB, volumePairs: [vpair(CP.A, TGT, MISMATCH)] }),
      b: vol(TGT, { totalSize: 3 * GIB, volumePairs: [vpair(CP.B, SRC, MISMATCH)] }),
    }));
    expect(plan.step).toEqual({ kind: 'growVolume', side: 'A', volumeID: SRC, totalSize: 3 * GIB });
  });

  it('never shrinks: a target larger than the source is left alone', () => {
    const plan = planVolumePair(scenario(sized(GIB, 2 * GIB, 'Active')));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'True', reason: 'Active' });
  });

  it('grows even when Element has not paused the pair yet', () => {
    expect(planVolumePair(scenario(sized(2 * GIB, GIB, 'Active'))).step.kind).toBe('growVolume');
  });

  it('after the grow, a pair still paused for the mismatch is resumed on the source', () => {
    const plan = planVolumePair(scenario(sized(2 * GIB, 2 * GIB)));
    expect(plan.step).toEqual({ kind: 'modifyVolumePair', side: 'A', volumeID: SRC, change: { pausedManual: false } });
    expect(plan.stepEvents).toEqual([expect.objectContaining({ reason: 'ReplicationResumed' })]);
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'Syncing' });
  });

  it('resumes only while the pair is still paused: a pair that resumed by itself is left alone', () => {
    for (const state of ['ResumingDataTransfer', 'Active']) {
      const plan = planVolumePair(scenario(sized(2 * GIB, 2 * GIB, state)));
      expect(plan.step).toEqual({ kind: 'none' });
    }
    expect(condition(planVolumePair(scenario(sized(2 * GIB, 2 * GIB, 'Active'))), 'Ready')).toMatchObject({ status: 'True', reason: 'Active' });
  });

  it('grows before it changes the mode; the mode follows on a later reconcile', () => {
    const plan = planVolumePair(scenario({ ...sized(2 * GIB, GIB), spec: { mode: 'Sync' } }));
    expect(plan.step.kind).toBe('growVolume');
    expect(condition(plan, 'UpToDate')?.message).toContain('mode is Async');
  });

  it('finishes its own bookkeeping first (the key Secret), without claiming the grow', () => {
    const plan = planVolumePair(scenario({ ...sized(2 * GIB, GIB), key: true }));
    expect(plan.step).toEqual({ kind: 'deleteKeySecret', why: 'verified' });
    expect(plan.stepEvents).toEqual([]);
  });

  it('reports both sizes in status', () => {
    const plan = planVolumePair(scenario(sized(2 * GIB, GIB)));
    expect(plan.status.sideA?.totalSize).toBe(2 * GIB);
    expect(plan.status.sideB?.totalSize).toBe(GIB);
  });
});

describe('a requested pause (spec.paused) stays', () => {
  it('the target is still grown', () => {
    const plan = planVolumePair(scenario({ ...sized(2 * GIB, GIB), spec: { paused: true } }));
    expect(plan.step).toMatchObject({ kind: 'growVolume', totalSize: 2 * GIB });
  });

  it('but a mismatch pause that outlived the grow is not lifted: it is the requested pause', () => {
    const plan = planVolumePair(scenario({ ...sized(2 * GIB, 2 * GIB), spec: { paused: true } }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'True', reason: 'Paused', message: expect.stringContaining(MISMATCH) });
    expect(condition(plan, 'Degraded')).toMatchObject({ status: 'False' });
  });

  it('a pause that Element shows after the grow stays too', () => {
    const plan = planVolumePair(scenario({ ...sized(2 * GIB, 2 * GIB, 'PausedManual', 'PausedManualRemote'), spec: { paused: true } }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'True', reason: 'Paused' });
  });
});

describe('targetSizePolicy Manual: only reports', () => {
  const manual = (s: Scenario): Scenario => ({ ...s, spec: { ...s.spec, targetSizePolicy: 'Manual' } });

  it('a source larger than the target → Degraded PausedVolumeSizeMismatch with both sizes, no step', () => {
    const plan = planVolumePair(scenario(manual(sized(2 * GIB, GIB))));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'Degraded' });
    const degraded = condition(plan, 'Degraded');
    expect(degraded).toMatchObject({ status: 'True', reason: MISMATCH });
    expect(degraded?.message).toContain(`${2 * GIB} bytes`);
    expect(degraded?.message).toContain(`${GIB} bytes`);
    expect(degraded?.message).toContain('Manual');
    expect(condition(plan, 'UpToDate')).toMatchObject({ status: 'True' });
    expect(allEvents(plan)).toEqual([expect.objectContaining({ type: 'Warning', reason: MISMATCH })]);
    expect(plan.requeue).toBe('poll');
  });

  it('once a person grew the target, the pause left behind is lifted (spec.paused is false)', () => {
    const plan = planVolumePair(scenario(manual(sized(2 * GIB, 2 * GIB))));
    expect(plan.step).toEqual({ kind: 'modifyVolumePair', side: 'A', volumeID: SRC, change: { pausedManual: false } });
  });
});

describe('managementPolicy Observe: reports what Grow would do', () => {
  it('a source larger than the target → Degraded with both sizes, UpToDate Drifted, no step', () => {
    const plan = planVolumePair(scenario({ ...sized(2 * GIB, GIB), spec: { managementPolicy: 'Observe' } }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Degraded')).toMatchObject({ status: 'True', reason: MISMATCH, message: expect.stringContaining('observing only') });
    expect(condition(plan, 'UpToDate')).toMatchObject({ status: 'False', reason: 'Drifted' });
  });
});

describe('creating a pair', () => {
  it('a different 512e setting is its own Stalled reason, BlockSizeMismatch', () => {
    const plan = planVolumePair(scenario({ b: vol(TGT, { enable512e: false }) }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'BlockSizeMismatch', message: expect.stringContaining('enable512e') });
    expect(condition(plan, 'Reconciling')).toMatchObject({ status: 'False' });
  });

  it('a smaller target stays TargetTooSmall: a new pair is not made by growing volumes', () => {
    const plan = planVolumePair(scenario({ b: vol(TGT, { totalSize: GIB / 2 }) }));
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'TargetTooSmall' });
  });
});
