// The text form of `plan` (pure): per resource, the Element calls in order joined by arrows, then
// where it ends (Ready, waiting, or the Stalled reason and message), and what is predicted.
import type { Change } from './plan-objects.ts';
import type { Outcome, PlannedCall } from './simulate-volume-pair.ts';

export interface ResourcePlan {
  kind: 'ClusterPair' | 'VolumePair';
  namespace?: string;
  name: string;
  change: Change;
  calls: PlannedCall[];
  kubernetesWrites: string[];
  outcome: Outcome;
}

export interface PlanReport {
  resources: ResourcePlan[];
  notes: string[];
}

function outcomeText(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'ready':
      return `then Ready (${outcome.reason})`;
    case 'stalled':
      return `would STALL: ${outcome.reason}: ${outcome.message}`;
    case 'waiting':
      return `then waits: ${outcome.reason}: ${outcome.message}`;
    case 'deleted':
      return 'then the resource is gone';
    case 'unsettled':
      return `then unknown: ${outcome.message}`;
  }
}

export function renderPlan(report: PlanReport): string {
  const lines: string[] = [];
  for (const r of report.resources) {
    const id = r.namespace ? `${r.namespace}/${r.name}` : r.name;
    lines.push(`${r.kind} ${id} (${r.change})`);
    if (r.calls.length === 0) lines.push('  Element calls: none');
    else lines.push(`  Element calls: ${r.calls.map((c) => c.text).join(' → ')}`);
    if (r.calls.some((c) => c.predicted)) lines.push('  (the first call is the planner\'s decision on what Element reports now; the rest is predicted, assuming each call succeeds)');
    if (r.kubernetesWrites.length > 0) lines.push(`  operator writes: ${[...new Set(r.kubernetesWrites)].join(', ')}`);
    lines.push(`  ${r.calls.length === 0 && r.outcome.kind === 'ready' ? `nothing to do: Ready (${r.outcome.reason})` : outcomeText(r.outcome)}`);
    lines.push('');
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  const stalled = report.resources.filter((r) => r.outcome.kind === 'stalled').length;
  lines.push(`${report.resources.length} planned, ${stalled} would stall; nothing was changed (read-only).`);
  return `${lines.join('\n')}\n`;
}
