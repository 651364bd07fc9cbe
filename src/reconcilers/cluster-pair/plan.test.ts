import { allEvents } from '../shell/plan.ts';
import { describe, expect, it } from 'vitest';
import { planClusterPair } from './plan.ts';
import {
  NOW,
  OTHER_UUID,
  UUID,
  clusterA,
  clusterB,
  clusterC,
  condition,
  half,
  input,
  inputWith,
  intent,
  paired,
  pending,
  volume,
  available,
} from './plan-fixtures.ts';

describe('pairing from scratch and every crash point (Manage)', () => {
  it.each([
    {
      name: 'nothing yet: write the intent first, marking the highest ID on A',
      given: input({ a: [half(3, OTHER_UUID, clusterC)] }),
      step: { kind: 'writeIntent', intent: { phase: 'Starting', startedAt: NOW, highestPairIDOnA: 3 } },
    },
    {
      name: 'after the intent (or a crash right after it): Start',
      given: inputWith({ a: [half(3, OTHER_UUID, clusterC)] }, { status: { pairing: intent(3) } }),
      step: { kind: 'startPairing' },
    },
    {
      name: 'after Start without the key stored (crash, or the response was dropped): remove our pending pair',
      given: inputWith({ a: [half(3, OTHER_UUID, clusterC), pending(4, UUID)] }, { status: { pairing: intent(3) } }),
      step: { kind: 'removePendingPair', side: 'A', clusterPairID: 4, attribution: 'ours' },
    },
    {
      name: 'after the key Secret: Complete with it',
      given: inputWith({ a: [pending(4, UUID)] }, { status: { pairing: intent(3) } }, { keySecret: { clusterPairUUID: UUID, clusterPairIDOnA: 4 } }),
      step: { kind: 'completePairing', clusterPairUUID: UUID },
    },
    {
      name: 'the key Secret but its pending pair is gone: discard the key',
      given: inputWith({}, { status: { pairing: intent(3) } }, { keySecret: { clusterPairUUID: UUID, clusterPairIDOnA: 4 } }),
      step: { kind: 'deleteKeySecret' },
    },
    {
      name: 'after Complete (or its dropped response): both sides list it, delete the key',
      given: inputWith({ a: [half(4, UUID, clusterB, 'Connecting')], b: [half(9, UUID, clusterA, 'Connecting')] }, { status: { pairing: intent(3) } }, {
        keySecret: { clusterPairUUID: UUID, clusterPairIDOnA: 4 },
      }),
      step: { kind: 'deleteKeySecret' },
    },
    {
      name: 'after the key went: clear the intent',
      given: inputWith(paired(), { status: { pairing: intent(3), clusterPairUUID: UUID } }),
      step: { kind: 'clearIntent' },
    },
    {
      name: 'paired, verified, intent cleared: nothing to do',
      given: inputWith(paired(), { status: { clusterPairUUID: UUID } }),
      step: { kind: 'none' },
    },
  ])('$name', ({ given, step }) => {
    expect(planClusterPair(given).step).toEqual(step);
  });

  it('records the intent in the status it writes, and keeps it while starting', () => {
    const first = planClusterPair(input());
    expect(first.status.pairing).toEqual({ phase: 'Starting', startedAt: NOW, highestPairIDOnA: 0 });
    expect(condition(first, 'Ready')).toMatchObject({ status: 'False', reason: 'Pairing' });
    const second = planClusterPair(inputWith({}, { status: { pairing: intent(0) } }));
    expect(second.status.pairing).toEqual(intent(0));
  });

  it('announces a pair it created as Paired (not Adopted), even when the UUID reached the status late', () => {
    const afterKeyGone = planClusterPair(inputWith({ a: [half(4, UUID, clusterB)], b: [half(9, UUID, clusterA)] }, { status: { pairing: intent(3) } }));
    expect(afterKeyGone.step).toEqual({ kind: 'clearIntent' });
    expect(allEvents(afterKeyGone).map((e) => e.reason)).toEqual(['Paired']);
    expect(afterKeyGone.status.clusterPairUUID).toBe(UUID);
    expect(afterKeyGone.status.pairing).toBeUndefined();
  });

  it('removes a leftover pending pair of ours before clearing the intent', () => {
    const plan = planClusterPair(inputWith({ a: [half(5, UUID, clusterB), pending(4, OTHER_UUID)], b: [half(9, UUID, clusterA)] }, { status: { pairing: intent(3), clusterPairUUID: UUID } }));
    expect(plan.step).toEqual({ kind: 'removePendingPair', side: 'A', clusterPairID: 4, attribution: 'ours' });
    expect(allEvents(plan).map((e) => e.reason)).toEqual(['PendingPairRemoved']);
  });
});

