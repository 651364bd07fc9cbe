// Renders what the operator reports as text tables, one per kind, with the key status fields and
// the Ready/Stalled/Degraded conditions (with reasons). Pure: snapshot in, lines out.
import type { Snapshot, StatusObject } from './kube.ts';
import { conditionOf } from './readiness.ts';

type Fields = Record<string, unknown>;
const field = (value: unknown, key: string): unknown => (value as Fields | undefined)?.[key];
const text = (value: unknown): string => (value === undefined || value === null || value === '' ? '-' : String(value));

/** `True Active`, `False Pairing`, `Unknown`, or `-` when the condition is absent. */
function readyCell(object: StatusObject): string {
  const c = conditionOf(object, 'Ready');
  return c ? [c.status, c.reason].filter(Boolean).join(' ') : '-';
}

/** Stalled and Degraded matter when True: then with the reason. */
function problemCell(object: StatusObject, type: 'Stalled' | 'Degraded'): string {
  const c = conditionOf(object, type);
  if (!c) return '-';
  return c.status === 'True' ? `True ${c.reason ?? ''}`.trim() : c.status;
}

const conditionCells = (o: StatusObject) => [readyCell(o), problemCell(o, 'Stalled'), problemCell(o, 'Degraded')];
const CONDITION_HEADERS = ['READY', 'STALLED', 'DEGRADED'];

/** The resolved volume ID when the operator has one, else the selector of the spec. */
function volumeCell(object: StatusObject, side: 'sideA' | 'sideB'): string {
  const resolved = field(object.status?.[side], 'volumeID');
  if (resolved !== undefined) return String(resolved);
  const selector = object.spec?.[side];
  const id = field(selector, 'volumeID');
  if (id !== undefined) return String(id);
  return `${text(field(selector, 'volumeName'))}@${text(field(selector, 'accountID'))}`;
}

function latencyCell(object: StatusObject): string {
  const latencies = ['sideA', 'sideB'].map((side) => field(object.status?.[side], 'latencyMs')).filter((v): v is number => typeof v === 'number');
  return latencies.length > 0 ? `${Math.max(...latencies)}ms` : '-';
}

const qualifiedName = (o: StatusObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);
const byName = (a: StatusObject, b: StatusObject) => qualifiedName(a).localeCompare(qualifiedName(b));

export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

export function renderSnapshot(snapshot: Snapshot): string[] {
  const clusters = [...snapshot.elementClusters].sort(byName).map((o) => [
    o.metadata.name,
    text(o.status?.['clusterName']),
    text(o.status?.['elementVersion']),
    text(o.spec?.['mvip']),
    ...conditionCells(o),
  ]);
  const clusterPairs = [...snapshot.clusterPairs].sort(byName).map((o) => [
    o.metadata.name,
    text(field(o.spec?.['clusterARef'], 'name')),
    text(field(o.spec?.['clusterBRef'], 'name')),
    text(o.status?.['connectionStatus']),
    latencyCell(o),
    ...conditionCells(o),
  ]);
  const volumePairs = [...snapshot.volumePairs].sort(byName).map((o) => [
    qualifiedName(o),
    volumeCell(o, 'sideA'),
    volumeCell(o, 'sideB'),
    text(o.status?.['mode'] ?? o.spec?.['mode']),
    text(o.status?.['replicationState']),
    text(o.spec?.['paused'] ?? false),
    ...conditionCells(o),
  ]);
  return [
    ...formatTable(['ELEMENTCLUSTER', 'CLUSTER', 'VERSION', 'MVIP', ...CONDITION_HEADERS], clusters),
    '',
    ...formatTable(['CLUSTERPAIR', 'A', 'B', 'STATUS', 'LATENCY', ...CONDITION_HEADERS], clusterPairs),
    '',
    ...formatTable(['VOLUMEPAIR', 'A-VOL', 'B-VOL', 'MODE', 'STATE', 'PAUSED', ...CONDITION_HEADERS], volumePairs),
  ];
}

/** One line per object, for logging what changed after the demo is up. */
export function summarizeObjects(snapshot: Snapshot): Map<string, string> {
  const lines = new Map<string, string>();
  for (const o of snapshot.elementClusters) lines.set(`ElementCluster ${o.metadata.name}`, `Ready=${readyCell(o)} Stalled=${problemCell(o, 'Stalled')}`);
  for (const o of snapshot.clusterPairs) {
    lines.set(`ClusterPair ${o.metadata.name}`, `${text(o.status?.['connectionStatus'])} Ready=${readyCell(o)} Stalled=${problemCell(o, 'Stalled')} Degraded=${problemCell(o, 'Degraded')}`);
  }
  for (const o of snapshot.volumePairs) {
    const state = `${text(o.status?.['mode'] ?? o.spec?.['mode'])} ${text(o.status?.['replicationState'])} paused=${text(o.spec?.['paused'] ?? false)}`;
    lines.set(`VolumePair ${qualifiedName(o)}`, `${state} Ready=${readyCell(o)} Stalled=${problemCell(o, 'Stalled')} Degraded=${problemCell(o, 'Degraded')}`);
  }
  return lines;
}
