import { describe, expect, test } from 'vitest';
import { RESOURCES } from './group.ts';
import { StalledReason } from './conditions.ts';
import { kstatusReading, READY_REASON_KSTATUS, readyReasons, reconcilingCondition } from './kstatus.ts';

describe('READY_REASON_KSTATUS', () => {
  test.each(RESOURCES.map((r) => r.kind))('maps every Ready reason of %s to exactly one reading, and nothing else', (kind) => {
    const table: Record<string, string> = READY_REASON_KSTATUS[kind];

    const unmapped = readyReasons(kind).filter((reason) => !(reason in table));
    const strays = Object.keys(table).filter((reason) => !readyReasons(kind).includes(reason));

    expect(unmapped).toEqual([]);
    expect(strays).toEqual([]);
    for (const reading of Object.values(table)) expect(['Reconciling', 'Stalled', 'Current', 'Neither']).toContain(reading);
  });

  test('the pair kinds read every Stalled reason on Ready as Stalled', () => {
    const stalling = Object.values(StalledReason).filter((r) => r !== 'NotStalled' && r !== 'ReconcilePaused');
    for (const kind of ['ClusterPair', 'VolumePair'] as const) {
      for (const reason of stalling) expect(kstatusReading(kind, { status: 'False', reason }), `${kind} ${reason}`).toBe('Stalled');
    }
  });

  test.each([
    ['VolumePair', 'Pairing', 'Reconciling'],
    ['VolumePair', 'Syncing', 'Reconciling'],
    ['VolumePair', 'Deleting', 'Reconciling'],
    ['VolumePair', 'ClusterPairNotReady', 'Reconciling'],
    ['VolumePair', 'ResyncRequired', 'Stalled'],
    ['VolumePair', 'TargetInUse', 'Stalled'],
    ['VolumePair', 'Degraded', 'Neither'],
    ['VolumePair', 'ReconcilePaused', 'Neither'],
    ['ClusterPair', 'Connecting', 'Reconciling'],
    ['ClusterPair', 'Disconnected', 'Neither'],
    ['ClusterPair', 'SameCluster', 'Stalled'],
    ['ElementCluster', 'IdentityMismatch', 'Stalled'],
    ['ElementCluster', 'InvalidSpec', 'Stalled'],
    ['ElementCluster', 'Unreachable', 'Reconciling'],
  ] as const)('%s Ready=False %s reads %s', (kind, reason, reading) => {
    expect(kstatusReading(kind, { status: 'False', reason })).toBe(reading);
  });

  test('Ready=True reads Current, an unknown False reason reads Reconciling (never claims done)', () => {
    expect(kstatusReading('VolumePair', { status: 'True', reason: 'Active' })).toBe('Current');
    expect(kstatusReading('VolumePair', { status: 'False', reason: 'Active' })).toBe('Current');
    expect(kstatusReading('ClusterPair', { status: 'False', reason: 'Connected' })).toBe('Reconciling');
  });
});

describe('reconcilingCondition', () => {
  test('is True with the Ready reason and message while work is in progress', () => {
    expect(reconcilingCondition('VolumePair', { status: 'False', reason: 'Syncing', message: 'state ResumingFullSync' })).toEqual({
      type: 'Reconciling',
      status: 'True',
      reason: 'Syncing',
      message: 'state ResumingFullSync',
    });
  });

  test.each([
    ['True', 'Active'],
    ['False', 'TargetInUse'],
    ['False', 'Degraded'],
  ] as const)('is False (NotReconciling) for Ready=%s %s', (status, reason) => {
    const condition = reconcilingCondition('VolumePair', { status, reason, message: 'x' });

    expect(condition.status).toBe('False');
    expect(condition.reason).toBe('NotReconciling');
  });
});
