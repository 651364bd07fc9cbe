// Templates deploy/samples/ (the files its kustomization.yaml lists) with the simulator's addresses,
// credentials and CA, and with the IDs and names of the volumes created for the demo. The samples
// stay the single source of the manifests' shape: only addresses, secrets, TLS trust and volume
// selectors are replaced; every other field (mode, policies, …) comes from the sample.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ALLOWED_MVIPS_ANNOTATION } from '../../src/api/annotations.ts';
import type { ClusterEndpoint } from '../../src/simulator/admin-schema.ts';
import type { CreatedPair } from './volumes.ts';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface SampleInputs {
  samplesDir: string;
  operatorNamespace: string;
  volumePairNamespace: string;
  /** The simulated clusters for the ClusterPair's side A and side B. */
  clusters: { A: ClusterEndpoint; B: ClusterEndpoint };
  caPem: string;
  pairs: readonly CreatedPair[];
}

type Spec = Record<string, unknown>;
const specOf = (manifest: Manifest) => (manifest['spec'] ?? {}) as Spec;
const refName = (value: unknown) => (value as { name?: string } | undefined)?.name;

export function loadSamples(samplesDir: string): Manifest[] {
  const kustomization = parse(readFileSync(path.join(samplesDir, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
  const manifests: Manifest[] = [];
  for (const file of kustomization.resources ?? []) {
    for (const doc of parseAllDocuments(readFileSync(path.join(samplesDir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as Manifest | null;
      if (value) manifests.push(value);
    }
  }
  return manifests;
}

function sampleError(samplesDir: string, message: string): Error {
  return new Error(`${samplesDir}: ${message} (the demo templates these samples; adapt scripts/lib/samples.ts to them)`);
}

/** Returns the manifests to apply, in order: Secrets, ElementClusters, the ClusterPair, VolumePairs. */
export function templateSamples(inputs: SampleInputs): Manifest[] {
  const samples = loadSamples(inputs.samplesDir);
  const fail = (message: string) => sampleError(inputs.samplesDir, message);
  const ofKind = (kind: string) => samples.filter((m) => m.kind === kind);

  const pairs = ofKind('ClusterPair');
  if (pairs.length !== 1) throw fail(`expected one ClusterPair, found ${pairs.length}`);
  const clusterPair = structuredClone(pairs[0]!);
  const sideOf: Record<string, 'A' | 'B'> = {};
  const nameA = refName(specOf(clusterPair)['clusterARef']);
  const nameB = refName(specOf(clusterPair)['clusterBRef']);
  if (!nameA || !nameB) throw fail('the ClusterPair has no clusterARef/clusterBRef');
  sideOf[nameA] = 'A';
  sideOf[nameB] = 'B';

  const secrets: Manifest[] = [];
  const elementClusters: Manifest[] = [];
  const secretSamples = ofKind('Secret');
  for (const sample of ofKind('ElementCluster')) {
    const name = sample.metadata.name;
    const side = sideOf[name];
    if (!side) throw fail(`ElementCluster ${name} is not a side of ClusterPair ${clusterPair.metadata.name}`);
    const endpoint = inputs.clusters[side];
    const spec = structuredClone(specOf(sample));
    const credentialsRef = spec['credentialsSecretRef'] as { name: string; namespace?: string } | undefined;
    if (!credentialsRef) throw fail(`ElementCluster ${name} has no credentialsSecretRef`);
    const credentialsNamespace = credentialsRef.namespace ?? inputs.operatorNamespace;
    const credentials = secretSamples.find((s) => s.metadata.name === credentialsRef.name && (s.metadata.namespace ?? inputs.operatorNamespace) === credentialsNamespace);
    if (!credentials) throw fail(`no Secret ${credentialsNamespace}/${credentialsRef.name} for ElementCluster ${name}`);
    secrets.push({
      ...structuredClone(credentials),
      // The sample allows its example MVIP; these credentials are sent to the simulated cluster instead.
      metadata: { ...credentials.metadata, namespace: credentialsNamespace, annotations: { ...annotationsOf(credentials), [ALLOWED_MVIPS_ANNOTATION]: endpoint.mvip } },
      stringData: { username: endpoint.username, password: endpoint.password },
    });
    // The simulator's certificates come from its own CA: verify against it (caSecretRef) rather
    // than pinning; pinnedSHA256 and caSecretRef are mutually exclusive, so the pin goes.
    const caSecret = `${name}-ca`;
    secrets.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: caSecret, namespace: inputs.operatorNamespace },
      type: 'Opaque',
      stringData: { 'ca.crt': inputs.caPem },
    });
    spec['mvip'] = endpoint.mvip;
    spec['tls'] = { caSecretRef: { name: caSecret, namespace: inputs.operatorNamespace, key: 'ca.crt' } };
    elementClusters.push({ ...structuredClone(sample), spec });
  }
  for (const name of [nameA, nameB]) {
    if (!elementClusters.some((ec) => ec.metadata.name === name)) throw fail(`no ElementCluster ${name} for the ClusterPair`);
  }

  const volumePairSamples = ofKind('VolumePair');
  const byId = volumePairSamples.find((vp) => (specOf(vp)['sideA'] as Spec | undefined)?.['volumeID'] !== undefined);
  const byName = volumePairSamples.find((vp) => (specOf(vp)['sideA'] as Spec | undefined)?.['volumeName'] !== undefined);
  const volumePairs = inputs.pairs.map((pair) => {
    const template = pair.selectBy === 'id' ? byId : byName;
    if (!template) throw fail(`no VolumePair sample that selects volumes by ${pair.selectBy === 'id' ? 'volumeID' : 'volumeName'}`);
    const spec = structuredClone(specOf(template));
    spec['clusterPairRef'] = { name: clusterPair.metadata.name };
    if (pair.selectBy === 'id') {
      spec['sideA'] = { volumeID: pair.source.volumeID };
      spec['sideB'] = { volumeID: pair.target.volumeID };
    } else {
      spec['sideA'] = { volumeName: pair.source.volumeName, accountID: pair.source.accountID };
      spec['sideB'] = { volumeName: pair.target.volumeName, accountID: pair.target.accountID };
    }
    if (pair.mode) spec['mode'] = pair.mode;
    return { ...structuredClone(template), metadata: { name: pair.name, namespace: inputs.volumePairNamespace }, spec } as Manifest;
  });

  return [...secrets, ...elementClusters, clusterPair, ...volumePairs];
}

function annotationsOf(manifest: Manifest): Record<string, string> {
  const annotations = manifest.metadata['annotations'];
  return annotations && typeof annotations === 'object' ? (annotations as Record<string, string>) : {};
}
