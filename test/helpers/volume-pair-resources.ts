// VolumePair objects and Element checks for test/volume-pair.test.ts, bound to one environment:
// manifests labelled with the run, reads and waits on VolumePairs, kubectl apply/diff/delete of a
// List, and whether two volumes are linked exactly to each other on both simulated clusters.
import { VOLUME_PAIR } from '../../src/api/group.ts';
import { customResource } from '../../src/kube/client.ts';
import { kubectl, type KubectlResult } from './kube.ts';
import { newVolumes, RUN_LABEL, volume, waitFor, type VolumePairEnv } from './volume-pair-env.ts';

export const VOLUME_PAIRS = customResource(VOLUME_PAIR);

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}

export interface VP {
  metadata: { name: string; namespace?: string; finalizers?: string[] };
  spec: Record<string, unknown>;
  status?: { volumePairUUID?: string; sideA?: { volumeID?: number }; sideB?: { volumeID?: number }; pairing?: unknown; conditions?: Condition[] };
}

export function cond(object: { status?: { conditions?: Condition[] } } | null | undefined, type: string): Condition | undefined {
  return object?.status?.conditions?.find((c) => c.type === type);
}

export type VolumePairResources = ReturnType<typeof volumePairResources>;

export function volumePairResources(env: VolumePairEnv) {
  const manifest = (name: string, spec: Record<string, unknown>, namespace = env.namespace): VP & { apiVersion: string; kind: string } => ({
    apiVersion: 'elementrepl.io/v1alpha1',
    kind: 'VolumePair',
    metadata: { name, namespace, labels: { [RUN_LABEL]: env.run } } as VP['metadata'],
    spec: { clusterPairRef: { name: env.clusterPair }, ...spec },
  });
  const get = (name: string, namespace = env.namespace) => env.kube.get<VP>(VOLUME_PAIRS, name, namespace);
  const until = (name: string, what: string, done: (vp: VP | null) => boolean, namespace = env.namespace): Promise<VP | null> =>
    waitFor(() => get(name, namespace), done, `${namespace}/${name}: ${what}`);
  const ready = (name: string, namespace = env.namespace) => until(name, 'Ready', (vp) => cond(vp, 'Ready')?.status === 'True', namespace);

  /** Both volumes are linked exactly to each other, with one UUID, target replicationTarget, in `state`. */
  async function linked(src: number, dst: number, state = 'Active'): Promise<string | undefined> {
    const [a, b] = [await volume(env, 'PROD', src), await volume(env, 'DR', dst)];
    const [pa, pb] = [a?.volumePairs[0], b?.volumePairs[0]];
    if (a?.volumePairs.length !== 1 || b?.volumePairs.length !== 1 || !pa || !pb) return undefined;
    const ok = pa.remoteVolumeID === dst && pb.remoteVolumeID === src && pa.volumePairUUID === pb.volumePairUUID &&
      a.access === 'readWrite' && b.access === 'replicationTarget' && pa.remoteReplication?.state === state;
    return ok ? pa.volumePairUUID : undefined;
  }

  return {
    manifest,
    get,
    until,
    ready,
    linked,
    async create(name: string, spec: Record<string, unknown>, namespace = env.namespace): Promise<void> {
      await env.kube.create(VOLUME_PAIRS, manifest(name, spec, namespace));
    },
    stalled: (name: string, reason: string, namespace = env.namespace) =>
      until(name, `Stalled ${reason}`, (vp) => cond(vp, 'Stalled')?.status === 'True' && cond(vp, 'Stalled')?.reason === reason, namespace),
    async unpaired(cluster: 'PROD' | 'DR', id: number): Promise<boolean> {
      return ((await volume(env, cluster, id))?.volumePairs.length ?? 0) === 0;
    },
    /** kubectl apply/diff/delete of the objects as one List. */
    apply(objects: object[], verb: 'apply' | 'diff' | 'delete' = 'apply'): Promise<KubectlResult> {
      return kubectl([verb, '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
    },
    /** A fresh volume on each cluster, a VolumePair over them, Ready and Active on Element. */
    async pairedVP(name: string, spec: Record<string, unknown> = {}): Promise<{ src: number; dst: number; uuid: string }> {
      const [src, dst] = [(await newVolumes(env, 'PROD', 1)).ids[0]!, (await newVolumes(env, 'DR', 1)).ids[0]!];
      await env.kube.create(VOLUME_PAIRS, manifest(name, { sideA: { volumeID: src }, sideB: { volumeID: dst }, ...spec }));
      await ready(name);
      const uuid = await waitFor(() => linked(src, dst), (u) => u !== undefined, `${name} Active`);
      return { src, dst, uuid: uuid! };
    },
  };
}
