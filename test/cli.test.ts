// kubectl-elementrepl (issue 18) as a process against the run's control plane, the Element
// simulator over HTTPS and the operator as a process: status (table and JSON) with Ready and
// Stalled pairs, plan before apply / after Ready / on a target in use (exit 3) with zero Element
// mutations and run as a user that may only read (no Kubernetes write is possible), plan never
// dialling an MVIP from the files, doctor healthy and with the operator stopped, usage errors.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject } from '../src/controller/object.ts';
import { CLUSTER_PAIRS, operatorElementCluster, startTestSimulator, suffix, testKubeClient, type ClusterPairObject } from './helpers/cluster-pair-env.ts';
import { addTestUser, createTestNamespace, kubeconfigPath } from './helpers/kube.ts';
import { NODE_BINARY, REPO_ROOT, killAllOperators, spawnOperator, type OperatorProcess } from './helpers/operator-process.ts';
import { waitFor } from './helpers/volume-pair-env.ts';
import type { RunningSimulator } from '../src/simulator/simulator.ts';
import type { KubeClient } from '../src/kube/client.ts';

const CLI = path.join(REPO_ROOT, 'bin', 'kubectl-elementrepl.mjs');
const RUN_LABEL = 'elementrepl.io/test-run';
const VOLUME_PAIRS = { group: 'elementrepl.io', version: 'v1alpha1', plural: 'volumepairs', kind: 'VolumePair', namespaced: true };
const RBAC = (plural: string, namespaced: boolean) => ({ group: 'rbac.authorization.k8s.io', version: 'v1', plural, kind: '', namespaced });

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], kubeconfig = kubeconfigPath()): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE_BINARY, [CLI, '--kubeconfig', kubeconfig, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let kube: KubeClient;
let sim: RunningSimulator;
let operatorNamespace: string;
let namespace: string;
let run: string;
let ec: { PROD: string; DR: string };
let clusterPair: string;
let op: OperatorProcess;
let readerKubeconfig: string;
let operatorUser: string;
const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));

function startOperator(): OperatorProcess {
  return spawnOperator({
    args: ['--kubeconfig', kubeconfigPath(), '--operator-namespace', operatorNamespace, '--leader-elect', '--metrics-bind-address', '0', '--health-probe-bind-address', '0', '--poll-interval', '2s', '--log-level', 'info'],
  });
}

function volumePair(name: string, source: number, target: number): KubeObject & { spec: unknown } {
  return {
    apiVersion: 'elementrepl.io/v1alpha1', kind: 'VolumePair',
    metadata: { name, namespace, labels: { [RUN_LABEL]: run } },
    spec: { clusterPairRef: { name: clusterPair }, sideA: { volumeID: source }, sideB: { volumeID: target }, mode: 'Async' },
  };
}

function writeManifest(name: string, objects: unknown[]): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
}

async function newVolume(cluster: 'PROD' | 'DR', totalSize?: number): Promise<number> {
  const { volumeIDs } = await sim.admin.createVolumes(cluster, { count: 1, namePrefix: `cli${suffix()}`, ...(totalSize === undefined ? {} : { totalSize }) });
  return volumeIDs[0] as number;
}

const condition = (o: { status?: { conditions?: { type: string; status: string; reason: string }[] } } | null, type: string) => o?.status?.conditions?.find((c) => c.type === type);

/** A user who may only read: the pair kinds, Events, Leases, and Secrets of the operator namespace. */
async function readOnlyUser(): Promise<string> {
  const name = `cli-reader-${run}`;
  const rules = [
    { apiGroups: ['elementrepl.io'], resources: ['elementclusters', 'clusterpairs', 'volumepairs'], verbs: ['get', 'list'] },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['get', 'list'] },
  ];
  await kube.create(RBAC('clusterroles', false), { metadata: { name }, rules } as KubeObject);
  await kube.create(RBAC('clusterrolebindings', false), { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: [{ kind: 'User', name, apiGroup: 'rbac.authorization.k8s.io' }] } as KubeObject);
  await kube.create(RBAC('roles', true), { metadata: { name, namespace: operatorNamespace }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] } as KubeObject);
  await kube.create(RBAC('rolebindings', true), { metadata: { name, namespace: operatorNamespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'User', name, apiGroup: 'rbac.authorization.k8s.io' }] } as KubeObject);
  return addTestUser(name);
}

