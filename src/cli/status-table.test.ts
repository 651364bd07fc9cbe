import { describe, expect, test } from 'vitest';
import { renderTable, shortDuration } from './output.ts';
import { statusRows, summarize, summaryLine } from './status-rows.ts';
import { renderStatusTable } from './status-table.ts';

const cond = (type: string, status: string, reason: string, message = '') => ({ type, status, reason, message });

describe('status rows and table', () => {
  const cp = { metadata: { name: 'dc1-dc2' }, spec: {}, status: { connectionStatus: 'Connected', conditions: [cond('Ready', 'True', 'Paired')] } };
  const ok = { metadata: { name: 'db', namespace: 'apps' }, spec: { primarySide: 'A', mode: 'Async' }, status: { replicationState: 'Active', replicationLagSeconds: 95, conditions: [cond('Ready', 'True', 'Replicating')] } };
  const stalled = {
    metadata: { name: 'logs', namespace: 'apps' }, spec: { primarySide: 'B', mode: 'Sync' },
    status: { primarySide: 'A', conditions: [cond('Ready', 'False', 'TargetInUse', 'target volume 5 was accessed'), cond('Stalled', 'True', 'TargetInUse')] },
  };
  const events = [
    { kind: 'VolumePair', namespace: 'apps', name: 'logs', reason: 'Old', message: 'older', time: '2026-01-01T00:00:00Z' },
    { kind: 'VolumePair', namespace: 'apps', name: 'logs', reason: 'TargetInUse', message: 'target volume 5 was accessed', time: '2026-01-02T00:00:00Z' },
    { kind: 'VolumePair', namespace: 'other', name: 'logs', reason: 'Elsewhere', message: 'x', time: '2026-01-03T00:00:00Z' },
  ];

  test('rows: status.primarySide wins over spec, lag, newest Warning only when not Ready', () => {
    const rows = statusRows([cp], [stalled, ok], events);
    expect(rows.map((r) => r.name)).toEqual(['dc1-dc2', 'db', 'logs']);
    expect(rows[2]).toMatchObject({ primarySide: 'A', mode: 'Sync', health: 'Stalled', reason: 'TargetInUse', lastWarning: { reason: 'TargetInUse' } });
    expect(rows[1]).toMatchObject({ primarySide: 'A', lagSeconds: 95, health: 'Ready' });
    expect(rows[1]?.lastWarning).toBeUndefined();
    expect(summaryLine(summarize(rows))).toBe('2 Ready, 0 Degraded, 1 Stalled');
  });

  test('table: aligned columns, dashes for empty cells, summary last', () => {
    const rows = statusRows([cp], [ok, stalled], events);
    const lines = renderStatusTable(rows, summarize(rows)).split('\n');
    expect(lines[0]).toMatch(/^KIND\s+NAMESPACE\s+NAME\s+PRIMARY\s+MODE\s+STATE\s+LAG\s+READY\s+REASON\s+LAST WARNING$/);
    expect(lines[1]).toMatch(/^ClusterPair\s+-\s+dc1-dc2\s+-\s+-\s+Connected\s+-\s+True\s+Paired\s+-$/);
    expect(lines[2]).toContain('1m35s');
    const column = (line: string) => line.indexOf('READY') >= 0 ? line.indexOf('READY') : -1;
    expect(lines[2]?.indexOf('True')).toBe(column(lines[0] ?? ''));
    expect(lines.at(-2)).toBe('2 Ready, 0 Degraded, 1 Stalled');
  });

  test('long cells are cut; durations are short', () => {
    const table = renderTable([{ header: 'A', value: (r: string) => r, maxWidth: 5 }], ['abcdefgh']);
    expect(table).toBe('A\nabcd…\n');
    expect([shortDuration(5), shortDuration(120), shortDuration(3725), shortDuration(90_000)]).toEqual(['5s', '2m', '1h2m', '1d1h']);
  });
});
