import { allEvents } from '../shell/plan.ts';
import { describe, expect, it } from 'vitest';
import { CP, intentA, NOW, OTHER_UUID, ownedStatus, pairedVolumes, pending, scenario, SRC, TGT, UUID, vol, vpair, condition } from './plan-fixtures.ts';
import type { Scenario } from './plan-fixtures.ts';
import { planVolumePair } from './plan.ts';

const withIntent = { status: { ...ownedStatus, pairing: intentA } };
const target = (o: Parameters<typeof vol>[1] = {}) => vol(TGT, { access: 'replicationTarget', ...o });
const TOKEN = 'feed1234';
/** A recorded UnexplainedPendingPair incident on this volume, and the annotation that approves it. */
function approvedIncident(side: 'A' | 'B', id: number): Scenario {
  return {
    status: { ...ownedStatus, incident: { reason: 'UnexplainedPendingPair', token: TOKEN, side, id, since: NOW } },
    vp: { annotations: { 'elementrepl.io/remove-pending-pair': `${side}:${id}:${TOKEN}` } },
  };
}

interface Row {
  name: string;
  s: Scenario;
  step: Record<string, unknown>;
  ready?: string;
}

describe('creating a pair: one step at a time', () => {
  const rows: Row[] = [
    { name: 'no intent yet → write the intent first', s: {}, step: { kind: 'writeIntent', intent: intentA }, ready: 'Pairing' },
    { name: 'intent, target read/write and unused → ModifyVolume on the target', s: withIntent, step: { kind: 'modifyVolumeAccess', side: 'B', volumeID: TGT, access: 'replicationTarget' } },
    { name: 'intent, target ready → StartVolumePairing on the source with the mode', s: { ...withIntent, b: target(), spec: { mode: 'Sync' } }, step: { kind: 'startVolumePairing', side: 'A', volumeID: SRC, mode: 'Sync' } },
    { name: 'our pending pair and its key → CompleteVolumePairing on the target', s: { ...withIntent, key: true, a: vol(SRC, { volumePairs: [pending()] }), b: target() }, step: { kind: 'completeVolumePairing', side: 'B', volumeID: TGT } },
    { name: 'our pending pair, key stored, target flipped back → ModifyVolume before Complete', s: { ...withIntent, key: true, a: vol(SRC, { volumePairs: [pending()] }) }, step: { kind: 'modifyVolumeAccess', side: 'B', volumeID: TGT } },
    { name: 'our pending pair without a key (lost or discarded) → remove it and start again', s: { ...withIntent, a: vol(SRC, { volumePairs: [pending()] }), b: target() }, step: { kind: 'removeVolumePair', side: 'A', volumeID: SRC, volumePairUUID: UUID, why: 'ownPending' } },
    { name: 'a key whose pending pair is gone → discard it, never reuse it', s: { ...withIntent, key: true, b: target() }, step: { kind: 'deleteKeySecret', why: 'stale' } },
    { name: 'intent for another direction → rewrite the intent', s: { status: { ...ownedStatus, pairing: { ...intentA, sourceSide: 'B', sourceVolumeID: TGT } }, b: target() }, step: { kind: 'writeIntent', intent: intentA } },
    { name: 'primarySide changed while our pending pair sits on the old source → remove it', s: { spec: { primarySide: 'B' }, status: { ...ownedStatus, pairing: intentA }, a: vol(SRC, { volumePairs: [pending()] }), b: vol(TGT) }, step: { kind: 'removeVolumePair', side: 'A', volumeID: SRC, why: 'ownPending' } },
    { name: 'primarySide B swaps the roles: ModifyVolume on side A', s: { spec: { primarySide: 'B' }, status: { ...ownedStatus, pairing: { ...intentA, sourceSide: 'B', sourceVolumeID: TGT } } }, step: { kind: 'modifyVolumeAccess', side: 'A', volumeID: SRC } },
    { name: 'primarySide B: Start on side B', s: { spec: { primarySide: 'B' }, status: { ...ownedStatus, pairing: { ...intentA, sourceSide: 'B', sourceVolumeID: TGT } }, a: vol(SRC, { access: 'replicationTarget' }) }, step: { kind: 'startVolumePairing', side: 'B', volumeID: TGT } },
    { name: 'no finalizer yet → add it before anything else', s: { vp: { hasFinalizer: false } }, step: { kind: 'addFinalizer' } },
  ];
  it.each(rows)('$name', ({ s, step, ready }) => {
    const plan = planVolumePair(scenario(s));
    expect(plan.step).toMatchObject(step);
    expect(plan.requeue).toBe('immediate');
    if (ready !== undefined) expect(condition(plan, 'Ready')?.reason).toBe(ready);
  });

  it('keeps the intent in status with the step that writes it and records the owned IDs', () => {
    const plan = planVolumePair(scenario());
    // The target's access before anything touches it is recorded with the intent (restored if the pair never comes).
    expect(plan.status.pairing).toEqual({ ...intentA, targetVolumeID: TGT, previousAccess: 'readWrite' });
    expect(plan.status.sideA?.volumeID).toBe(SRC);
    expect(plan.status.sideB?.volumeID).toBe(TGT);
  });

  it('marks the intent Completing once the key is stored', () => {
    const plan = planVolumePair(scenario({ ...withIntent, key: true, a: vol(SRC, { volumePairs: [pending()] }), b: target() }));
    expect(plan.status.pairing).toEqual({ ...intentA, phase: 'Completing' });
  });

  it('does not write the intent while only the finalizer is being added', () => {
    const plan = planVolumePair(scenario({ vp: { hasFinalizer: false } }));
    expect(plan.status.pairing).toBeUndefined();
  });

  it('reports the pending pair as the replication state while pairing', () => {
    const plan = planVolumePair(scenario({ ...withIntent, key: true, a: vol(SRC, { volumePairs: [pending()] }), b: target() }));
    expect(plan.status.replicationState).toBe('Unconfigured');
    expect(plan.status.replicationStateSince).toBe(NOW);
    expect(plan.status.volumePairUUID).toBeUndefined();
  });
});

