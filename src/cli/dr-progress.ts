// Progress of a switchover or failover (pure): where each VolumePair stands against the asked side
// (done, stopped with a reason, or still working), the one-line progress bar of a terminal, the
// plain lines of a log (only what changed), and the final table.
import type { DrVolumePair, Side } from './dr-targets.ts';
import { renderTable } from './output.ts';
import type { Column } from './output.ts';

export type PairPhase = 'done' | 'stopped' | 'working';

export interface PairProgress {
  key: string;
  namespace?: string;
  name: string;
  phase: PairPhase;
  /** The Ready reason, the Stalled reason when stopped, or why it is done. */
  reason: string;
  message?: string;
  primarySide?: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

function condition(vp: DrVolumePair, type: string): Condition | undefined {
  const list = vp.status?.['conditions'];
  return Array.isArray(list) ? (list as Condition[]).find((c) => c.type === type) : undefined;
}

/**
 * One pair against `to`. `generation` is the one our patch produced: a Stalled condition computed
 * from an older spec says nothing about this request (the operator has not looked yet).
 */
export function pairProgress(key: string, vp: DrVolumePair | null, to: Side, generation?: number): PairProgress {
  const [namespace, name] = splitKey(key);
  const base = { key, ...(namespace ? { namespace } : {}), name };
  if (vp === null) return { ...base, phase: 'stopped', reason: 'NotFound', message: 'the VolumePair was deleted' };
  const recorded = typeof vp.status?.['primarySide'] === 'string' ? (vp.status['primarySide'] as string) : undefined;
  const withSide = recorded === undefined ? base : { ...base, primarySide: recorded };
  const ready = condition(vp, 'Ready');
  const details = (c: Condition | undefined) => (c?.message ? { message: c.message } : {});
  if (recorded === to && ready?.status === 'True' && vp.status?.['switchover'] === undefined) {
    return { ...withSide, phase: 'done', reason: ready.reason ?? 'Ready' };
  }
  const stalled = condition(vp, 'Stalled');
  const current = (c: Condition | undefined) => {
    const observed = c?.observedGeneration ?? vp.status?.['observedGeneration'];
    return generation === undefined || (typeof observed === 'number' && observed >= generation);
  };
  if (stalled?.status === 'True' && current(stalled)) return { ...withSide, phase: 'stopped', reason: stalled.reason ?? 'Stalled', ...details(stalled) };
  // A forced failover with the old primary's cluster gone stays so until it returns: nothing to wait for.
  if (recorded === to && ready?.reason === 'FailedOver') return { ...withSide, phase: 'stopped', reason: 'FailedOver', ...details(ready) };
  return { ...withSide, phase: 'working', reason: ready?.reason ?? 'Pending', ...details(ready) };
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

export function progressOf(pairs: ReadonlyMap<string, DrVolumePair | null>, to: Side, generations: ReadonlyMap<string, number> = new Map()): PairProgress[] {
  return [...pairs.entries()].map(([key, vp]) => pairProgress(key, vp, to, generations.get(key)));
}

export function isFinished(progress: readonly PairProgress[]): boolean {
  return progress.every((p) => p.phase !== 'working');
}

export function allDone(progress: readonly PairProgress[]): boolean {
  return progress.every((p) => p.phase === 'done');
}

/** `[██████░░░░] 12/20 on B · 6 Switching · 1 SwitchoverPending · 1 stopped` (a terminal's one line). */
export function progressBar(progress: readonly PairProgress[], to: Side, width = 24): string {
  const done = progress.filter((p) => p.phase === 'done').length;
  const total = progress.length;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const reasons = new Map<string, number>();
  for (const p of progress) if (p.phase === 'working') reasons.set(p.reason, (reasons.get(p.reason) ?? 0) + 1);
  const stopped = progress.filter((p) => p.phase === 'stopped').length;
  const parts = [`${done}/${total} on ${to}`, ...[...reasons].sort(([a], [b]) => a.localeCompare(b)).map(([r, n]) => `${n} ${r}`)];
  if (stopped > 0) parts.push(`${stopped} stopped`);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${parts.join(' · ')}`;
}

function describe(p: PairProgress): string {
  const what = p.phase === 'done' ? `done: ${p.reason} on ${p.primarySide ?? '?'}` : p.phase === 'stopped' ? `STOPPED: ${p.reason}` : p.reason;
  return `${p.key}: ${what}${p.message && p.phase !== 'done' ? ` (${p.message})` : ''}`;
}

/** Plain progress for logs: one line per pair whose phase or reason changed since `before`. */
export function progressLines(before: readonly PairProgress[], now: readonly PairProgress[]): string[] {
  const previous = new Map(before.map((p) => [p.key, p]));
  return now.filter((p) => {
    const was = previous.get(p.key);
    return was === undefined || was.phase !== p.phase || was.reason !== p.reason;
  }).map(describe);
}

export interface ResultRow extends PairProgress {
  /** Not patched: already on the side when the command started. */
  already?: boolean;
}

const RESULT_COLUMNS: readonly Column<ResultRow>[] = [
  { header: 'NAMESPACE', value: (r) => r.namespace ?? '' },
  { header: 'NAME', value: (r) => r.name },
  { header: 'PRIMARY', value: (r) => r.primarySide ?? '' },
  { header: 'RESULT', value: (r) => (r.already ? 'already' : r.phase === 'working' ? 'unfinished' : r.phase) },
  { header: 'REASON', value: (r) => r.reason },
  { header: 'MESSAGE', value: (r) => (r.phase === 'done' ? '' : r.message ?? ''), maxWidth: 90 },
];

export function resultTable(rows: readonly ResultRow[]): string {
  return renderTable(RESULT_COLUMNS, rows);
}

/** `20 on B, 0 stopped, 0 unfinished`. */
export function resultSummary(rows: readonly ResultRow[], to: Side): string {
  const count = (phase: PairPhase) => rows.filter((r) => r.phase === phase).length;
  return `${count('done')} on ${to}, ${count('stopped')} stopped, ${count('working')} unfinished`;
}