describe('a healthy or connecting pair', () => {
  it('is Ready with both IDs, latency and the UUID, polled at the poll interval', () => {
    const plan = planClusterPair(inputWith(paired(), { status: { clusterPairUUID: UUID } }));
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'True', reason: 'Paired' });
    expect(condition(plan, 'UpToDate').status).toBe('True');
    expect(plan.status).toMatchObject({
      observedGeneration: 3,
      clusterPairUUID: UUID,
      connectionStatus: 'Connected',
      sideA: { clusterPairID: 55, status: 'Connected', latencyMs: 1, remoteClusterName: 'DR', remoteMVIP: '127.0.0.1:4432', remoteVersion: '12.3.0.5' },
      sideB: { clusterPairID: 61, status: 'Connected', latencyMs: 1, remoteClusterName: 'PROD' },
    });
    expect(allEvents(plan)).toEqual([]);
    expect(plan.requeue).toBe('poll');
  });

  it('while Connecting: not Ready, looked at again within seconds', () => {
    const plan = planClusterPair(inputWith(paired('Connecting'), { status: { clusterPairUUID: UUID } }));
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'Connecting' });
    expect(plan.requeue).toBe('soon');
  });

  it.each([
    ['Connected', 'Disconnected', 'Disconnected'],
    ['Misconfigured', 'Connecting', 'Misconfigured'],
    ['Connecting', 'Connected', 'Connecting'],
    ['Connected', 'SomethingNew', 'Unknown'],
  ])('A %s and B %s report %s', (sa, sb, worse) => {
    const plan = planClusterPair(inputWith({ a: [half(55, UUID, clusterB, sa)], b: [half(61, UUID, clusterA, sb)] }, { status: { clusterPairUUID: UUID } }));
    expect(plan.status.connectionStatus).toBe(worse);
  });

  it('a Disconnected side makes the pair not Ready (Disconnected)', () => {
    const plan = planClusterPair(inputWith({ a: [half(55, UUID, clusterB, 'Disconnected')], b: [half(61, UUID, clusterA)] }, { status: { clusterPairUUID: UUID } }));
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'Disconnected' });
    expect(plan.step).toEqual({ kind: 'none' });
  });

  it('adopts a hand-made pair with an Event the first time only', () => {
    const first = planClusterPair(input(paired()));
    expect(first.step).toEqual({ kind: 'none' });
    expect(first.status.clusterPairUUID).toBe(UUID);
    expect(allEvents(first)).toEqual([expect.objectContaining({ type: 'Normal', reason: 'Adopted' })]);
    expect(allEvents(planClusterPair(inputWith(paired(), { status: { clusterPairUUID: UUID } })))).toEqual([]);
  });

  it('keeps to its recorded pair when a decoy with the same MVIP and another UUID is listed', () => {
    const decoy = { ...half(70, OTHER_UUID, clusterB), clusterUUID: '' };
    const plan = planClusterPair(inputWith({ a: [decoy, ...paired().a!], b: paired().b }, { status: { clusterPairUUID: UUID } }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(plan.status.sideA?.clusterPairID).toBe(55);
  });
});

describe('pre-flight before any Start', () => {
  it('SameCluster: both refs reach one cluster, nothing is started', () => {
    const plan = planClusterPair(input({}, { clusterB: { ...clusterB, uniqueID: 'wcwb' } }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'SameCluster' });
    expect(condition(plan, 'Ready').reason).toBe('SameCluster');
  });

  it.each([
    ['10.3.0.1', '12.5.0.897', true],
    ['11.8.0.1', '12.5.0.897', false],
  ])('VersionSkew between %s and %s: %s', (va, vb, skew) => {
    const plan = planClusterPair(input({}, { clusterA: { ...clusterA, version: va }, clusterB: { ...clusterB, version: vb } }));
    expect(plan.step.kind).toBe(skew ? 'none' : 'writeIntent');
    if (skew) expect(condition(plan, 'Stalled').reason).toBe('VersionSkew');
  });

  it.each(['A', 'B'] as const)('PairLimitReached when %s already has 4 pairs', (side) => {
    const four = [1, 2, 3, 4].map((id) => half(id, `0000000${id}-0000-4000-8000-000000000000`, clusterC));
    const plan = planClusterPair(input(side === 'A' ? { a: four } : { b: four }));
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'PairLimitReached' });
  });

  it('drops the intent of an attempt that is stalled', () => {
    const four = [1, 2, 3, 4].map((id) => half(id, `0000000${id}-0000-4000-8000-000000000000`, clusterC));
    const plan = planClusterPair(inputWith({ a: four }, { status: { pairing: intent(4) } }));
    expect(plan.step).toEqual({ kind: 'clearIntent' });
    expect(plan.status.pairing).toBeUndefined();
  });
});

