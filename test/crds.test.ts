// The generated CRDs against a real kube-apiserver: installed and Established by the global
// setup; schema validation, defaults, CEL rules, the status subresource, printer columns and
// `kubectl explain`. Cluster-scoped names carry a random suffix: the control plane is shared.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { createTestNamespace, kubectl, type KubectlResult } from './helpers/kube.ts';
import { API_VERSION, CLUSTER_PAIR, ELEMENT_CLUSTER, VOLUME_PAIR, crdName } from '../src/api/group.ts';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: unknown; status?: unknown };
type Got = { spec: Record<string, unknown>; status?: Record<string, unknown> };

const suffix = randomBytes(4).toString('hex');
const samplesDir = path.join(import.meta.dirname, '..', 'deploy', 'samples');
let ns = '';

async function ok(args: string[], input?: string): Promise<string> {
  const result = await kubectl(args, input === undefined ? {} : { input });
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function create(obj: Obj, extra: string[] = []): Promise<KubectlResult> {
  const nsArgs = obj.kind === VOLUME_PAIR.kind ? ['-n', ns] : [];
  return kubectl(['create', ...nsArgs, ...extra, '-o', 'json', '-f', '-'], { input: JSON.stringify(obj) });
}

async function createOk(obj: Obj): Promise<Got> {
  const result = await create(obj);
  if (result.code !== 0) throw new Error(`create ${obj.kind} ${obj.metadata.name}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Got;
}

async function get(resource: string, name: string, namespaced: boolean): Promise<Got> {
  return JSON.parse(await ok(['get', resource, name, ...(namespaced ? ['-n', ns] : []), '-o', 'json'])) as Got;
}

function expectRejected(result: KubectlResult, ...fragments: string[]): void {
  expect(result.code, result.stdout).not.toBe(0);
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
}

const elementCluster = (name: string, spec: object = {}): Obj => ({
  apiVersion: API_VERSION,
  kind: ELEMENT_CLUSTER.kind,
  metadata: { name },
  spec: { mvip: '10.0.0.10', credentialsSecretRef: { name: 'dc1-admin', namespace: 'elementrepl-system' }, ...spec },
});
const clusterPair = (name: string, spec: object = {}): Obj => ({
  apiVersion: API_VERSION,
  kind: CLUSTER_PAIR.kind,
  metadata: { name },
  spec: { clusterARef: { name: `dc1-${suffix}` }, clusterBRef: { name: `dc2-${suffix}` }, ...spec },
});
const volumePair = (name: string, spec: object = {}): Obj => ({
  apiVersion: API_VERSION,
  kind: VOLUME_PAIR.kind,
  metadata: { name },
  spec: { clusterPairRef: { name: `pair-${suffix}` }, sideA: { volumeID: 158 }, sideB: { volumeName: 'testr', accountID: 1 }, ...spec },
});

beforeAll(async () => {
  ns = await createTestNamespace('crds');
});

describe('installation', () => {
  test.each([ELEMENT_CLUSTER, CLUSTER_PAIR, VOLUME_PAIR])('$kind CRD is Established with its names', async (names) => {
    const crd = JSON.parse(await ok(['get', 'crd', crdName(names), '-o', 'json'])) as {
      spec: { names: { shortNames: string[]; categories: string[] }; scope: string };
      status: { conditions: { type: string; status: string }[] };
    };

    expect(crd.status.conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
    expect(crd.spec.names.shortNames).toEqual(names.shortNames);
    expect(crd.spec.names.categories).toEqual(['elementrepl']);
    expect(crd.spec.scope).toBe(names.scope);
  });

  test('short names and the category resolve', async () => {
    await ok(['get', 'ec,ecp']);
    await ok(['get', 'evp', '-n', ns]);
    await ok(['get', 'elementrepl', '-n', ns]);
  });
});

describe('valid objects', () => {
  test('every sample is accepted by the server (dry run) with defaults filled', async () => {
    const docs = readdirSync(samplesDir)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .flatMap((f) => parseAllDocuments(readFileSync(path.join(samplesDir, f), 'utf8')).map((d) => d.toJS() as Obj))
      .filter((d) => d.apiVersion === API_VERSION);
    expect(docs.map((d) => d.kind).sort()).toEqual(['ClusterPair', 'ElementCluster', 'ElementCluster', 'VolumePair', 'VolumePair']);

    for (const doc of docs) {
      const result = await create(doc, ['--dry-run=server']);
      expect(result.stderr, `${doc.kind} ${doc.metadata.name}`).toBe('');
      const created = JSON.parse(result.stdout) as Got;
      if (doc.kind === VOLUME_PAIR.kind) expect(created.spec).toMatchObject({ targetPolicy: 'RequireUnused', deletionPolicy: 'Delete', managementPolicy: 'Manage' });
      if (doc.kind === CLUSTER_PAIR.kind) expect(created.spec).toMatchObject({ deletionPolicy: 'Delete', managementPolicy: 'Manage' });
      if (doc.kind === ELEMENT_CLUSTER.kind) expect(created.spec['tls']).toMatchObject({ insecureSkipVerify: false });
    }
  });

  test('defaults of a minimal VolumePair, ClusterPair and ElementCluster', async () => {
    const vp = await createOk(volumePair('defaults'));
    const cp = await createOk(clusterPair(`defaults-${suffix}`));
    const ec = await createOk(elementCluster(`defaults-${suffix}`, { tls: { caSecretRef: { name: 'dc1-ca' } } }));

    expect(vp.spec).toEqual({
      clusterPairRef: { name: `pair-${suffix}` },
      sideA: { volumeID: 158 },
      sideB: { volumeName: 'testr', accountID: 1 },
      primarySide: 'A',
      failover: 'Planned',
      mode: 'Async',
      paused: false,
      targetPolicy: 'RequireUnused',
      targetSizePolicy: 'Grow',
      deletionPolicy: 'Delete',
      managementPolicy: 'Manage',
    });
    expect(cp.spec).toMatchObject({ deletionPolicy: 'Delete', managementPolicy: 'Manage' });
    expect(ec.spec['tls']).toEqual({ caSecretRef: { name: 'dc1-ca', key: 'ca.crt' }, insecureSkipVerify: false });
  });
});

describe('invalid objects are refused, naming the field', () => {
  test.each([
    ['both volumeID and volumeName', { sideA: { volumeID: 1, volumeName: 'x', accountID: 1 } }, ['spec.sideA', 'exactly one of volumeID or volumeName']],
    ['neither volumeID nor volumeName', { sideA: {} }, ['spec.sideA', 'exactly one of volumeID or volumeName']],
    ['volumeName without accountID', { sideB: { volumeName: 'x' } }, ['spec.sideB.accountID', 'accountID is required with volumeName']],
    ['negative volume ID', { sideA: { volumeID: -1 } }, ['spec.sideA.volumeID', 'greater than or equal to 1']],
    ['account 0', { sideB: { volumeName: 'x', accountID: 0 } }, ['spec.sideB.accountID', 'greater than or equal to 1']],
    ['unknown mode', { mode: 'SnapMirror' }, ['spec.mode', 'Unsupported value: "SnapMirror"']],
    ['unknown primarySide', { primarySide: 'C' }, ['spec.primarySide', 'Unsupported value']],
    ['unknown targetPolicy', { targetPolicy: 'Always' }, ['spec.targetPolicy', 'Unsupported value']],
    ['unknown targetSizePolicy', { targetSizePolicy: 'Shrink' }, ['spec.targetSizePolicy', 'Unsupported value']],
    ['missing side', { sideB: undefined }, ['spec.sideB', 'Required value']],
  ])('VolumePair: %s', async (_name, spec, fragments) => {
    expectRejected(await create(volumePair(`bad-${randomBytes(3).toString('hex')}`, spec)), ...fragments);
  });

  test('ClusterPair: A == B', async () => {
    const result = await create(clusterPair(`same-${suffix}`, { clusterBRef: { name: `dc1-${suffix}` } }));

    expectRejected(result, 'spec.clusterBRef', 'clusterARef and clusterBRef must name different ElementClusters');
  });

  test('ClusterPair: unknown deletionPolicy', async () => {
    expectRejected(await create(clusterPair(`policy-${suffix}`, { deletionPolicy: 'Retain' })), 'spec.deletionPolicy', 'Unsupported value');
  });

  test('ElementCluster: CA and pin together, a malformed MVIP', async () => {
    const pin = Array.from({ length: 32 }, () => 'AB').join(':');
    const both = await create(elementCluster(`tls-${suffix}`, { tls: { caSecretRef: { name: 'c' }, pinnedSHA256: pin } }));
    const url = await create(elementCluster(`url-${suffix}`, { mvip: 'https://10.0.0.10' }));

    expectRejected(both, 'spec.tls', 'caSecretRef, pinnedSHA256 and insecureSkipVerify are mutually exclusive');
    expectRejected(url, 'spec.mvip');
  });
});

describe('immutable fields', () => {
  const vpName = 'immutable';
  const cpName = `immutable-${suffix}`;

  beforeAll(async () => {
    await createOk(volumePair(vpName));
    await createOk(clusterPair(cpName));
  });

  const patchVp = (type: 'merge' | 'json', patch: unknown) =>
    kubectl(['patch', 'volumepair', vpName, '-n', ns, '--type', type, '-p', JSON.stringify(patch)]);
  const patchCp = (type: 'merge' | 'json', patch: unknown) =>
    kubectl(['patch', 'clusterpair', cpName, '--type', type, '-p', JSON.stringify(patch)]);

  test.each([
    ['sideA', { spec: { sideA: { volumeID: 159 } } }],
    ['sideB', { spec: { sideB: { volumeName: 'other' } } }],
    ['clusterPairRef', { spec: { clusterPairRef: { name: 'other' } } }],
  ])('VolumePair: changing %s is refused', async (field, patch) => {
    expectRejected(await patchVp('merge', patch), `spec.${field}`, `${field} is immutable`);
  });

  test.each(['sideA', 'sideB', 'clusterPairRef'])('VolumePair: removing %s is refused', async (field) => {
    expectRejected(await patchVp('json', [{ op: 'remove', path: `/spec/${field}` }]), `spec.${field}`, 'Required value');
  });

  test.each(['clusterARef', 'clusterBRef'])('ClusterPair: changing and removing %s are refused', async (field) => {
    expectRejected(await patchCp('merge', { spec: { [field]: { name: `dc9-${suffix}` } } }), `spec.${field}`, `${field} is immutable`);
    expectRejected(await patchCp('json', [{ op: 'remove', path: `/spec/${field}` }]), `spec.${field}`, 'Required value');
  });

  test('mutable fields still change', async () => {
    await ok(['patch', 'volumepair', vpName, '-n', ns, '--type', 'merge', '-p', JSON.stringify({ spec: { mode: 'Sync', paused: true } })]);
    await ok(['patch', 'clusterpair', cpName, '--type', 'merge', '-p', JSON.stringify({ spec: { allowedNamespaces: [ns] } })]);

    expect((await get('volumepair', vpName, true)).spec).toMatchObject({ mode: 'Sync', paused: true, sideA: { volumeID: 158 } });
    expect((await get('clusterpair', cpName, false)).spec).toMatchObject({ allowedNamespaces: [ns] });
  });
});

describe('status subresource and printer columns', () => {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const ready = { type: 'Ready', status: 'True', reason: 'Active', message: 'replicating', lastTransitionTime: now, observedGeneration: 1 };

  test('the status subresource ignores spec; the main resource ignores status', async () => {
    await createOk(volumePair('status'));
    const status = { observedGeneration: 1, sideA: { volumeID: 158 }, sideB: { volumeID: 260 }, replicationState: 'Active', conditions: [ready] };

    await ok(['patch', 'volumepair', 'status', '-n', ns, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status, spec: { mode: 'Sync' } })]);
    await ok(['patch', 'volumepair', 'status', '-n', ns, '--type=merge', '-p', JSON.stringify({ status: { replicationState: 'Bogus' }, spec: { paused: true } })]);
    const got = await get('volumepair', 'status', true);

    expect(got.spec).toMatchObject({ mode: 'Async', paused: true });
    expect(got.status).toMatchObject({ replicationState: 'Active', sideA: { volumeID: 158 } });
  });

  test('an invalid status is refused too', async () => {
    await createOk(volumePair('bad-status'));
    const bad = { status: { conditions: [{ ...ready, status: 'Yes' }] } };

    const result = await kubectl(['patch', 'volumepair', 'bad-status', '-n', ns, '--subresource=status', '--type=merge', '-p', JSON.stringify(bad)]);

    expectRejected(result, 'status.conditions[0].status', 'Unsupported value');
  });

  test('kubectl get shows the printer columns with values from spec and status', async () => {
    const ec = `cols-${suffix}`;
    const cp = `cols-${suffix}`;
    await createOk(elementCluster(ec));
    await createOk(clusterPair(cp));
    await createOk(volumePair('cols'));
    const setStatus = (resource: string, name: string, status: object, namespaced: boolean) =>
      ok(['patch', resource, name, ...(namespaced ? ['-n', ns] : []), '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
    await setStatus('elementcluster', ec, { clusterName: 'PROD', elementVersion: '12.5.0.897', conditions: [{ ...ready, reason: 'Connected' }] }, false);
    await setStatus('clusterpair', cp, { connectionStatus: 'Connected', sideA: { latencyMs: 3 }, sideB: { latencyMs: 7 }, latencyMs: 7, conditions: [{ ...ready, reason: 'Paired' }] }, false);
    await setStatus('volumepair', 'cols', { sideA: { volumeID: 158 }, sideB: { volumeID: 260 }, primarySide: 'A', replicationState: 'Active', replicationLagSeconds: 3, conditions: [ready] }, true);

    const table = async (args: string[]) => (await ok(['get', ...args])).trim().split('\n').map((line) => line.trim().split(/\s+/));
    const [ecHeader, ecRow] = await table(['elementcluster', ec]);
    const [cpHeader, cpRow] = await table(['clusterpair', cp]);
    const [vpHeader, vpRow] = await table(['volumepair', 'cols', '-n', ns]);

    expect(ecHeader).toEqual(['NAME', 'MVIP', 'CLUSTER', 'VERSION', 'READY', 'REASON', 'AGE']);
    expect(ecRow?.slice(0, 6)).toEqual([ec, '10.0.0.10', 'PROD', '12.5.0.897', 'True', 'Connected']);
    expect(cpHeader).toEqual(['NAME', 'A', 'B', 'STATUS', 'LATENCY(MS)', 'READY', 'REASON', 'AGE']);
    expect(cpRow?.slice(0, 7)).toEqual([cp, `dc1-${suffix}`, `dc2-${suffix}`, 'Connected', '7', 'True', 'Paired']);
    expect(vpHeader).toEqual(['NAME', 'PAIR', 'A-VOL', 'B-VOL', 'PRIMARY', 'MODE', 'STATE', 'PAUSED', 'LAG(S)', 'READY', 'REASON', 'AGE']);
    expect(vpRow?.slice(0, 11)).toEqual(['cols', `pair-${suffix}`, '158', '260', 'A', 'Async', 'Active', 'false', '3', 'True', 'Active']);
  });
});

describe('kubectl explain', () => {
  // The API server publishes a new CRD's OpenAPI asynchronously: retry with a generous deadline.
  async function explain(field: string): Promise<string> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const result = await kubectl(['explain', field]);
      if (result.code === 0) return result.stdout;
      if (Date.now() > deadline) throw new Error(`kubectl explain ${field}: ${result.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  test.each([
    ['volumepair.spec.sideA', '{volumeID} or {volumeName, accountID}. Immutable.'],
    ['volumepair.spec.mode', 'Element replication mode'],
    ['volumepair.spec.targetPolicy', 'RequireUnused: only a volume that was never accessed'],
    ['clusterpair.spec.allowedNamespaces', 'All namespaces when absent'],
    ['clusterpair.status.pairing.highestPairIDOnA', 'a pending pair above it is ours'],
    ['elementcluster.spec.tls.pinnedSHA256', 'SHA-256 fingerprint'],
    ['elementcluster.status.clusterUUID', 'IdentityMismatch'],
  ])('%s', async (field, text) => {
    const output = (await explain(field)).replace(/\s+/g, ' ');

    expect(output).toContain(text);
  });
});
