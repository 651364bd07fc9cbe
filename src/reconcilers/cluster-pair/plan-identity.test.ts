import { describe, expect, it } from 'vitest';
import { planClusterPair } from './plan.ts';
import { OTHER_UUID, UUID, clusterA, clusterB, condition, half, input, inputWith, intent } from './plan-fixtures.ts';
import type { ObservedClusterPair } from './plan-types.ts';

/** A half as an old Element lists it: clusterUUID an integer (as the client hands it on) or absent. */
const old = (pair: ObservedClusterPair, clusterUUID: string | undefined, mvip = pair.mvip): ObservedClusterPair => {
  const { clusterUUID: _dropped, ...rest } = pair;
  return { ...rest, ...(clusterUUID === undefined ? {} : { clusterUUID }), ...(mvip === undefined ? {} : { mvip }) };
};
const STARTS = ['writeIntent', 'startPairing', 'completePairing', 'removePendingPair', 'removeHalf'];

describe('a cluster that reports clusterUUID as an integer or not at all (DESIGN §3 step 2)', () => {
  it.each([['integer', '5487'], ['absent', undefined]])('%s: the pair we just completed is matched by the MVIP, not started again', (_form, clusterUUID) => {
    const plan = planClusterPair(
      inputWith({ a: [old(half(4, UUID, clusterB), clusterUUID)], b: [old(half(9, UUID, clusterA), clusterUUID === undefined ? undefined : '1234')] }, { status: { pairing: intent(3) } }),
    );
    expect(plan.step).toEqual({ kind: 'clearIntent' });
    expect(plan.status).toMatchObject({ clusterPairUUID: UUID, sideA: { clusterPairID: 4 }, sideB: { clusterPairID: 9 } });
  });

  it('adopts a hand-made pair by the MVIP as well', () => {
    const plan = planClusterPair(input({ a: [old(half(4, UUID, clusterB), '5487')], b: [old(half(9, UUID, clusterA), '1234')] }));
    expect(plan.status).toMatchObject({ clusterPairUUID: UUID });
    expect(condition(plan, 'Ready').status).toBe('True');
  });

  it('stalls, saying what Element reported, when neither the clusterUUID nor the MVIP identifies the other cluster', () => {
    const given = inputWith(
      { a: [old(half(4, UUID, clusterB), '5487', '10.9.9.9')], b: [old(half(9, UUID, clusterA), '1234', '10.9.9.8')] },
      { status: { pairing: intent(3) } },
    );
    const plan = planClusterPair(given);
    expect(STARTS).not.toContain(plan.step.kind);
    const stalled = condition(plan, 'Stalled');
    expect(stalled).toMatchObject({ status: 'True', reason: 'PairIdentityUnknown' });
    expect(stalled.message).toContain('ID 4 on A (dc1)');
    expect(stalled.message).toContain('clusterUUID 5487');
    expect(stalled.message).toContain('10.9.9.9');
    expect(plan.status.pairing).toEqual(intent(3));
  });

  it('stalls on a recorded pair whose halves it can no longer tell apart, instead of starting another', () => {
    const plan = planClusterPair(inputWith({ a: [old(half(4, UUID, clusterB), undefined, '10.9.9.9')] }, { status: { clusterPairUUID: UUID } }));
    expect(condition(plan, 'Stalled').reason).toBe('PairIdentityUnknown');
    expect(STARTS).not.toContain(plan.step.kind);
  });

  it('never starts while a pair on either side names no cluster at all (it could be ours)', () => {
    for (const scenario of [{ a: [old(half(4, OTHER_UUID, clusterB), undefined, '')] }, { b: [old(half(9, OTHER_UUID, clusterA), '0', '')] }]) {
      const plan = planClusterPair(input(scenario));
      expect(plan.step).toEqual({ kind: 'none' });
      expect(condition(plan, 'Stalled').reason).toBe('PairIdentityUnknown');
    }
  });

  it('drops a key it can no longer use while stalled (the key holds cluster credentials)', () => {
    const plan = planClusterPair(
      inputWith({ a: [old(half(4, UUID, clusterB), '5487', '10.9.9.9')], b: [old(half(9, UUID, clusterA), '1234', '10.9.9.8')] }, { status: { pairing: intent(3) } }, {
        keySecret: { clusterPairUUID: UUID, clusterPairIDOnA: 4 },
      }),
    );
    expect(plan.step).toEqual({ kind: 'deleteKeySecret' });
    expect(condition(plan, 'Stalled').reason).toBe('PairIdentityUnknown');
  });

  it('a reported uniqueID of another cluster still means another cluster (no stall, no match)', () => {
    const plan = planClusterPair(input({ a: [{ ...half(4, OTHER_UUID, clusterB), clusterUUID: 'zzzz' }] }));
    expect(plan.step.kind).toBe('writeIntent');
  });

  it('Observe reports the same finding and changes nothing', () => {
    const plan = planClusterPair(
      inputWith({ a: [old(half(4, UUID, clusterB), '5487', '10.9.9.9')], b: [old(half(9, UUID, clusterA), '1234', '10.9.9.8')] }, { managementPolicy: 'Observe' }),
    );
    expect(plan.step).toEqual({ kind: 'none' });
    expect(condition(plan, 'Stalled').reason).toBe('PairIdentityUnknown');
  });
});
