// The rows of `status` (pure): one per ClusterPair and VolumePair, from the objects as listed and
// the Warning Events about them, and the summary line. The object shapes are read loosely: a
// field this version does not know yet (status.primarySide, written once DR lands) is used when present.

export type Health = 'Ready' | 'Degraded' | 'Stalled' | 'Progressing';

export interface StatusRow {
  kind: 'ClusterPair' | 'VolumePair';
  namespace?: string;
  name: string;
  /** A or B; VolumePairs only. */
  primarySide?: string;
  mode?: string;
  state?: string;
  lagSeconds?: number;
  ready: string;
  reason?: string;
  message?: string;
  health: Health;
  /** The newest Warning Event about the object, when it is not Ready. */
  lastWarning?: { reason: string; message: string; time?: string };
}

export interface Summary {
  ready: number;
  degraded: number;
  stalled: number;
  progressing: number;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

export interface LooseObject {
  metadata: { name: string; namespace?: string | undefined };
  spec?: Record<string, unknown> | undefined;
  status?: Record<string, unknown> | undefined;
}

export interface WarningEvent {
  kind: string;
  namespace?: string | undefined;
  name: string;
  reason: string;
  message: string;
  /** RFC 3339; the newest wins. */
  time: string;
}

function conditions(object: LooseObject): Condition[] {
  const list = object.status?.['conditions'];
  return Array.isArray(list) ? (list as Condition[]) : [];
}

function condition(object: LooseObject, type: string): Condition | undefined {
  return conditions(object).find((c) => c.type === type);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Stalled before Degraded before Ready: the worst finding names the row. */
export function healthOf(object: LooseObject): Health {
  if (condition(object, 'Stalled')?.status === 'True') return 'Stalled';
  if (condition(object, 'Degraded')?.status === 'True') return 'Degraded';
  if (condition(object, 'Ready')?.status === 'True') return 'Ready';
  return 'Progressing';
}

function lastWarning(kind: StatusRow['kind'], object: LooseObject, events: readonly WarningEvent[]): StatusRow['lastWarning'] {
  let newest: WarningEvent | undefined;
  for (const e of events) {
    if (e.kind !== kind || e.name !== object.metadata.name) continue;
    if (kind === 'VolumePair' && e.namespace !== object.metadata.namespace) continue;
    if (newest === undefined || e.time > newest.time) newest = e;
  }
  return newest === undefined ? undefined : { reason: newest.reason, message: newest.message, ...(newest.time ? { time: newest.time } : {}) };
}

function baseRow(kind: StatusRow['kind'], object: LooseObject, events: readonly WarningEvent[]): StatusRow {
  const ready = condition(object, 'Ready');
  const row: StatusRow = {
    kind,
    ...(kind === 'VolumePair' && object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
    ready: ready?.status ?? 'Unknown',
    health: healthOf(object),
  };
  if (ready?.reason) row.reason = ready.reason;
  if (ready?.message) row.message = ready.message;
  if (row.ready !== 'True') {
    const warning = lastWarning(kind, object, events);
    if (warning !== undefined) row.lastWarning = warning;
  }
  return row;
}

export function clusterPairRow(object: LooseObject, events: readonly WarningEvent[]): StatusRow {
  const row = baseRow('ClusterPair', object, events);
  const state = text(object.status?.['connectionStatus']);
  if (state) row.state = state;
  return row;
}

export function volumePairRow(object: LooseObject, events: readonly WarningEvent[]): StatusRow {
  const row = baseRow('VolumePair', object, events);
  const primary = text(object.status?.['primarySide']) ?? text(object.spec?.['primarySide']) ?? 'A';
  row.primarySide = primary;
  const mode = text(object.status?.['mode']) ?? text(object.spec?.['mode']);
  if (mode) row.mode = mode;
  const state = text(object.status?.['replicationState']);
  if (state) row.state = state;
  const lag = object.status?.['replicationLagSeconds'];
  if (typeof lag === 'number') row.lagSeconds = lag;
  return row;
}

export function statusRows(clusterPairs: readonly LooseObject[], volumePairs: readonly LooseObject[], events: readonly WarningEvent[]): StatusRow[] {
  const byName = (a: LooseObject, b: LooseObject) =>
    `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`);
  return [
    ...[...clusterPairs].sort(byName).map((o) => clusterPairRow(o, events)),
    ...[...volumePairs].sort(byName).map((o) => volumePairRow(o, events)),
  ];
}

export function summarize(rows: readonly StatusRow[]): Summary {
  const count = (h: Health) => rows.filter((r) => r.health === h).length;
  return { ready: count('Ready'), degraded: count('Degraded'), stalled: count('Stalled'), progressing: count('Progressing') };
}

export function summaryLine(summary: Summary): string {
  const parts = [`${summary.ready} Ready`, `${summary.degraded} Degraded`, `${summary.stalled} Stalled`];
  if (summary.progressing > 0) parts.push(`${summary.progressing} progressing`);
  return parts.join(', ');
}
