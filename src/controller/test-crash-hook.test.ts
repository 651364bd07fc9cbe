import { expect, it } from 'vitest';
import { crashPoints } from './test-crash-hook.ts';

it('names crash points only when test hooks are switched on', () => {
  expect([...crashPoints({ ELEMENTREPL_TEST_CRASH_AFTER: 'startPairing' })]).toEqual([]);
  expect([...crashPoints({ ELEMENTREPL_TEST_HOOKS: 'true', ELEMENTREPL_TEST_CRASH_AFTER: 'startPairing' })]).toEqual([]);
  expect([...crashPoints({ ELEMENTREPL_TEST_HOOKS: '1', ELEMENTREPL_TEST_CRASH_AFTER: ' startPairing, completePairing ,' })]).toEqual(['startPairing', 'completePairing']);
});
