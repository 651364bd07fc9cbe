import { allEvents } from '../shell/plan.ts';
import { describe, expect, it } from 'vitest';
import { condition, NOW, ownedStatus, pairedVolumes, scenario, TGT, UUID, vol } from './plan-fixtures.ts';
import type { Scenario } from './plan-fixtures.ts';
import type { Claim } from './plan-types.ts';
import { planVolumePair } from './plan.ts';

describe('gates: what must hold before a pair is created', () => {
  const rows: { name: string; s: Scenario; ready: string; stalled?: string; requeue: string }[] = [
    { name: 'ClusterPair not found', s: { cp: 'missing' }, ready: 'ClusterPairNotReady', requeue: 'poll' },
    { name: 'ClusterPair not paired', s: { cp: { paired: false, connected: false, clusterPairIDs: undefined } }, ready: 'ClusterPairNotReady', requeue: 'poll' },
    { name: 'ClusterPair paired but not connected', s: { cp: { connected: false } }, ready: 'ClusterPairNotReady', requeue: 'soon' },
    { name: 'a side unreachable', s: { b: 'unreachable' }, ready: 'ClusterPairNotReady', requeue: 'poll' },
    { name: 'namespace not allowed', s: { cp: { allowedNamespaces: ['apps'] } }, ready: 'NamespaceNotAllowed', stalled: 'NamespaceNotAllowed', requeue: 'poll' },
    { name: 'volume does not exist', s: { b: [] }, ready: 'InvalidSpec', stalled: 'InvalidSpec', requeue: 'poll' },
    { name: 'volume name matches two volumes in the account', s: { spec: { sideB: { volumeName: 'pg', accountID: 1 } }, b: [vol(TGT, { name: 'pg' }), vol(261, { name: 'pg' })] }, ready: 'InvalidSpec', stalled: 'InvalidSpec', requeue: 'poll' },
  ];
  it.each(rows)('$name → no step, Ready $ready', ({ s, ready, stalled, requeue }) => {
    const plan = planVolumePair(scenario(s));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: ready });
    expect(condition(plan, 'Stalled')).toMatchObject(stalled ? { status: 'True', reason: stalled } : { status: 'False' });
    expect(plan.requeue).toBe(requeue);
  });

  it('does not record volumes as owned while the namespace is not allowed', () => {
    const plan = planVolumePair(scenario({ cp: { allowedNamespaces: ['apps'] } }));
    expect(plan.status.sideA).toBeUndefined();
  });

  it('goes ahead in an allowed namespace', () => {
    expect(planVolumePair(scenario({ cp: { allowedNamespaces: ['apps', 'db'] } })).step.kind).toBe('writeIntent');
  });

  it('keeps status of an established pair while the ClusterPair is disconnected', () => {
    const plan = planVolumePair(scenario({ ...pairedVolumes('PausedDisconnected'), status: { ...ownedStatus, volumePairUUID: UUID }, cp: { connected: false } }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Degraded')?.reason).toBe('PausedDisconnected');
    expect(plan.status.volumePairUUID).toBe(UUID);
  });
});

describe('resolution', () => {
  it('resolves a name within its account, ignoring other accounts and deleted volumes', () => {
    const plan = planVolumePair(scenario({
      spec: { sideB: { volumeName: 'pg', accountID: 1 } },
      b: [vol(TGT, { name: 'pg' }), vol(300, { name: 'pg', accountID: 2 }), vol(301, { name: 'pg', status: 'deleted', deleteTime: NOW })],
    }));
    expect(plan.step.kind).toBe('writeIntent');
    expect(plan.status.sideB).toMatchObject({ volumeID: TGT, volumeName: 'pg' });
  });

  it('keeps the owned ID over the name once resolved (renamed volume)', () => {
    const plan = planVolumePair(scenario({
      spec: { sideB: { volumeName: 'pg', accountID: 1 } },
      status: ownedStatus,
      b: [vol(TGT, { name: 'renamed' }), vol(400, { name: 'pg' })],
    }));
    expect(plan.status.sideB?.volumeID).toBe(TGT);
  });
});