/** The operator identity doctor checks: a user granted get on the Secrets of the operator namespace. */
async function operatorIdentity(): Promise<string> {
  const name = `cli-operator-${run}`;
  await kube.create(RBAC('roles', true), { metadata: { name, namespace: operatorNamespace }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] } as KubeObject);
  await kube.create(RBAC('rolebindings', true), { metadata: { name, namespace: operatorNamespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'User', name, apiGroup: 'rbac.authorization.k8s.io' }] } as KubeObject);
  return name;
}

beforeAll(async () => {
  kube = testKubeClient();
  [operatorNamespace, namespace] = [await createTestNamespace('cliop'), await createTestNamespace('cli')];
  run = suffix();
  sim = await startTestSimulator(['PROD', 'DR'], { resumeDelayMs: 200 });
  ec = { PROD: `ec-cli-prod-${run}`, DR: `ec-cli-dr-${run}` };
  await operatorElementCluster(kube, sim, ec.PROD, 'PROD', operatorNamespace);
  await operatorElementCluster(kube, sim, ec.DR, 'DR', operatorNamespace);
  await kube.mergePatch({ group: 'elementrepl.io', version: 'v1alpha1', plural: 'elementclusters', kind: 'ElementCluster', namespaced: false }, ec.PROD, { metadata: { labels: { [RUN_LABEL]: run } } });
  await kube.mergePatch({ group: 'elementrepl.io', version: 'v1alpha1', plural: 'elementclusters', kind: 'ElementCluster', namespaced: false }, ec.DR, { metadata: { labels: { [RUN_LABEL]: run } } });
  clusterPair = `cp-cli-${run}`;
  await kube.create(CLUSTER_PAIRS, { metadata: { name: clusterPair, labels: { [RUN_LABEL]: run } }, spec: { clusterARef: { name: ec.PROD }, clusterBRef: { name: ec.DR } } });
  readerKubeconfig = await readOnlyUser();
  operatorUser = await operatorIdentity();
  op = startOperator();
  await waitFor(() => kube.get<ClusterPairObject>(CLUSTER_PAIRS, clusterPair), (cp) => condition(cp, 'Ready')?.status === 'True', 'ClusterPair Ready');
});

afterAll(async () => {
  await killAllOperators();
  const { items } = await kube.list(VOLUME_PAIRS, { namespace, labelSelector: `${RUN_LABEL}=${run}` }).catch(() => ({ items: [] as KubeObject[] }));
  for (const vp of items) await kube.mergePatch(VOLUME_PAIRS, vp.metadata.name, { metadata: { finalizers: null } }, { namespace }).catch(() => undefined);
  for (const vp of items) await kube.delete(VOLUME_PAIRS, vp.metadata.name, { namespace }).catch(() => undefined);
  await kube.mergePatch(CLUSTER_PAIRS, clusterPair, { metadata: { finalizers: null } }).catch(() => undefined);
  await kube.delete(CLUSTER_PAIRS, clusterPair).catch(() => undefined);
  await sim?.stop();
});

const scope = () => ['-n', namespace, '-l', `${RUN_LABEL}=${run}`];

