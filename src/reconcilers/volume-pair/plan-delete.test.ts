import { describe, expect, it } from 'vitest';
import { CP, condition, intentA, OTHER_UUID, ownedStatus, pairedVolumes, pending, scenario, SRC, TGT, UUID, vol, vpair } from './plan-fixtures.ts';
import type { Scenario } from './plan-fixtures.ts';
import { planVolumePair } from './plan.ts';

const adopted = { ...ownedStatus, volumePairUUID: UUID };
const deleting = (s: Scenario): Scenario => ({ ...s, vp: { ...s.vp, deleting: true } });

describe('deletion', () => {
  const rows: { name: string; s: Scenario; step: Record<string, unknown>; stepEvents?: Record<string, unknown>[] }[] = [
    { name: 'Delete: remove our pair on side A first', s: { ...pairedVolumes(), status: adopted }, step: { kind: 'removeVolumePair', side: 'A', volumeID: SRC, volumePairUUID: UUID, why: 'deletion' } },
    { name: 'Delete: then the half left on side B', s: { a: vol(SRC), b: vol(TGT, { access: 'replicationTarget', volumePairs: [vpair(CP.B, SRC, 'StoppedMisconfigured')] }), status: adopted }, step: { kind: 'removeVolumePair', side: 'B', volumeID: TGT } },
    { name: 'Delete: a pair linking our volumes that was never recorded', s: { ...pairedVolumes(), status: ownedStatus }, step: { kind: 'removeVolumePair', side: 'A' } },
    { name: 'Delete: our pending pair mid-pairing', s: { a: vol(SRC, { volumePairs: [pending()] }), status: { ...ownedStatus, pairing: intentA }, key: true }, step: { kind: 'removeVolumePair', side: 'A', why: 'deletion' } },
    { name: 'Delete: both gone, key left → delete the key Secret', s: { status: adopted, key: true }, step: { kind: 'deleteKeySecret', why: 'deleting' } },
    { name: 'Delete: both gone → drop the finalizer', s: { status: adopted }, step: { kind: 'dropFinalizer' } },
    { name: 'Delete: a volume deleted on Element counts as removed', s: { a: [], b: vol(TGT), status: adopted }, step: { kind: 'dropFinalizer' } },
    { name: 'Delete: a pair we cannot attribute stays', s: { a: vol(SRC, { volumePairs: [vpair(CP.A, 999, 'Active', { uuid: OTHER_UUID })] }), status: ownedStatus }, step: { kind: 'dropFinalizer' } },
    { name: 'Delete: nothing owned (never resolved) → just drop the finalizer', s: { ...pairedVolumes() }, step: { kind: 'dropFinalizer' } },
    { name: 'Orphan: leave the pair', s: { ...pairedVolumes(), status: adopted, spec: { deletionPolicy: 'Orphan' } }, step: { kind: 'dropFinalizer' } },
    { name: 'Orphan: still remove our own pending pair', s: { a: vol(SRC, { volumePairs: [pending()] }), status: { ...ownedStatus, pairing: intentA }, spec: { deletionPolicy: 'Orphan' } }, step: { kind: 'removeVolumePair', side: 'A' } },
    { name: 'Observe: never touches Element', s: { ...pairedVolumes(), status: adopted, spec: { managementPolicy: 'Observe' } }, step: { kind: 'dropFinalizer' } },
    { name: 'ClusterPair Observe: never touches Element', s: { ...pairedVolumes(), status: adopted, cp: { managementPolicy: 'Observe' } }, step: { kind: 'dropFinalizer' } },
    { name: 'a side unreachable → wait', s: { ...pairedVolumes(), b: 'unreachable', a: vol(SRC), status: adopted }, step: { kind: 'none' } },
    { name: 'force-delete with a key → delete the key Secret first', s: { ...pairedVolumes(), status: adopted, key: true, vp: { annotations: { 'elementrepl.io/force-delete': 'true' } } }, step: { kind: 'deleteKeySecret' } },
    { name: 'force-delete → finalizer off without Element calls', s: { a: 'unreachable', status: adopted, vp: { annotations: { 'elementrepl.io/force-delete': 'true' } } }, step: { kind: 'dropFinalizer' }, stepEvents: [{ type: 'Warning', reason: 'ForceDeleted' }] },
    { name: 'no finalizer → nothing', s: { ...pairedVolumes(), status: adopted, vp: { hasFinalizer: false } }, step: { kind: 'none' } },
  ];
  it.each(rows)('$name', ({ s, step, stepEvents }) => {
    const plan = planVolumePair(scenario(deleting(s)));
    expect(plan.step).toMatchObject(step);
    if (stepEvents !== undefined) expect(plan.stepEvents).toMatchObject(stepEvents);
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'Deleting' });
  });

  it('removes the reachable half while the other cluster is unreachable, then waits for it', () => {
    const plan = planVolumePair(scenario(deleting({ ...pairedVolumes(), a: 'unreachable', status: adopted })));
    expect(plan.step).toMatchObject({ kind: 'removeVolumePair', side: 'B', volumeID: TGT });
  });

  it('gives a target we prepared its access back when the pair was never established', () => {
    const intent = { ...intentA, targetVolumeID: TGT, previousAccess: 'readWrite' };
    const plan = planVolumePair(scenario(deleting({ a: vol(SRC), b: vol(TGT, { access: 'replicationTarget' }), status: { ...ownedStatus, pairing: intent } })));
    expect(plan.step).toEqual({ kind: 'modifyVolumeAccess', side: 'B', volumeID: TGT, access: 'readWrite' });
    // Once restored, the finalizer goes.
    const after = planVolumePair(scenario(deleting({ a: vol(SRC), b: vol(TGT), status: { ...ownedStatus, pairing: intent } })));
    expect(after.step.kind).toBe('dropFinalizer');
  });

  it('waits every few seconds while a cluster is unreachable (its half still to remove)', () => {
    const plan = planVolumePair(scenario(deleting({ a: 'unreachable', b: vol(TGT, { access: 'replicationTarget' }), status: adopted })));
    expect(plan.requeue).toBe('soon');
    expect(condition(plan, 'Ready')?.message).toContain('side A');
  });
});
