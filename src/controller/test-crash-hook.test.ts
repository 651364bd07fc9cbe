import { expect, it } from 'vitest';
import { crashPoints, isCrashPoint } from './test-crash-hook.ts';

it('names crash points only when test hooks are switched on', () => {
  expect([...crashPoints({ ELEMENTREPL_TEST_CRASH_AFTER: 'startPairing' })]).toEqual([]);
  expect([...crashPoints({ ELEMENTREPL_TEST_HOOKS: 'true', ELEMENTREPL_TEST_CRASH_AFTER: 'startPairing' })]).toEqual([]);
  expect([...crashPoints({ ELEMENTREPL_TEST_HOOKS: '1', ELEMENTREPL_TEST_CRASH_AFTER: ' startPairing, completePairing ,' })]).toEqual(['startPairing', 'completePairing']);
});

it('matches a bare point in any controller, a qualified one only in its own', () => {
  const points = new Set(['writeIntent', 'ClusterPair:clearIntent']);
  expect(isCrashPoint(points, 'writeIntent', 'VolumePair')).toBe(true);
  expect(isCrashPoint(points, 'clearIntent', 'ClusterPair')).toBe(true);
  expect(isCrashPoint(points, 'clearIntent', 'VolumePair')).toBe(false);
  expect(isCrashPoint(points, 'clearIntent')).toBe(false);
});
