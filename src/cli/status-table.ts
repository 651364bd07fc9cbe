// The `status` table (pure): the rows of status-rows.ts as columns, then the summary line.
import type { Column } from './output.ts';
import { renderTable, shortDuration } from './output.ts';
import type { StatusRow, Summary } from './status-rows.ts';
import { summaryLine } from './status-rows.ts';

const COLUMNS: readonly Column<StatusRow>[] = [
  { header: 'KIND', value: (r) => r.kind },
  { header: 'NAMESPACE', value: (r) => r.namespace ?? '' },
  { header: 'NAME', value: (r) => r.name },
  { header: 'PRIMARY', value: (r) => r.primarySide ?? '' },
  { header: 'MODE', value: (r) => r.mode ?? '' },
  { header: 'STATE', value: (r) => r.state ?? '' },
  { header: 'LAG', value: (r) => (r.lagSeconds === undefined ? '' : shortDuration(r.lagSeconds)) },
  { header: 'READY', value: (r) => r.ready },
  { header: 'REASON', value: (r) => r.reason ?? '' },
  { header: 'LAST WARNING', value: (r) => (r.lastWarning ? `${r.lastWarning.reason}: ${r.lastWarning.message}` : ''), maxWidth: 90 },
];

export function renderStatusTable(rows: readonly StatusRow[], summary: Summary): string {
  if (rows.length === 0) return `No ClusterPairs or VolumePairs found.\n${summaryLine(summary)}\n`;
  return `${renderTable(COLUMNS, rows)}\n${summaryLine(summary)}\n`;
}