describe('safety before any mutation', () => {
  const rows: { name: string; s: Scenario; reason: string }[] = [
    { name: 'smaller target', s: { b: vol(TGT, { totalSize: 1024 }) }, reason: 'TargetTooSmall' },
    { name: 'different 512e setting', s: { b: vol(TGT, { enable512e: false }) }, reason: 'BlockSizeMismatch' },
    { name: 'written read/write target under RequireUnused', s: { b: vol(TGT, { lastAccessTime: '2026-02-02T00:00:00Z' }) }, reason: 'TargetInUse' },
    { name: 'source paired elsewhere', s: { a: vol(SRC, { volumePairs: [vpair(CP.A, 999, 'Active', { uuid: OTHER_UUID })] }) }, reason: 'VolumeAlreadyPaired' },
    { name: 'target paired elsewhere', s: { b: target({ volumePairs: [vpair(CP.B, 777, 'Active', { uuid: OTHER_UUID })] }) }, reason: 'VolumeAlreadyPaired' },
    { name: 'a pending pair nobody explains', s: { a: vol(SRC, { volumePairs: [pending(OTHER_UUID)] }) }, reason: 'UnexplainedPendingPair' },
    { name: 'a stopped pair of another pairing', s: { a: vol(SRC, { volumePairs: [vpair(CP.A, 999, 'StoppedMisconfigured', { uuid: OTHER_UUID })] }) }, reason: 'UnexplainedPendingPair' },
    { name: 'a half linking our volumes on another cluster pair', s: { a: vol(SRC, { volumePairs: [vpair(54, TGT, 'StoppedMisconfigured', { uuid: OTHER_UUID })] }), b: target() }, reason: 'UnexplainedPendingPair' },
    { name: 'a source that is a replication target', s: { a: vol(SRC, { access: 'replicationTarget' }) }, reason: 'InvalidSpec' },
    { name: 'smaller target even with our pending pair and key', s: { ...withIntent, key: true, a: vol(SRC, { volumePairs: [pending()] }), b: target({ totalSize: 1024 }) }, reason: 'TargetTooSmall' },
  ];
  it.each(rows)('$name → Stalled $reason, no step', ({ s, reason }) => {
    const plan = planVolumePair(scenario(s));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason });
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason });
    expect(plan.requeue).toBe('poll');
    expect(allEvents(plan)).toEqual([expect.objectContaining({ type: 'Warning', reason })]);
  });

  it.each([
    ['Overwrite accepts a written target where the ClusterPair allows it', { spec: { targetPolicy: 'Overwrite' as const }, cp: { volumePairPolicy: { adoptExisting: true, allowOverwrite: true } }, b: vol(TGT, { lastAccessTime: '2026-02-02T00:00:00Z' }) }],
    ['a written volume that is already a replication target is accepted', { b: target({ lastAccessTime: '2026-02-02T00:00:00Z' }) }],
    ['a larger target is accepted', { b: vol(TGT, { totalSize: 4 * 1024 ** 3 }) }],
  ])('%s', (_name, s) => {
    expect(planVolumePair(scenario(s)).step.kind).toBe('writeIntent');
  });

  it('does not repeat the Warning event while the same reason stays', () => {
    const first = planVolumePair(scenario({ b: vol(TGT, { totalSize: 1 }) }));
    const again = planVolumePair(scenario({ b: vol(TGT, { totalSize: 1 }), status: first.status }));
    expect(allEvents(again)).toEqual([]);
    const lt = condition(first, 'Stalled') as { lastTransitionTime?: string } | undefined;
    expect((condition(again, 'Stalled') as { lastTransitionTime?: string } | undefined)?.lastTransitionTime).toBe(lt?.lastTransitionTime);
  });
});

