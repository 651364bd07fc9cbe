import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Condition, getCondition, isTrue, removeCondition, setCondition, type ConditionInput } from './conditions.ts';

const t0 = new Date('2025-01-02T03:04:05.678Z');
const t1 = new Date('2025-01-02T04:00:00.000Z');

const ready = (status: ConditionInput['status'], reason: ConditionInput['reason'], message = ''): ConditionInput => ({
  type: 'Ready',
  status,
  reason,
  message,
});

describe('setCondition', () => {
  test('adds a new condition with lastTransitionTime in second precision and the generation', () => {
    const result = setCondition(undefined, ready('False', 'Pairing', 'starting'), 4, t0);

    expect(result).toEqual([
      {
        type: 'Ready',
        status: 'False',
        observedGeneration: 4,
        lastTransitionTime: '2025-01-02T03:04:05Z',
        reason: 'Pairing',
        message: 'starting',
      },
    ]);
    expect(Condition.safeParse(result[0]).success).toBe(true);
  });

  test('keeps lastTransitionTime when only reason, message or generation change', () => {
    const first = setCondition([], ready('False', 'Pairing'), 1, t0);

    const second = setCondition(first, ready('False', 'ClusterNotReady', 'dc2 is down'), 2, t1);

    expect(second).toEqual([
      {
        type: 'Ready',
        status: 'False',
        observedGeneration: 2,
        lastTransitionTime: '2025-01-02T03:04:05Z',
        reason: 'ClusterNotReady',
        message: 'dc2 is down',
      },
    ]);
  });

  test('moves lastTransitionTime when the status changes', () => {
    const first = setCondition([], ready('False', 'Pairing'), 1, t0);

    const second = setCondition(first, ready('True', 'Paired'), 1, t1);

    expect(second[0]?.lastTransitionTime).toBe('2025-01-02T04:00:00Z');
    expect(second[0]?.status).toBe('True');
  });

  test('replaces in place and leaves other conditions and the input untouched', () => {
    const stalled = setCondition([], { type: 'Stalled', status: 'False', reason: 'NotStalled', message: '' }, 1, t0);
    const both = setCondition(stalled, ready('False', 'Pairing'), 1, t0);
    const snapshot = structuredClone(both);

    const updated = setCondition(both, { type: 'Stalled', status: 'True', reason: 'SameCluster', message: 'x' }, 2, t1);

    expect(updated.map((c) => c.type)).toEqual(['Stalled', 'Ready']);
    expect(updated[1]).toBe(both[1]);
    expect(both).toEqual(snapshot);
  });

  test('omits observedGeneration when the generation is unknown', () => {
    const [condition] = setCondition([], ready('Unknown', 'Pairing'), undefined, t0);

    expect(condition).not.toHaveProperty('observedGeneration');
  });

  test('property: lastTransitionTime changes exactly when the status changes', () => {
    const status = fc.constantFrom('True' as const, 'False' as const, 'Unknown' as const);
    fc.assert(
      fc.property(fc.array(status, { minLength: 1, maxLength: 20 }), (statuses) => {
        let conditions: Condition[] = [];
        let previous: string | undefined;
        let expectedTime = '';
        statuses.forEach((s, i) => {
          const now = new Date(Date.UTC(2025, 0, 1, 0, 0, i));
          if (s !== previous) expectedTime = now.toISOString().replace('.000Z', 'Z');
          conditions = setCondition(conditions, ready(s, 'Pairing'), i, now);
          previous = s;
          expect(conditions).toHaveLength(1);
          expect(conditions[0]?.lastTransitionTime).toBe(expectedTime);
        });
      }),
    );
  });
});

describe('getCondition, isTrue, removeCondition', () => {
  const conditions = setCondition(
    setCondition([], ready('True', 'Active'), 1, t0),
    { type: 'Degraded', status: 'False', reason: 'NotDegraded', message: '' },
    1,
    t0,
  );

  test('find by type', () => {
    expect(getCondition(conditions, 'Degraded')?.reason).toBe('NotDegraded');
    expect(getCondition(conditions, 'Stalled')).toBeUndefined();
    expect(getCondition(undefined, 'Ready')).toBeUndefined();
  });

  test('isTrue only for status True', () => {
    expect(isTrue(conditions, 'Ready')).toBe(true);
    expect(isTrue(conditions, 'Degraded')).toBe(false);
    expect(isTrue(conditions, 'Stalled')).toBe(false);
    expect(isTrue(undefined, 'Ready')).toBe(false);
  });

  test('removeCondition drops only that type', () => {
    expect(removeCondition(conditions, 'Ready').map((c) => c.type)).toEqual(['Degraded']);
    expect(removeCondition(undefined, 'Ready')).toEqual([]);
  });
});