describe('claims: the first claimant keeps a volume', () => {
  const claim = (over: Partial<Claim>): Claim => ({
    key: 'db/other', creationTimestamp: '2026-01-15T00:00:00Z', elementCluster: 'dc2', volumeID: TGT, owned: false, allowed: true, ...over,
  });
  it.each([
    ['another VolumePair owns the volume', [claim({ owned: true, creationTimestamp: '2026-12-01T00:00:00Z' })], true],
    ['an older VolumePair names it', [claim({})], true],
    ['the same name and age: the key decides', [claim({ key: 'db/a', creationTimestamp: '2026-02-01T00:00:00Z' })], true],
    ['a newer VolumePair names it', [claim({ creationTimestamp: '2026-03-01T00:00:00Z' })], false],
    ['the same volume ID on another cluster', [claim({ elementCluster: 'dc9' })], false],
  ] as const)('%s', (_name, claims, conflict) => {
    const plan = planVolumePair(scenario({ claims }));
    if (conflict) {
      expect(plan.step).toEqual({ kind: 'none' });
      expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'Conflict' });
      expect(condition(plan, 'Stalled')?.message).toContain(claims[0].key);
    } else {
      expect(plan.step.kind).toBe('writeIntent');
    }
  });

  it('an owner keeps its volume against an older claimant that does not own it', () => {
    const plan = planVolumePair(scenario({ status: ownedStatus, claims: [claim({ creationTimestamp: '2020-01-01T00:00:00Z' })] }));
    expect(condition(plan, 'Stalled')?.status).toBe('False');
  });
});

describe('paused annotation', () => {
  it('takes no step and keeps the last observation', () => {
    const healthy = planVolumePair(scenario({ ...pairedVolumes(), status: ownedStatus }));
    const plan = planVolumePair(scenario({
      vp: { annotations: { 'elementrepl.io/paused': 'true' }, generation: 9 },
      spec: { mode: 'Sync' },
      status: healthy.status,
      a: 'unreachable',
    }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(allEvents(plan)).toEqual([]);
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'ReconcilePaused' });
    expect(condition(plan, 'UpToDate')).toEqual(condition(healthy, 'UpToDate'));
    expect(plan.status.volumePairUUID).toBe(UUID);
    expect(plan.status.observedGeneration).toBe(3);
  });

  it('also stops deletion', () => {
    const plan = planVolumePair(scenario({ vp: { annotations: { 'elementrepl.io/paused': 'true' }, deleting: true }, ...pairedVolumes(), status: ownedStatus }));
    expect(plan.step).toEqual({ kind: 'none' });
  });
});

describe('conditions', () => {
  it('carries observedGeneration and keeps lastTransitionTime while a status holds', () => {
    const first = planVolumePair(scenario({ ...pairedVolumes(), status: ownedStatus }));
    const later = planVolumePair({ ...scenario({ ...pairedVolumes(), status: first.status }), now: '2026-03-02T00:00:00Z' });
    const ready = later.status.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', observedGeneration: 3, lastTransitionTime: NOW });
    expect(later.status.conditions?.map((c) => c.type).sort()).toEqual(['Degraded', 'Ready', 'Reconciling', 'Stalled', 'UpToDate']);
  });

  it('is deterministic', () => {
    const s = scenario({ ...pairedVolumes('PausedQoS'), status: ownedStatus });
    expect(planVolumePair(s)).toEqual(planVolumePair(s));
  });

  it('never puts the target volume in status before it resolves', () => {
    const plan = planVolumePair(scenario({ b: [] }));
    expect(plan.status.sideA).toBeUndefined();
    expect(plan.status.sideB).toBeUndefined();
    expect(plan.status.pairing).toBeUndefined();
  });
});
