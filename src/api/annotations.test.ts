import { describe, expect, test } from 'vitest';
import {
  ALLOW_REPAIR_ANNOTATION,
  FORCE_DELETE_ANNOTATION,
  PAUSED_ANNOTATION,
  REMOVE_PENDING_PAIR_ANNOTATION,
  isAnnotationTrue,
} from './annotations.ts';
import { CLEANUP_FINALIZER, IN_USE_FINALIZER, hasFinalizer } from './finalizers.ts';

describe('annotations', () => {
  test('names are the documented ones', () => {
    expect([PAUSED_ANNOTATION, REMOVE_PENDING_PAIR_ANNOTATION, ALLOW_REPAIR_ANNOTATION, FORCE_DELETE_ANNOTATION]).toEqual([
      'elementrepl.io/paused',
      'elementrepl.io/remove-pending-pair',
      'elementrepl.io/allow-repair',
      'elementrepl.io/force-delete',
    ]);
  });

  test('only the exact string "true" is true', () => {
    expect(isAnnotationTrue({ annotations: { [PAUSED_ANNOTATION]: 'true' } }, PAUSED_ANNOTATION)).toBe(true);
    for (const value of ['True', 'yes', '1', '', 'false']) {
      expect(isAnnotationTrue({ annotations: { [PAUSED_ANNOTATION]: value } }, PAUSED_ANNOTATION)).toBe(false);
    }
    expect(isAnnotationTrue({}, PAUSED_ANNOTATION)).toBe(false);
    expect(isAnnotationTrue(undefined, PAUSED_ANNOTATION)).toBe(false);
  });
});

describe('finalizers', () => {
  test('names and lookup', () => {
    expect(CLEANUP_FINALIZER).toBe('elementrepl.io/cleanup');
    expect(IN_USE_FINALIZER).toBe('elementrepl.io/in-use');
    expect(hasFinalizer({ finalizers: [IN_USE_FINALIZER] }, IN_USE_FINALIZER)).toBe(true);
    expect(hasFinalizer({ finalizers: [IN_USE_FINALIZER] }, CLEANUP_FINALIZER)).toBe(false);
    expect(hasFinalizer(undefined, CLEANUP_FINALIZER)).toBe(false);
  });
});
