// Test-only crash points for the fault tests (DESIGN §6, "kill the operator after every step").
// With ELEMENTREPL_TEST_HOOKS=1 and ELEMENTREPL_TEST_CRASH_AFTER=<point>[,<point>…], the process
// dies at once, as with SIGKILL, right after the named point: no cleanup, no status write, no
// graceful shutdown. A point may name the controller, `ClusterPair:writeIntent`, since several
// controllers share step names; a bare `writeIntent` matches in any controller. Without
// ELEMENTREPL_TEST_HOOKS=1 the variables are ignored.

export interface CrashHookEnvironment {
  ELEMENTREPL_TEST_HOOKS?: string | undefined;
  ELEMENTREPL_TEST_CRASH_AFTER?: string | undefined;
}

/** The crash points named by the environment (empty unless test hooks are on). */
export function crashPoints(env: CrashHookEnvironment = process.env): Set<string> {
  if (env.ELEMENTREPL_TEST_HOOKS !== '1') return new Set();
  return new Set(
    (env.ELEMENTREPL_TEST_CRASH_AFTER ?? '')
      .split(',')
      .map((point) => point.trim())
      .filter((point) => point !== ''),
  );
}

let armed: Set<string> | undefined;

/** Whether `point` (of controller `kind`) is one of `points`. */
export function isCrashPoint(points: ReadonlySet<string>, point: string, kind?: string): boolean {
  return points.has(point) || (kind !== undefined && points.has(`${kind}:${point}`));
}

/** Stops the process immediately if `point` was named; a no-op otherwise (and always in production). */
export function crashAfter(point: string, kind?: string): void {
  armed ??= crashPoints();
  if (!isCrashPoint(armed, point, kind)) return;
  // Named as the environment armed it: a bare point, or one qualified by its controller.
  const named = armed.has(point) || kind === undefined ? point : `${kind}:${point}`;
  process.stderr.write(`test hook: crashing after ${named}\n`);
  // SIGKILL: the same abrupt end as a node failure or an OOM kill; exit(137) if the signal is refused.
  process.kill(process.pid, 'SIGKILL');
  process.exit(137);
}
