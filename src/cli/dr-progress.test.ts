import { describe, expect, test } from 'vitest';
import { allDone, isFinished, pairProgress, progressBar, progressLines, resultSummary, resultTable } from './dr-progress.ts';
import type { DrVolumePair } from './dr-targets.ts';

const vp = (status: Record<string, unknown>, generation = 2): DrVolumePair => ({ metadata: { name: 'x', namespace: 'db', generation }, spec: { primarySide: 'B' }, status });
const ready = (status: string, reason: string, message = '') => ({ type: 'Ready', status, reason, message });

describe('pairProgress', () => {
  test('done once Ready on the new side with no switchover under way', () => {
    expect(pairProgress('db/x', vp({ primarySide: 'B', conditions: [ready('True', 'Active')] }), 'B')).toMatchObject({ phase: 'done', reason: 'Active', primarySide: 'B', namespace: 'db', name: 'x' });
    expect(pairProgress('db/x', vp({ primarySide: 'B', switchover: { phase: 'Promoting' }, conditions: [ready('True', 'Active')] }), 'B').phase).toBe('working');
    expect(pairProgress('db/x', vp({ primarySide: 'A', conditions: [ready('True', 'Active')] }), 'B').phase).toBe('working');
  });

  test('working: the Ready reason and message', () => {
    expect(pairProgress('db/x', vp({ primarySide: 'A', conditions: [ready('False', 'SwitchoverPending', 'lag 3s')] }), 'B')).toMatchObject({ phase: 'working', reason: 'SwitchoverPending', message: 'lag 3s' });
  });

  test('stopped: Stalled computed from our generation or later, FailedOver, deleted', () => {
    const stalled = (observedGeneration: number) => vp({ primarySide: 'A', conditions: [ready('False', 'SwitchoverUnsafe'), { type: 'Stalled', status: 'True', reason: 'SwitchoverUnsafe', message: 'SnapshotsOnly', observedGeneration }] });
    expect(pairProgress('db/x', stalled(2), 'B', 2)).toMatchObject({ phase: 'stopped', reason: 'SwitchoverUnsafe', message: 'SnapshotsOnly' });
    // A stall from before the patch: the operator has not looked at the request yet.
    expect(pairProgress('db/x', stalled(1), 'B', 2).phase).toBe('working');
    expect(pairProgress('db/x', vp({ primarySide: 'B', conditions: [ready('False', 'FailedOver', 'DC1 does not answer')] }), 'B')).toMatchObject({ phase: 'stopped', reason: 'FailedOver' });
    expect(pairProgress('db/x', null, 'B')).toMatchObject({ phase: 'stopped', reason: 'NotFound', name: 'x', namespace: 'db' });
  });
});

describe('rendering', () => {
  const done = pairProgress('db/a', vp({ primarySide: 'B', conditions: [ready('True', 'Active')] }), 'B');
  const switching = pairProgress('db/b', vp({ primarySide: 'A', conditions: [ready('False', 'Switching', 'demoting')] }), 'B');
  const pending = pairProgress('db/c', vp({ primarySide: 'A', conditions: [ready('False', 'SwitchoverPending')] }), 'B');
  const stopped = pairProgress('db/d', null, 'B');

  test('finished when nothing works; all done only when every pair is done', () => {
    expect(isFinished([done, stopped])).toBe(true);
    expect(isFinished([done, switching])).toBe(false);
    expect(allDone([done, stopped])).toBe(false);
    expect(allDone([done])).toBe(true);
  });

  test('the bar counts done pairs and names what the others wait for', () => {
    expect(progressBar([done, switching, pending, stopped], 'B', 8)).toBe('[██░░░░░░] 1/4 on B · 1 Switching · 1 SwitchoverPending · 1 stopped');
    expect(progressBar([done], 'B', 4)).toBe('[████] 1/1 on B');
  });

  test('plain lines only for pairs whose state changed', () => {
    expect(progressLines([], [done, switching])).toEqual(['db/a: done: Active on B', 'db/b: Switching (demoting)']);
    expect(progressLines([done, switching], [done, { ...switching, phase: 'done', reason: 'Active', primarySide: 'B' }])).toEqual(['db/b: done: Active on B']);
    expect(progressLines([done], [done])).toEqual([]);
  });

  test('final table and summary', () => {
    const table = resultTable([{ ...done, already: true }, switching, stopped]);
    expect(table.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+PRIMARY\s+RESULT\s+REASON\s+MESSAGE$/);
    expect(table).toMatch(/db\s+a\s+B\s+already\s+Active/);
    expect(table).toMatch(/db\s+b\s+A\s+unfinished\s+Switching\s+demoting/);
    expect(table).toMatch(/db\s+d\s+-\s+stopped\s+NotFound/);
    expect(resultSummary([done, switching, stopped], 'B')).toBe('1 on B, 1 stopped, 1 unfinished');
  });
});