describe('leftovers: removed only when provably ours', () => {
  const rows: { name: string; s: Scenario; step: Record<string, unknown> }[] = [
    { name: 'source half linked to our target on our cluster pair (target removed its half)', s: { a: vol(SRC, { volumePairs: [vpair(CP.A, TGT, 'StoppedMisconfigured')] }), b: target() }, step: { kind: 'removeVolumePair', side: 'A', volumeID: SRC, why: 'leftover' } },
    { name: 'target half linked to our source (source removed its half)', s: { b: target({ volumePairs: [vpair(CP.B, SRC, 'StoppedMisconfigured')] }) }, step: { kind: 'removeVolumePair', side: 'B', volumeID: TGT, why: 'leftover' } },
    { name: 'both halves linked but from different pairings: source first', s: { a: vol(SRC, { volumePairs: [vpair(CP.A, TGT, 'Active')] }), b: target({ volumePairs: [vpair(CP.B, SRC, 'Active', { uuid: OTHER_UUID })] }) }, step: { kind: 'removeVolumePair', side: 'A' } },
    { name: 'approved pending pair', s: { ...approvedIncident('A', SRC), a: vol(SRC, { volumePairs: [pending(OTHER_UUID)] }) }, step: { kind: 'removeVolumePair', side: 'A', volumePairUUID: OTHER_UUID, why: 'approved' } },
    { name: 'approved stopped pair of another pairing', s: { ...approvedIncident('A', SRC), a: vol(SRC, { volumePairs: [vpair(CP.A, 999, 'StoppedMisconfigured', { uuid: OTHER_UUID })] }) }, step: { kind: 'removeVolumePair', why: 'approved' } },
    { name: 'a half from a replaced cluster pair with allow-repair', s: { cp: { allowRepair: true }, a: vol(SRC, { volumePairs: [vpair(54, TGT, 'PausedDisconnected', { uuid: OTHER_UUID })] }), b: target() }, step: { kind: 'removeVolumePair', side: 'A', why: 'repair' } },
  ];
  it.each(rows)('$name', ({ s, step }) => {
    const plan = planVolumePair(scenario(s));
    expect(plan.step).toMatchObject(step);
  });

  it('never removes an active pair elsewhere, even when its UUID is in the approval annotation', () => {
    const plan = planVolumePair(scenario({
      vp: { annotations: { 'elementrepl.io/remove-pending-pair': OTHER_UUID } },
      a: vol(SRC, { volumePairs: [vpair(CP.A, 999, 'Active', { uuid: OTHER_UUID })] }),
    }));
    expect(plan.step.kind).toBe('none');
    expect(condition(plan, 'Stalled')?.reason).toBe('VolumeAlreadyPaired');
  });

  it.each<[string, Scenario]>([
    ['a completion seen half-way (pending on source, completed on target)', { ...withIntent, key: true, a: vol(SRC, { volumePairs: [pending()] }), b: target({ volumePairs: [vpair(CP.B, SRC, 'PausedMisconfigured')] }) }],
    ['unknown clusterPairIDs', { cp: { clusterPairIDs: undefined }, a: vol(SRC, { volumePairs: [vpair(CP.A, TGT, 'StoppedMisconfigured')] }) }],
    ['observing only', { spec: { managementPolicy: 'Observe' }, a: vol(SRC, { volumePairs: [vpair(CP.A, TGT, 'StoppedMisconfigured')] }) }],
    ['cluster pair disconnected', { cp: { connected: false }, a: vol(SRC, { volumePairs: [vpair(CP.A, TGT, 'StoppedMisconfigured')] }) }],
  ])('waits without touching Element: %s', (_name, s) => {
    const plan = planVolumePair(scenario(s));
    expect(plan.step).toEqual({ kind: 'none' });
  });
});