describe('kubectl-elementrepl', () => {
  it('bad flags, unknown commands and unknown resources: one line on stderr, exit 2', async () => {
    for (const args of [['status', '--bogus'], ['frobnicate'], ['status', 'widgets'], ['status', '-o', 'xml'], ['plan']]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stdout).toBe('');
    }
  });

  it('doctor on a healthy install passes', async () => {
    const result = await cli(['doctor', '--operator-namespace', operatorNamespace, '--operator-user', operatorUser, '-l', `${RUN_LABEL}=${run}`]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/operator leader\s+OK/);
    expect(result.stdout).toMatch(new RegExp(`ElementCluster ${ec.PROD}\\s+OK`));
    expect(result.stdout).toMatch(/CRD volumepairs.elementrepl.io\s+OK/);
    expect(result.stdout).toMatch(new RegExp(`credentials ${operatorNamespace}/${ec.DR}-admin for ${ec.DR}\\s+OK`));
    expect(result.stdout).toContain('All checks passed.');
    expect(result.code).toBe(0);
  });

  it('plan: new pair → the expected calls; applied and Ready → nothing to do; target in use or too small → stall, exit 3; never a mutation', async () => {
    const [source, target, usedTarget, source2] = [await newVolume('PROD'), await newVolume('DR'), await newVolume('DR'), await newVolume('PROD')];
    await sim.admin.simulateIo('DR', usedTarget);
    const fresh = writeManifest('fresh', [volumePair(`vp-new-${run}`, source, target)]);
    const inUse = writeManifest('in-use', [volumePair(`vp-used-${run}`, source2, usedTarget)]);
    const before = await mutatingCallsCount();

    const planned = await cli(['plan', '-f', fresh, '-n', namespace, '--operator-namespace', operatorNamespace], readerKubeconfig);
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain(
      `${ec.DR} volume ${target}: ModifyVolume access=replicationTarget (never accessed) → ${ec.PROD} volume ${source}: StartVolumePairing Async → ${ec.DR} volume ${target}: CompleteVolumePairing`,
    );
    expect(planned.stdout).toContain('(new)');

    const stall = await cli(['plan', '-f', inUse, '-n', namespace, '--operator-namespace', operatorNamespace, '-o', 'json'], readerKubeconfig);
    expect(stall.code).toBe(3);
    const report = JSON.parse(stall.stdout) as { resources: { outcome: { kind: string; reason: string }; calls: unknown[] }[] };
    expect(report.resources[0]?.outcome).toMatchObject({ kind: 'stalled', reason: 'TargetInUse' });
    expect(report.resources[0]?.calls).toEqual([]);

    // A target smaller than its source: the stall reason, exit 3, nothing called.
    const [bigSource, smallTarget] = [await newVolume('PROD', 2 * 1024 ** 3), await newVolume('DR', 1024 ** 3)];
    const tooSmall = writeManifest('too-small', [volumePair(`vp-small-${run}`, bigSource, smallTarget)]);
    const small = await cli(['plan', '-f', tooSmall, '-n', namespace, '--operator-namespace', operatorNamespace], readerKubeconfig);
    expect(small.code).toBe(3);
    expect(small.stdout).toContain('TargetTooSmall');
    expect(await mutatingCallsCount()).toEqual(before);

    // Apply both; the new one becomes Ready, the other stalls.
    for (const file of [fresh, inUse]) {
      const name = path.basename(file) === 'fresh.yaml' ? `vp-new-${run}` : `vp-used-${run}`;
      const object = volumePair(name, name.startsWith('vp-new') ? source : source2, name.startsWith('vp-new') ? target : usedTarget);
      await kube.create(VOLUME_PAIRS, object);
    }
    await waitFor(() => kube.get<ClusterPairObject>(VOLUME_PAIRS, `vp-new-${run}`, namespace), (vp) => condition(vp, 'Ready')?.status === 'True', 'VolumePair Ready');
    await waitFor(() => kube.get<ClusterPairObject>(VOLUME_PAIRS, `vp-used-${run}`, namespace), (vp) => condition(vp, 'Stalled')?.status === 'True', 'VolumePair Stalled');

    const settled = await mutatingCallsCount();
    const again = await cli(['plan', '-f', fresh, '-n', namespace, '--operator-namespace', operatorNamespace], readerKubeconfig);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`VolumePair ${namespace}/vp-new-${run} (unchanged)`);
    expect(again.stdout).toMatch(/nothing to do: Ready/);
    expect(await mutatingCallsCount()).toEqual(settled);
  });

  it('status: table and JSON with a Ready and a Stalled pair, the last Warning, the summary', async () => {
    const table = await cli(['status', ...scope()]);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^KIND\s+NAMESPACE\s+NAME\s+PRIMARY\s+MODE\s+STATE\s+LAG\s+READY\s+REASON\s+LAST WARNING$/);
    expect(lines.find((l) => l.includes(`vp-new-${run}`))).toMatch(/VolumePair\s+\S+\s+vp-new-\S+\s+A\s+Async\s+Active\s+\S+\s+True\s+\S+/);
    expect(lines.find((l) => l.includes(`vp-used-${run}`))).toMatch(/False\s+TargetInUse\s+TargetInUse: /);
    expect(table.stdout).toContain('2 Ready, 0 Degraded, 1 Stalled');

    const json = await cli(['status', ...scope(), '-o', 'json']);
    const data = JSON.parse(json.stdout) as { items: { name: string; ready: string; health: string; lastWarning?: { reason: string } }[]; summary: Record<string, number> };
    expect(data.summary).toEqual({ ready: 2, degraded: 0, stalled: 1, progressing: 0 });
    expect(data.items.find((i) => i.name === `vp-used-${run}`)).toMatchObject({ ready: 'False', health: 'Stalled', lastWarning: { reason: 'TargetInUse' } });
    expect(data.items.find((i) => i.name === clusterPair)).toMatchObject({ ready: 'True', health: 'Ready' });
  });

  it('plan uses the live ElementCluster: an MVIP written in the files is never dialled', async () => {
    let connections = 0;
    const decoy = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
    const port = (decoy.address() as net.AddressInfo).port;
    try {
      const [source, target] = [await newVolume('PROD'), await newVolume('DR')];
      const file = writeManifest('elsewhere', [
        { apiVersion: 'elementrepl.io/v1alpha1', kind: 'ElementCluster', metadata: { name: ec.DR }, spec: { mvip: `127.0.0.1:${port}`, credentialsSecretRef: { name: `${ec.DR}-admin` } } },
        volumePair(`vp-elsewhere-${run}`, source, target),
      ]);
      const result = await cli(['plan', '-f', file, '-n', namespace, '--operator-namespace', operatorNamespace], readerKubeconfig);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`not the file's MVIP 127.0.0.1:${port}`);
      expect(result.stdout).toContain(`${ec.PROD} volume ${source}: StartVolumePairing Async`);
      expect(connections).toBe(0);
    } finally {
      decoy.close();
    }
  });

  it('plan says in one line when the user may not read the credentials Secrets', async () => {
    const user = await addTestUser(`cli-nosecrets-${run}`);
    await kube.create(RBAC('clusterrolebindings', false), {
      metadata: { name: `cli-nosecrets-${run}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cli-reader-${run}` },
      subjects: [{ kind: 'User', name: `cli-nosecrets-${run}`, apiGroup: 'rbac.authorization.k8s.io' }],
    } as KubeObject);
    const file = writeManifest('nosecrets', [volumePair(`vp-x-${run}`, 1, 1)]);
    const result = await cli(['plan', '-f', file, '-n', namespace, '--operator-namespace', operatorNamespace], user);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/you may not read Secret .*-admin/);
  });

  it('doctor with the operator stopped fails the leader check with its fix, exit 1', async () => {
    await op.stop();
    const result = await cli(['doctor', '--operator-namespace', operatorNamespace, '--operator-user', operatorUser, '-l', `${RUN_LABEL}=${run}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/operator leader\s+FAIL/);
    expect(result.stdout).toMatch(/Fixes:\n\s+operator leader: start the operator/);
  });
});

async function mutatingCallsCount(): Promise<Record<string, string[]>> {
  const counters = (await sim.admin.counters()) as Record<string, Record<string, number>>;
  return Object.fromEntries(Object.entries(counters).map(([c, methods]) => [c, Object.entries(methods).filter(([m]) => !m.startsWith('List') && !m.startsWith('Get')).map(([m, n]) => `${m}=${n}`).sort()]));
}
