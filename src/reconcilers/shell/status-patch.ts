// The RFC 7386 merge patch of a status subresource: fields the planner no longer sets are deleted
// with null, and an unchanged status is not written at all (re-applying a manifest costs nothing).

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

/** The status patch body, or undefined when the stored status already says all of `next`. */
export function statusPatch(current: unknown, next: unknown): Json | undefined {
  // The JSON round trip drops undefined members, as the API server would.
  return mergePatch(current ?? {}, JSON.parse(JSON.stringify(next ?? {})) as unknown);
}
