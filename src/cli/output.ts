// Rendering (pure): kubectl-style tables (columns padded, three spaces apart, no borders) and the
// JSON/YAML forms of the same data.
import { stringify } from 'yaml';
import type { OutputFormat } from './args.ts';

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Longer values are cut with an ellipsis (tables only; JSON/YAML keep everything). */
  maxWidth?: number;
}

function cut(text: string, max: number | undefined): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (max === undefined || oneLine.length <= max) return oneLine;
  return `${oneLine.slice(0, Math.max(0, max - 1))}…`;
}

/** A table: header line, one line per row; trailing blanks trimmed. */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = [columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => cut(c.value(row), c.maxWidth) || '-'))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => (line[i] as string).length)));
  return cells.map((line) => line.map((cell, i) => cell.padEnd(widths[i] as number)).join('   ').trimEnd()).join('\n') + '\n';
}

/** JSON (two-space indent) or YAML of `data`. */
export function renderData(format: Exclude<OutputFormat, 'table'>, data: unknown): string {
  return format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : stringify(data);
}

/** `90` → `1m30s`, `3725` → `1h2m`; kubectl's short durations. */
export function shortDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 === 0 ? '' : `${s % 60}s`}`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) === 0 ? '' : `${Math.floor((s % 3600) / 60)}m`}`;
  return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600) === 0 ? '' : `${Math.floor((s % 86_400) / 3600)}h`}`;
}
