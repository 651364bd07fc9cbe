// When is the demo "up": every applied resource of the chosen kinds reports Ready=True for its
// current generation. Pure.
import type { Snapshot, StatusObject } from './kube.ts';

export const READY_KINDS = ['ElementCluster', 'ClusterPair', 'VolumePair'] as const;
export type ReadyKind = (typeof READY_KINDS)[number];

const aliases: Record<string, ReadyKind> = {
  elementcluster: 'ElementCluster', elementclusters: 'ElementCluster', ec: 'ElementCluster',
  clusterpair: 'ClusterPair', clusterpairs: 'ClusterPair', ecp: 'ClusterPair',
  volumepair: 'VolumePair', volumepairs: 'VolumePair', evp: 'VolumePair',
};

/** `ElementCluster,ClusterPair` (kinds, plurals or short names, any case); empty means none. */
export function parseReadyKinds(value: string): ReadyKind[] {
  const kinds = value.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const kind = aliases[s.toLowerCase()];
    if (!kind) throw new Error(`--ready-kinds: unknown kind '${s}' (expected ${READY_KINDS.join(', ')})`);
    return kind;
  });
  return [...new Set(kinds)];
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export function conditionOf(object: StatusObject, type: string): Condition | undefined {
  const conditions = (object.status?.['conditions'] ?? []) as Condition[];
  return conditions.find((c) => c.type === type);
}

export function isReady(object: StatusObject): boolean {
  const ready = conditionOf(object, 'Ready');
  if (ready?.status !== 'True') return false;
  const generation = object.metadata.generation;
  return generation === undefined || ready.observedGeneration === undefined || ready.observedGeneration >= generation;
}

export interface ExpectedObject {
  kind: ReadyKind;
  name: string;
  namespace?: string;
}

export interface Readiness {
  ready: boolean;
  readyCount: number;
  total: number;
  /** One line per expected object that is not ready: what it says, or that it is missing. */
  waiting: string[];
}

const objectsOf = (snapshot: Snapshot, kind: ReadyKind): StatusObject[] =>
  kind === 'ElementCluster' ? snapshot.elementClusters : kind === 'ClusterPair' ? snapshot.clusterPairs : snapshot.volumePairs;

export function describeObject(kind: string, name: string, namespace?: string): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

export function evaluateReadiness(snapshot: Snapshot, expected: readonly ExpectedObject[], kinds: readonly ReadyKind[]): Readiness {
  const relevant = expected.filter((e) => kinds.includes(e.kind));
  const waiting: string[] = [];
  for (const want of relevant) {
    const object = objectsOf(snapshot, want.kind).find((o) => o.metadata.name === want.name && (o.metadata.namespace ?? undefined) === want.namespace);
    const label = describeObject(want.kind, want.name, want.namespace);
    if (!object) {
      waiting.push(`${label}: not found`);
    } else if (!isReady(object)) {
      const ready = conditionOf(object, 'Ready');
      const stalled = conditionOf(object, 'Stalled');
      const said = ready
        ? `Ready=${ready.status}${ready.reason ? ` ${ready.reason}` : ''}${ready.message ? `: ${ready.message}` : ''}`
        : 'no Ready condition yet (has the operator seen it?)';
      const stall = stalled?.status === 'True' ? `; Stalled ${stalled.reason ?? ''}: ${stalled.message ?? ''}` : '';
      waiting.push(`${label}: ${said}${stall}`);
    }
  }
  return { ready: waiting.length === 0, readyCount: relevant.length - waiting.length, total: relevant.length, waiting };
}