describe('approvals name the incident: <side>:<volumeID>:<token>', () => {
  it('an unexplained pending pair records an incident and prints the approval that removes it', () => {
    const plan = planVolumePair(scenario({ status: ownedStatus, a: vol(SRC, { volumePairs: [pending(OTHER_UUID)] }) }));
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'UnexplainedPendingPair' });
    const incident = plan.status.incident;
    expect(incident).toMatchObject({ reason: 'UnexplainedPendingPair', side: 'A', id: SRC });
    expect(condition(plan, 'Stalled')?.message).toContain(`elementrepl.io/remove-pending-pair: "A:${SRC}:${incident?.token ?? ''}"`);
  });

  it.each([
    ['a bare UUID (the old form)', OTHER_UUID],
    ['another token', `A:${SRC}:deadbeef`],
    ['the other side', `B:${SRC}:${TOKEN}`],
  ])('%s approves nothing', (_name, value) => {
    const s = approvedIncident('A', SRC);
    const plan = planVolumePair(scenario({ ...s, vp: { annotations: { 'elementrepl.io/remove-pending-pair': value } }, a: vol(SRC, { volumePairs: [pending(OTHER_UUID)] }) }));
    expect(plan.step.kind).toBe('none');
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'UnexplainedPendingPair' });
  });

  it('a pending pair on the other cluster with the same volume ID is not ours (the intent names a side)', () => {
    // Volume IDs are per cluster: 158 exists on both sides here.
    const plan = planVolumePair(scenario({
      status: { ...ownedStatus, pairing: intentA },
      spec: { sideB: { volumeID: SRC } },
      b: vol(SRC, { access: 'replicationTarget', volumePairs: [pending(OTHER_UUID)] }),
      a: vol(SRC),
    }));
    expect(plan.step.kind).not.toBe('removeVolumePair');
  });
});