describe('pending pairs nothing explains', () => {
  const strayOnA = { a: [pending(7, OTHER_UUID)] };
  const approve = (value: string) => ({ annotations: { 'elementrepl.io/remove-pending-pair': value } });

  it('are reported with their IDs and the exact approval, recorded as an incident in status, and block pairing', () => {
    const plan = planClusterPair(input(strayOnA));
    expect(plan.step).toEqual({ kind: 'none' });
    const incident = plan.status.incident;
    expect(incident).toMatchObject({ reason: 'UnexplainedPendingPair', side: 'A', id: 7, since: NOW, token: expect.stringMatching(/^[0-9a-f]{8}$/) });
    const stalled = condition(plan, 'Stalled');
    expect(stalled).toMatchObject({ status: 'True', reason: 'UnexplainedPendingPair' });
    expect(stalled.message).toContain('ID 7');
    expect(stalled.message).toContain(`elementrepl.io/remove-pending-pair: "A:7:${incident?.token}"`);
  });

  it('keeps the token of the incident while it lasts', () => {
    const first = planClusterPair(input(strayOnA)).status.incident;
    const later = planClusterPair(inputWith(strayOnA, { status: { incident: first } }, { now: '2026-11-27T13:00:00Z' }));
    expect(later.status.incident).toEqual(first);
  });

  it('a new incident gets a new token: another ClusterPair, or the same ID seen again later', () => {
    const first = planClusterPair(input(strayOnA)).status.incident;
    expect(planClusterPair(inputWith(strayOnA, { uid: 'another-uid' })).status.incident?.token).not.toBe(first?.token);
    expect(planClusterPair(input(strayOnA, { now: '2026-11-28T12:00:00Z' })).status.incident?.token).not.toBe(first?.token);
  });

  it('a pending pair at or below the intent mark is not ours either', () => {
    const plan = planClusterPair(inputWith({ a: [pending(7, OTHER_UUID)] }, { status: { pairing: intent(7) } }));
    expect(condition(plan, 'Stalled').reason).toBe('UnexplainedPendingPair');
  });

  it('a one-sided half naming the other cluster, never recorded, is reported too (A or B)', () => {
    expect(condition(planClusterPair(input({ a: [half(8, OTHER_UUID, clusterB, 'Misconfigured')] })), 'Stalled').message).toContain('ID 8');
    const onB = planClusterPair(input({ b: [half(9, OTHER_UUID, clusterA, 'Misconfigured')] }));
    const token = onB.status.incident?.token;
    expect(condition(onB, 'Stalled').message).toContain('ID 9 on B (dc2)');
    expect(condition(onB, 'Stalled').message).toContain(`elementrepl.io/remove-pending-pair: "B:9:${token}"`);
    const approved = planClusterPair(inputWith({ b: [half(9, OTHER_UUID, clusterA, 'Misconfigured')] }, { ...approve(`A:3:${token}, B:9:${token}`), status: { incident: onB.status.incident } }));
    expect(approved.step).toEqual({ kind: 'removePendingPair', side: 'B', clusterPairID: 9, attribution: 'approved' });
  });

  it('is removed only when the annotation names its side, ID and token', () => {
    const incident = planClusterPair(input(strayOnA)).status.incident;
    const approved = planClusterPair(inputWith(strayOnA, { ...approve(`A:7:${incident?.token}`), status: { incident } }));
    expect(approved.step).toEqual({ kind: 'removePendingPair', side: 'A', clusterPairID: 7, attribution: 'approved' });
    expect(allEvents(approved)[0]).toMatchObject({ reason: 'PendingPairRemoved' });
    for (const value of ['7', `B:7:${incident?.token}`, `A:8:${incident?.token}`, 'A:7:0badc0de']) {
      expect(planClusterPair(inputWith(strayOnA, { ...approve(value), status: { incident } })).step).toEqual({ kind: 'none' });
    }
  });

  it('an approval left in Git does nothing for the next stray with the same ID', () => {
    const old = planClusterPair(input(strayOnA)).status.incident;
    // The approved stray was removed (the incident went with it); a new one with the same ID appears later.
    const next = planClusterPair(inputWith(strayOnA, approve(`A:7:${old?.token}`), { now: '2026-11-29T08:00:00Z' }));
    expect(next.step).toEqual({ kind: 'none' });
    expect(next.status.incident?.token).not.toBe(old?.token);
  });

  it('the incident goes when nothing is in the way any more', () => {
    const incident = planClusterPair(input(strayOnA)).status.incident;
    const plan = planClusterPair(inputWith({}, { status: { incident } }));
    expect(plan.step.kind).toBe('writeIntent');
    expect(plan.status.incident).toBeUndefined();
  });

  it('leaves pending pairs another ClusterPair holds the key of, and pairs with third clusters', () => {
    const plan = planClusterPair(input({ a: [pending(7, OTHER_UUID), half(3, UUID, clusterC)] }, { pendingOwnedElsewhere: { A: [7], B: [] } }));
    expect(plan.step.kind).toBe('writeIntent');
  });

  it('does not claim a pair above the mark that another pairing completed on A with a third cluster', () => {
    const plan = planClusterPair(inputWith({ a: [half(5, OTHER_UUID, clusterC)] }, { status: { pairing: intent(3) } }));
    expect(plan.step).toEqual({ kind: 'startPairing' });
  });

  it('ignores pending pairs on B (we never start there)', () => {
    expect(planClusterPair(input({ b: [pending(7, OTHER_UUID)] })).step.kind).toBe('writeIntent');
  });
});

