// The benchmark's workload: N source volumes on side A and N never-accessed targets of equal size
// on side B, made in bulk through element-sim's admin API (not counted as Element calls); one
// VolumePair per (source, target) from the by-ID sample of deploy/samples/; server-side applied in
// parallel; and deleted in one collection DELETE.
import path from 'node:path';
import { customResource, collectionPath, type KubeClient } from '../../src/kube/client.ts';
import { VOLUME_PAIR } from '../../src/api/group.ts';
import type { ClusterEndpoint } from '../../src/simulator/admin-schema.ts';
import type { SimulatorAdmin } from '../../src/simulator/admin-client.ts';
import type { ApiClient } from '../../test/harness/api-client.ts';
import { templateSamples, type Manifest } from '../lib/samples.ts';
import { REPO_ROOT } from '../lib/simulator.ts';
import type { CreatedPair } from '../lib/volumes.ts';

const VOLUME_SIZE_GIB = 10;
export const VOLUME_PAIRS = customResource(VOLUME_PAIR);

export function volumePairsPath(namespace: string): string {
  return collectionPath(VOLUME_PAIRS, namespace);
}

export async function createBenchVolumes(admin: SimulatorAdmin, sideA: ClusterEndpoint, sideB: ClusterEndpoint, count: number): Promise<CreatedPair[]> {
  const totalSize = VOLUME_SIZE_GIB * 1024 ** 3;
  const [sources, targets] = await Promise.all([
    admin.createVolumes(sideA.name, { count, namePrefix: 'bench-src', totalSize }),
    admin.createVolumes(sideB.name, { count, namePrefix: 'bench-dst', totalSize }),
  ]);
  if (sources.volumeIDs.length !== count || targets.volumeIDs.length !== count) throw new Error(`element-sim created ${sources.volumeIDs.length}/${targets.volumeIDs.length} volumes, not ${count}`);
  const width = String(count - 1).length;
  return sources.volumeIDs.map((sourceID, i) => {
    const targetID = targets.volumeIDs[i]!;
    const name = `bench-${String(i).padStart(width, '0')}`;
    return {
      name, selectBy: 'id', sourceVolume: `bench-src-${sourceID}`, targetVolume: `bench-dst-${targetID}`, sizeGiB: VOLUME_SIZE_GIB,
      source: { volumeID: sourceID, volumeName: `bench-src-${sourceID}`, accountID: sources.accountID },
      target: { volumeID: targetID, volumeName: `bench-dst-${targetID}`, accountID: targets.accountID },
    } satisfies CreatedPair;
  });
}

/** The VolumePairs, templated exactly as the demo templates deploy/samples/. */
export function volumePairManifests(inputs: {
  operatorNamespace: string;
  namespace: string;
  clusters: { A: ClusterEndpoint; B: ClusterEndpoint };
  caPem: string;
  pairs: readonly CreatedPair[];
}): Manifest[] {
  const { operatorNamespace, namespace, clusters, caPem, pairs } = inputs;
  const all = templateSamples({ samplesDir: path.join(REPO_ROOT, 'deploy/samples'), operatorNamespace, volumePairNamespace: namespace, clusters, caPem, pairs });
  return all.filter((manifest) => manifest.kind === VOLUME_PAIR.kind);
}

/** Server-side applies with `concurrency` in flight; calls `applied` as each one returns. */
export async function applyInParallel(kube: KubeClient, manifests: readonly Manifest[], concurrency: number, applied: (name: string, at: number) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < manifests.length) {
      const manifest = manifests[next++]!;
      try {
        await kube.apply(VOLUME_PAIRS, manifest, { force: true });
      } catch (error) {
        throw new Error(`applying VolumePair ${manifest.metadata.namespace}/${manifest.metadata.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied(manifest.metadata.name, Date.now());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, manifests.length) }, worker));
}

/** Deletes every VolumePair of the namespace in one request (the operator's finalizers then run). */
export async function deleteAllVolumePairs(admin: ApiClient, namespace: string): Promise<void> {
  const response = await admin.request('DELETE', volumePairsPath(namespace), { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }, 60_000);
  if (response.status !== 200) throw new Error(`deleting the VolumePairs of ${namespace}: HTTP ${response.status} ${response.text.slice(0, 200)}`);
}