describe('a manual cutover is respected (ResyncRequired)', () => {
  const cutover: Scenario = {
    // The admin removed the pair on B and made B writable; A still shows its half naming B's volume.
    status: { ...ownedStatus, volumePairUUID: UUID },
    a: vol(SRC, { volumePairs: [vpair(CP.A, TGT, 'StoppedMisconfigured')] }),
    b: vol(TGT, { access: 'readWrite', lastAccessTime: '2026-02-02T00:00:00Z' }),
  };

  it.each([
    ['RequireUnused', {}],
    ['Overwrite, even where the ClusterPair allows it', { spec: { targetPolicy: 'Overwrite' as const }, cp: { volumePairPolicy: { adoptExisting: true, allowOverwrite: true } } }],
    ['a target without I/O yet', { b: vol(TGT, { access: 'readWrite' }) }],
    ['evidence only on Element (status lost)', { status: ownedStatus }],
  ])('%s: stalls with the volume and a token, no step', (_name, over) => {
    const plan = planVolumePair(scenario({ ...cutover, ...over }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'ResyncRequired' });
    const incident = plan.status.incident;
    expect(incident).toMatchObject({ reason: 'ResyncRequired', side: 'B', id: TGT });
    expect(condition(plan, 'Stalled')?.message).toContain(`elementrepl.io/approve-resync: "B:${TGT}:${incident?.token ?? ''}"`);
  });

  it('keeps the token while the incident lasts, and a wrong or stale approval does nothing', () => {
    const first = planVolumePair(scenario(cutover));
    const token = first.status.incident?.token ?? '';
    for (const value of [`B:${TGT}:00000000`, `A:${SRC}:${token}`, UUID]) {
      const again = planVolumePair(scenario({ ...cutover, status: first.status, vp: { annotations: { 'elementrepl.io/approve-resync': value } } }));
      expect(again.step.kind).toBe('none');
      expect(again.status.incident?.token).toBe(token);
    }
  });

  it('the right approval: remove the leftover, then pair again, the approval kept until the target is a replicationTarget', () => {
    const first = planVolumePair(scenario(cutover));
    const approval = { vp: { annotations: { 'elementrepl.io/approve-resync': `B:${TGT}:${first.status.incident?.token ?? ''}` } } };
    const removing = planVolumePair(scenario({ ...cutover, ...approval, status: first.status }));
    expect(removing.step).toMatchObject({ kind: 'removeVolumePair', side: 'A' });
    expect(removing.status.incident?.approvedAt).toBe(NOW);
    // Leftover gone; the target is still writable and was written to: the approval lets the pairing overwrite it.
    const clean = planVolumePair(scenario({ ...cutover, ...approval, status: removing.status, a: vol(SRC) }));
    expect(clean.step.kind).toBe('writeIntent');
    const access = planVolumePair(scenario({ ...cutover, ...approval, status: clean.status, a: vol(SRC) }));
    expect(access.step).toMatchObject({ kind: 'modifyVolumeAccess', side: 'B', access: 'replicationTarget' });
  });
});

describe('a target we made a replicationTarget gets its access back when the pairing stalls', () => {
  it('restores the recorded access before reporting the stall', () => {
    const intent = { ...intentA, targetVolumeID: TGT, previousAccess: 'readWrite' };
    // The source got paired elsewhere after we prepared the target.
    const plan = planVolumePair(scenario({
      status: { ...ownedStatus, pairing: intent },
      a: vol(SRC, { volumePairs: [vpair(CP.A, 999, 'Active', { uuid: OTHER_UUID })] }),
      b: target(),
    }));
    expect(plan.step).toEqual({ kind: 'modifyVolumeAccess', side: 'B', volumeID: TGT, access: 'readWrite' });
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'VolumeAlreadyPaired' });
  });
});

