// Turns the planner's desired status into the RFC 7386 merge patch of the status subresource:
// conditions go through setCondition (lastTransitionTime moves only on a status change), fields
// the planner no longer sets are deleted with null, and an unchanged status is not written at all.
import { setCondition } from '../../api/index.ts';
import type { ClusterPairStatus } from '../../api/index.ts';
import type { DesiredStatus } from './types.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON with object keys sorted: the API server does not keep the order keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) =>
    isObject(member) ? Object.fromEntries(Object.entries(member).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : member,
  );
}

/** The patch that turns `current` into `next`; undefined when they are equal. */
export function mergePatch(current: unknown, next: unknown): Json | undefined {
  if (!isObject(current) || !isObject(next)) {
    return canonical(current) === canonical(next) ? undefined : ((next ?? null) as Json);
  }
  const patch: Record<string, Json> = {};
  for (const key of new Set([...Object.keys(current), ...Object.keys(next)])) {
    if (next[key] === undefined) {
      if (current[key] !== undefined) patch[key] = null;
      continue;
    }
    const member = mergePatch(current[key], next[key]);
    if (member !== undefined) patch[key] = member;
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}

/** The full status to store: desired fields plus the condition list with preserved transition times. */
export function nextStatus(current: ClusterPairStatus | undefined, desired: DesiredStatus, now: Date): ClusterPairStatus {
  let conditions = current?.conditions ?? [];
  for (const condition of desired.conditions) {
    conditions = setCondition(conditions, condition, desired.observedGeneration, now);
  }
  const { conditions: _desired, ...fields } = desired;
  // JSON round trip drops undefined members, as the API server would.
  return JSON.parse(JSON.stringify({ ...fields, conditions })) as ClusterPairStatus;
}

/** The status patch body, or undefined when the stored status already says all of it. */
export function statusPatch(current: ClusterPairStatus | undefined, desired: DesiredStatus, now: Date): Json | undefined {
  return mergePatch(current ?? {}, nextStatus(current, desired, now));
}