describe('one side removed the pair', () => {
  const onlyOnA = { a: [half(55, UUID, clusterB, 'Misconfigured')], b: [] };
  const recorded = { status: { clusterPairUUID: UUID, sideA: { clusterPairID: 55, status: 'Connected' }, sideB: { clusterPairID: 61, status: 'Connected' } } };

  it('removes our half and says so', () => {
    const plan = planClusterPair(inputWith(onlyOnA, recorded));
    expect(plan.step).toEqual({ kind: 'removeHalf', side: 'A', clusterPairID: 55 });
    expect(allEvents(plan)).toEqual([expect.objectContaining({ reason: 'Repaired' })]);
    expect(condition(plan, 'UpToDate').reason).toBe('Drifted');
  });

  it('works the same when A removed it and B keeps its half', () => {
    const plan = planClusterPair(inputWith({ a: [], b: [half(61, UUID, clusterA, 'Misconfigured')] }, recorded));
    expect(plan.step).toEqual({ kind: 'removeHalf', side: 'B', clusterPairID: 61 });
  });

  it('with volume pairs on it: Degraded listing the volumes, until allow-repair', () => {
    const volumes = { volumesOnA: available([volume(158, 55, 'test')]), volumesOnB: available([volume(260, 61, 'testr')]) };
    const held = planClusterPair(inputWith(onlyOnA, recorded, volumes));
    expect(held.step).toEqual({ kind: 'none' });
    const degraded = condition(held, 'Degraded');
    expect(degraded).toMatchObject({ status: 'True', reason: 'RepairRequired' });
    expect(degraded.message).toContain('158 (test)');
    expect(degraded.message).toContain('260 (testr)');
    const allowed = planClusterPair(inputWith(onlyOnA, { ...recorded, annotations: { 'elementrepl.io/allow-repair': 'true' } }, volumes));
    expect(allowed.step).toEqual({ kind: 'removeHalf', side: 'A', clusterPairID: 55 });
  });

  it('waits when the volume pairs cannot be listed', () => {
    const plan = planClusterPair(inputWith(onlyOnA, recorded, { volumesOnA: { available: false, reason: 'timeout' } }));
    expect(plan.step).toEqual({ kind: 'none' });
  });

  it('after our half is gone, pairs again from scratch', () => {
    expect(planClusterPair(inputWith({}, recorded)).step.kind).toBe('writeIntent');
  });
});