describe('tenancy (DESIGN §10)', () => {
  const accounts = (accountsA: number[], accountsB: number[]) => ({ cp: { namespaceAccounts: [{ namespace: 'db', accountsA, accountsB }] } });

  it('a volume of an account the namespace may not use: AccountNotAllowed, nothing recorded as owned', () => {
    const plan = planVolumePair(scenario({ ...accounts([1], [2]) }));
    expect(plan.step.kind).toBe('none');
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'AccountNotAllowed' });
    expect(plan.status.sideA).toBeUndefined();
  });

  it('a namespace not listed in namespaceAccounts may name no volume', () => {
    const plan = planVolumePair(scenario({ cp: { namespaceAccounts: [{ namespace: 'apps', accountsA: [1], accountsB: [1] }] } }));
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'AccountNotAllowed' });
  });

  it('its own accounts: pairing goes on', () => {
    expect(planVolumePair(scenario(accounts([1], [1]))).step.kind).toBe('writeIntent');
  });

  it('allowedNamespaces: [] allows no namespace; absent allows all', () => {
    expect(condition(planVolumePair(scenario({ cp: { allowedNamespaces: [] } })), 'Stalled')).toMatchObject({ status: 'True', reason: 'NamespaceNotAllowed' });
    expect(planVolumePair(scenario({})).step.kind).toBe('writeIntent');
  });

  it('a VolumePair that owns its pair keeps it when its namespace loses the grant: observed only', () => {
    const plan = planVolumePair(scenario({ ...pairedVolumesOwned(), cp: { allowedNamespaces: [] }, spec: { mode: 'Sync' } }));
    expect(plan.step.kind).toBe('none');
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'False' });
    expect(condition(plan, 'UpToDate')).toMatchObject({ status: 'False', reason: 'Drifted' });
  });

  it('Overwrite is off for new pairings unless the ClusterPair allows it', () => {
    const plan = planVolumePair(scenario({ spec: { targetPolicy: 'Overwrite' }, b: vol(TGT, { lastAccessTime: '2026-02-02T00:00:00Z' }) }));
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'TargetInUse' });
    expect(condition(plan, 'Stalled')?.message).toContain('allowOverwrite');
  });

  it('adoptExisting: false refuses to adopt a pair it did not make', () => {
    const plan = planVolumePair(scenario({ ...pairedVolumes(), status: ownedStatus, cp: { volumePairPolicy: { adoptExisting: false, allowOverwrite: false } } }));
    expect(plan.step.kind).toBe('none');
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'AdoptionNotAllowed' });
  });

  it('an unowned claim by a namespace that may not name the volume\'s account does not count', () => {
    const cp = { namespaceAccounts: [{ namespace: 'db', accountsA: [1], accountsB: [1] }, { namespace: 'other', accountsA: [9], accountsB: [9] }] };
    const squat = { key: 'other/squat', creationTimestamp: '2020-01-01T00:00:00Z', elementCluster: 'dc2', volumeID: TGT, owned: false, allowed: true };
    expect(planVolumePair(scenario({ cp, claims: [squat] })).step.kind).toBe('writeIntent');
  });

  it('claims from a namespace the ClusterPair does not allow do not count, unless owned', () => {
    const squat = { key: 'other/squat', creationTimestamp: '2020-01-01T00:00:00Z', elementCluster: 'dc2', volumeID: TGT, owned: false, allowed: false };
    expect(planVolumePair(scenario({ claims: [squat] })).step.kind).toBe('writeIntent');
    expect(condition(planVolumePair(scenario({ claims: [{ ...squat, owned: true }] })), 'Stalled')).toMatchObject({ status: 'True', reason: 'Conflict' });
  });
});

function pairedVolumesOwned(): Scenario {
  return { ...pairedVolumes(), status: { ...ownedStatus, volumePairUUID: UUID } };
}

describe('volumePairs: null is unknown, not unpaired', () => {
  it('nothing is started on a volume Element listed with volumePairs null', () => {
    const plan = planVolumePair(scenario({ b: vol(TGT, { volumePairs: null, volumePairsUnknown: true }) }));
    expect(plan.step.kind).toBe('none');
    expect(condition(plan, 'Ready')?.message).toContain('volumePairs: null');
  });

  it('deletion keeps the finalizer until Element says which pairs the volume has', () => {
    const plan = planVolumePair(scenario({
      status: { ...ownedStatus, volumePairUUID: UUID },
      vp: { deleting: true },
      a: vol(SRC, { volumePairs: null, volumePairsUnknown: true }),
      b: vol(TGT, { access: 'replicationTarget' }),
    }));
    expect(plan.step.kind).toBe('none');
    expect(plan.requeue).toBe('soon');
  });
});
