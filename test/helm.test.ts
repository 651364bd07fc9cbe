// The Helm chart deploy/helm/elementrepl-operator/ against the kustomize install it is generated
// from, and on a real API server: the generated files are up to date; `helm lint` is clean;
// `helm template --include-crds` with default values gives the objects of `kubectl kustomize
// deploy/` (less the Namespace, plus the chart's labels), with monitoring the objects of
// deploy/with-monitoring, with the example addresses the NetworkPolicy of deploy/with-network-policy;
// hardening, PodDisruptionBudget and NetworkPolicy rules as documented, accepted by a server-side
// dry-run; then `helm install` into a fresh namespace and a pairing lifecycle run by the operator as
// the chart's ServiceAccount (test/helpers/service-account-operator.ts, as test/deploy.test.ts
// does for kustomize), with the real process started from the chart's Deployment (args and
// NODE_OPTIONS) as a standby that reports the heap cap on /metrics. Waits are generous.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_DIR, chartFiles, parseDocs } from '../scripts/lib/helm-inputs.ts';
import { CHART_LABELS, type KubeDoc } from '../scripts/lib/helm-chart.ts';
import { ALLOWED_MVIPS_ANNOTATION } from '../src/api/annotations.ts';
import { CLUSTER_PAIR, ELEMENT_CLUSTER, VOLUME_PAIR } from '../src/api/group.ts';
import type { KubeObject } from '../src/controller/object.ts';
import type { ElementClient } from '../src/element/client.ts';
import { customResource, KubeClient, SECRETS, type ResourceType } from '../src/kube/client.ts';
import { loadKubeConfig } from '../src/kube/kubeconfig.ts';
import { startSimulator, type RunningSimulator } from '../src/simulator/simulator.ts';
import { elementClient } from '../src/simulator/testing/clients.ts';
import { suffix } from './helpers/cluster-pair-env.ts';
import { createTestNamespace, kubeconfigPath, kubectl } from './helpers/kube.ts';
import { killAllOperators, REPO_ROOT, spawnOperator } from './helpers/operator-process.ts';
import { startOperatorInProcess, writeImpersonatingKubeconfig, type InProcessOperator } from './helpers/service-account-operator.ts';
import { waitFor } from './helpers/volume-pair-env.ts';

const exec = promisify(execFile);
const EC = customResource(ELEMENT_CLUSTER);
const CP = customResource(CLUSTER_PAIR);
const VP = customResource(VOLUME_PAIR);
const POLL_MS = 2_000;
const MiB = 2 ** 20;
const run = suffix();
const LABEL = { 'elementrepl.io/test-run': `helm-${run}` };
const RELEASE = `ero-${run}`;
const names = { prod: `helm-prod-${run}`, dr: `helm-dr-${run}`, cp: `helm-${run}`, vp: `helm-${run}` };
const identity = `helm-test_${run}`;
const logLines: string[] = [];
const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
// The example addresses of deploy/with-network-policy, as chart values.
const NETPOL_VALUES = ['--set', 'networkPolicy.elementMvipCidrs={192.0.2.0/24,198.51.100.0/24}', '--set', 'networkPolicy.apiServer.cidrs={203.0.113.10/32}', '--set', 'networkPolicy.apiServer.port=6443'];

let helmBin = '';
let ns = '';
let vpNs = '';
let admin: KubeClient;
let saKubeconfig = '';
let sim: RunningSimulator;
let element: { PROD: ElementClient; DR: ElementClient };
let operator: InProcessOperator | undefined;
let installed = false;
const volumes = { src: 0, dst: 0 };

type Obj = KubeDoc & { spec?: Record<string, unknown> };
const key = (o: KubeDoc) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byKey = (docs: KubeDoc[]) => new Map(docs.map((d) => [key(d), d]));

async function helm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(helmBin, args, { env: { ...process.env, KUBECONFIG: kubeconfigPath(), HELM_CACHE_HOME: path.join(REPO_ROOT, 'node_modules', '.cache', 'helm') }, maxBuffer: 64 * MiB });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function template(namespace: string, ...args: string[]): Promise<KubeDoc[]> {
  const out = await helm(['template', RELEASE, CHART_DIR, '--include-crds', '--namespace', namespace, ...args]);
  expect(out.code, out.stderr).toBe(0);
  return parseDocs(out.stdout);
}

async function kustomize(dir: string): Promise<KubeDoc[]> {
  const out = await kubectl(['kustomize', path.join(REPO_ROOT, dir)]);
  expect(out.code, out.stderr).toBe(0);
  return parseDocs(out.stdout);
}

/** A chart object without the labels the chart adds (and kustomize's object otherwise). */
function withoutChartLabels(doc: KubeDoc): KubeDoc {
  const copy = structuredClone(doc);
  const labels = Object.fromEntries(Object.entries(copy.metadata.labels ?? {}).filter(([k]) => !CHART_LABELS.includes(k)));
  copy.metadata.labels = labels;
  return copy;
}

function expectSameObjects(chart: KubeDoc[], kustomized: KubeDoc[]): void {
  const want = byKey(kustomized.filter((d) => d.kind !== 'Namespace'));
  const got = byKey(chart);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, doc] of got) {
    if (doc.kind !== 'CustomResourceDefinition') expect(doc.metadata.labels, k).toMatchObject({ 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': RELEASE });
    expect(withoutChartLabels(doc), k).toEqual(want.get(k));
  }
}

interface PodSpec {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  containers: { name: string; args: string[]; env: { name: string; value?: string }[]; resources: { requests: Record<string, string>; limits: Record<string, string> }; securityContext: Record<string, unknown> }[];
}
const podSpec = (docs: KubeDoc[]) => ((docs.find((d) => d.kind === 'Deployment') as Obj).spec as { template: { spec: PodSpec } }).template.spec;
const mebibytes = (q: string) => Number(/^(\d+)Mi$/.exec(q)?.[1] ?? /^(\d+)Gi$/.exec(q)?.[1] ?? NaN) * (q.endsWith('Gi') ? 1024 : 1);
const heapMiB = (spec: PodSpec) => Number(/--max-old-space-size=(\d+)/.exec(spec.containers[0]?.env.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '')?.[1]);

/** kustomize and Helm alike: the restricted Pod Security profile's fields, memory limit above the heap cap. */
function expectHardened(docs: KubeDoc[]): void {
  const spec = podSpec(docs);
  expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  const [container] = spec.containers;
  expect(container?.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  const limit = mebibytes(container?.resources.limits['memory'] ?? '');
  const request = mebibytes(container?.resources.requests['memory'] ?? '');
  expect(request).toBeLessThanOrEqual(limit);
  // The heap cap leaves room under the limit for code, buffers and the young generation.
  expect(heapMiB(spec)).toBeGreaterThan(0);
  expect(heapMiB(spec)).toBeLessThanOrEqual(limit / 2);
  const pdb = docs.find((d) => d.kind === 'PodDisruptionBudget') as Obj;
  expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'element-replication-operator', 'app.kubernetes.io/component': 'operator' } } });
}

beforeAll(async () => {
  helmBin = process.env['HELM_BIN'] || (await exec('bash', [path.join(REPO_ROOT, 'test/helm/build.sh')], { maxBuffer: 64 * MiB })).stdout.trim();
  admin = new KubeClient(loadKubeConfig({ kubeconfig: kubeconfigPath() }).kubeConfig);
  [ns, vpNs] = [await createTestNamespace('helm'), await createTestNamespace('helm-vp')];
  saKubeconfig = writeImpersonatingKubeconfig(`system:serviceaccount:${ns}:elementrepl-operator`);
  sim = await startSimulator({ clusters: ['PROD', 'DR'], connectDelayMs: 300, resumeDelayMs: 200 });
  element = { PROD: elementClient(sim, 'PROD'), DR: elementClient(sim, 'DR') };
}, 1_800_000); // a cold helm build takes minutes on 2 loaded cores

afterAll(async () => {
  await killAllOperators();
  await operator?.stop();
  for (const [resource, name, namespace] of [[VP, names.vp, vpNs], [CP, names.cp], [EC, names.prod], [EC, names.dr]] as [ResourceType, string, string | undefined][]) {
    await admin?.mergePatch(resource, name, { metadata: { finalizers: null } }, { namespace }).catch(() => undefined);
    await admin?.delete(resource, name, { namespace }).catch(() => undefined);
  }
  if (installed) await helm(['uninstall', RELEASE, '--namespace', ns, '--wait=false']);
  if (saKubeconfig) rmSync(path.dirname(saKubeconfig), { recursive: true, force: true });
  await Promise.all([element?.PROD.close(), element?.DR.close()]);
  await sim?.stop();
});

describe('the Helm chart', () => {
  it('is up to date with deploy/, package.json and src/config.ts (run `npm run gen:helm` when this fails)', async () => {
    const outputs = new Map<string, string>();
    for (const dir of ['deploy', 'deploy/with-monitoring']) outputs.set(dir, (await kubectl(['kustomize', path.join(REPO_ROOT, dir)])).stdout);
    for (const file of chartFiles((dir) => outputs.get(dir) as string)) expect(readFileSync(path.join(CHART_DIR, file.path), 'utf8'), file.path).toBe(file.content);
  });

  it('passes helm lint --strict, with the defaults and with every option set', async () => {
    for (const args of [[], ['--set', 'monitoring.enabled=true', '--set', 'secretNamespaces={a,b}', '--set', 'flags.workers=8', ...NETPOL_VALUES]]) {
      const lint = await helm(['lint', CHART_DIR, '--strict', ...args]);
      expect(lint.code, lint.stdout + lint.stderr).toBe(0);
      expect(lint.stdout).toContain('0 chart(s) failed');
      expect(lint.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    }
  });

  it('renders the objects of kubectl kustomize deploy/ with default values (less the Namespace, plus chart labels)', async () => {
    expectSameObjects(await template('elementrepl-system'), await kustomize('deploy'));
  });

  it('renders deploy/with-monitoring only when enabled and the Prometheus Operator API exists', async () => {
    const monitoringKinds = (docs: KubeDoc[]) => docs.filter((d) => d.apiVersion.startsWith('monitoring.coreos.com/')).map((d) => d.kind);
    expect(monitoringKinds(await template('elementrepl-system', '--api-versions', 'monitoring.coreos.com/v1'))).toEqual([]);
    expect(monitoringKinds(await template('elementrepl-system', '--set', 'monitoring.enabled=true'))).toEqual([]);
    expectSameObjects(await template('elementrepl-system', '--set', 'monitoring.enabled=true', '--api-versions', 'monitoring.coreos.com/v1'), await kustomize('deploy/with-monitoring'));
  });

  it('renders the NetworkPolicy only with MVIP CIDRs, as deploy/with-network-policy does, and requires the API server addresses', async () => {
    expect((await template('elementrepl-system')).filter((d) => d.kind === 'NetworkPolicy')).toEqual([]);
    const missing = await helm(['template', RELEASE, CHART_DIR, '--set', 'networkPolicy.elementMvipCidrs={192.0.2.0/24}']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('networkPolicy.apiServer.cidrs is required');
    const kustomized = await kustomize('deploy/with-network-policy');
    const chart = await template('elementrepl-system', ...NETPOL_VALUES);
    expectSameObjects(chart, kustomized);
    const policy = kustomized.find((d) => d.kind === 'NetworkPolicy') as Obj;
    const port = (protocol: string, p: number) => ({ protocol, port: p });
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'element-replication-operator', 'app.kubernetes.io/component': 'operator' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [port('TCP', 8080), port('TCP', 8081)] }],
      egress: [
        { ports: [port('UDP', 53), port('TCP', 53)] },
        { to: [{ ipBlock: { cidr: '203.0.113.10/32' } }], ports: [port('TCP', 6443)] },
        { to: [{ ipBlock: { cidr: '192.0.2.0/24' } }, { ipBlock: { cidr: '198.51.100.0/24' } }], ports: [port('TCP', 443)] },
      ],
    });
    // The ports it opens are the Deployment's metrics and probe ports.
    const containerPorts = ((kustomized.find((d) => d.kind === 'Deployment') as Obj).spec as { template: { spec: { containers: { ports: { containerPort: number }[] }[] } } }).template.spec.containers[0]?.ports.map((p) => p.containerPort);
    expect(containerPorts?.sort()).toEqual([8080, 8081]);
  });

  it('hardens the pod and budgets memory and disruptions the same way in kustomize and Helm', async () => {
    const [kustomized, chart] = [await kustomize('deploy'), await template('elementrepl-system')];
    expectHardened(kustomized);
    expectHardened(chart);
    const custom = podSpec(await template('elementrepl-system', '--set', 'heap.maxOldSpaceSizeMiB=384', '--set', 'resources.limits.memory=1Gi', '--set', 'flags.workers=8', '--set', 'flags.poll-interval=30s', '--set', 'leaderElect=false'));
    expect(heapMiB(custom)).toBe(384);
    expect(custom.containers[0]?.resources.limits['memory']).toBe('1Gi');
    expect(custom.containers[0]?.args).toEqual(['--metrics-bind-address=:8080', '--health-probe-bind-address=:8081', '--poll-interval=30s', '--workers=8']);
  });

  it('is accepted by a server-side dry-run (NetworkPolicy, PodDisruptionBudget and the rest)', async () => {
    const chart = (await template(ns, ...NETPOL_VALUES, '--set', `secretNamespaces={${vpNs}}`)).filter((d) => d.kind !== 'CustomResourceDefinition');
    expect(chart.map((d) => d.kind)).toEqual(expect.arrayContaining(['NetworkPolicy', 'PodDisruptionBudget']));
    const dry = await kubectl(['apply', '--dry-run=server', '-o', 'name', '-f', '-'], { input: chart.map((d) => JSON.stringify(d)).join('\n') });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('networkpolicy.networking.k8s.io/elementrepl-operator');
    expect(dry.stdout).toContain('poddisruptionbudget.policy/elementrepl-operator');
  });

  it('installs with helm install into the release namespace', async () => {
    const install = await helm(['install', RELEASE, CHART_DIR, '--namespace', ns, '--wait=false']);
    installed = install.code === 0;
    expect(install.code, install.stderr).toBe(0);
    const got = await kubectl(['get', 'deployment,serviceaccount,role,rolebinding,service,poddisruptionbudget', '-n', ns, '-l', `app.kubernetes.io/instance=${RELEASE}`, '-o', 'name']);
    expect(got.stdout.split('\n').filter(Boolean).sort()).toEqual(
      ['deployment.apps/elementrepl-operator', 'poddisruptionbudget.policy/elementrepl-operator', 'role.rbac.authorization.k8s.io/elementrepl-operator', 'rolebinding.rbac.authorization.k8s.io/elementrepl-operator', 'service/elementrepl-operator-metrics', 'serviceaccount/elementrepl-operator'].sort(),
    );
    const binding = await kubectl(['get', 'clusterrolebinding', 'elementrepl-operator', '-o', 'jsonpath={.subjects[0].namespace}']);
    expect(binding.stdout).toBe(ns);
  });

  it("pairs and unpairs two clusters and a volume as the chart's ServiceAccount", async () => {
    const endpoint = (name: string) => sim.clusters.find((c) => c.name === name) as RunningSimulator['clusters'][number];
    await admin.create(SECRETS, { metadata: { name: `helm-ca-${run}`, namespace: ns }, stringData: { 'ca.crt': sim.caPem } } as KubeObject);
    for (const [ec, simName] of [[names.prod, 'PROD'], [names.dr, 'DR']] as const) {
      const { username, password, mvip } = endpoint(simName);
      await admin.create(SECRETS, { metadata: { name: `${ec}-admin`, namespace: ns, annotations: { [ALLOWED_MVIPS_ANNOTATION]: mvip } }, stringData: { username, password } } as KubeObject);
      await admin.create(EC, { metadata: { name: ec, labels: LABEL }, spec: { mvip, credentialsSecretRef: { name: `${ec}-admin`, namespace: ns }, tls: { caSecretRef: { name: `helm-ca-${run}`, namespace: ns } } } } as KubeObject);
    }
    await admin.create(CP, { metadata: { name: names.cp, labels: LABEL }, spec: { clusterARef: { name: names.prod }, clusterBRef: { name: names.dr }, allowedNamespaces: [vpNs] } } as KubeObject);
    const [src, dst] = [await sim.admin.createVolumes('PROD', { count: 1, namePrefix: `h${run}` }), await sim.admin.createVolumes('DR', { count: 1, namePrefix: `h${run}` })];
    [volumes.src, volumes.dst] = [src.volumeIDs[0] as number, dst.volumeIDs[0] as number];
    await admin.create(VP, { metadata: { name: names.vp, namespace: vpNs, labels: LABEL }, spec: { clusterPairRef: { name: names.cp }, sideA: { volumeID: volumes.src }, sideB: { volumeID: volumes.dst } } } as KubeObject);

    operator = startOperatorInProcess({ kubeconfig: saKubeconfig, namespace: ns, labels: LABEL, identity, log, pollIntervalMs: POLL_MS });
    type WithStatus = KubeObject & { status?: { conditions?: { type: string; status: string }[] } };
    const ready = (o: WithStatus | null) => o?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    await waitFor(() => admin.get<WithStatus>(CP, names.cp), ready, 'ClusterPair Ready');
    await waitFor(() => admin.get<WithStatus>(VP, names.vp, vpNs), ready, 'VolumePair Ready');
    const [a] = await element.PROD.listVolumes({ volumeIDs: [volumes.src] });
    expect(a?.volumePairs[0]?.remoteVolumeID).toBe(volumes.dst);

    await admin.delete(VP, names.vp, { namespace: vpNs });
    await waitFor(() => admin.get(VP, names.vp, vpNs), (o) => o === null, 'VolumePair gone');
    expect((await element.PROD.listVolumes({ volumeIDs: [volumes.src] }))[0]?.volumePairs).toEqual([]);
    await admin.delete(CP, names.cp);
    await waitFor(() => admin.get(CP, names.cp), (o) => o === null, 'ClusterPair gone');
    expect(await element.PROD.listClusterPairs()).toEqual([]);
  });

  it("starts the operator with the chart Deployment's args and NODE_OPTIONS: a ready standby reporting the heap cap", async () => {
    const deployment = await kubectl(['get', 'deployment', 'elementrepl-operator', '-n', ns, '-o', 'json']);
    const spec = (JSON.parse(deployment.stdout) as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
    const [container] = spec.containers;
    const cap = heapMiB(spec);
    const args = (container?.args ?? []).map((arg) => arg.replace(/^(--(metrics|health-probe)-bind-address)=.*$/, '$1=127.0.0.1:0'));
    const nodeOptions = container?.env.find((e) => e.name === 'NODE_OPTIONS')?.value;
    const proc = spawnOperator({ args: [...args, `--kubeconfig=${saKubeconfig}`], env: { POD_NAMESPACE: ns, POD_NAME: `elementrepl-operator-${run}`, KUBECONFIG: undefined, NODE_OPTIONS: nodeOptions } });
    const url = (server: string) => {
      const line = proc.output().split('\n').find((l) => l.includes('"http server listening"') && l.includes(`"server":"${server}"`));
      return line ? `http://${(JSON.parse(line) as { address: string }).address}` : undefined;
    };
    const probes = await waitFor(async () => url('probe'), (u) => u !== undefined, `the probe server; output: ${proc.output()}`);
    await waitFor(() => fetch(`${probes}/readyz`).then((r) => r.status), (s) => s === 200, '/readyz 200 as the ServiceAccount');
    const metrics = await fetch(`${url('metrics') as string}/metrics`).then((r) => r.text());
    const limit = Number(/^elementrepl_heap_limit_bytes (\S+)$/m.exec(metrics)?.[1]);
    // heap_size_limit = the old-space cap plus the young generation (V8 sizes it; 192 MiB in Node 24
    // at a 256 MiB cap); without the cap it is V8's default (GiBs). It must stay under the
    // container's memory limit with room for code and buffers (~150 MB outside the heap, docs/benchmark.md).
    expect(limit).toBeGreaterThanOrEqual(cap * MiB);
    expect(limit).toBeLessThanOrEqual((mebibytes(container?.resources.limits['memory'] ?? '') - 128) * MiB);
    expect(await proc.stop()).toEqual({ code: 0, signal: null });
    expect(proc.output()).not.toMatch(/forbidden|"code":403|"level":50/i);
  });

  it('uninstalls without removing the CRDs (so no pair is deleted), and nothing the operator needed was forbidden', async () => {
    await operator?.stop();
    operator = undefined;
    const uninstall = await helm(['uninstall', RELEASE, '--namespace', ns]);
    expect(uninstall.code, uninstall.stderr).toBe(0);
    installed = false;
    expect((await kubectl(['get', 'deployment', 'elementrepl-operator', '-n', ns, '--ignore-not-found', '-o', 'name'])).stdout).toBe('');
    const crds = await kubectl(['get', 'crd', 'elementclusters.elementrepl.io', 'clusterpairs.elementrepl.io', 'volumepairs.elementrepl.io', '-o', 'name']);
    expect(crds.code, crds.stderr).toBe(0);
    expect(crds.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(logLines.filter((l) => /forbidden|"code":403|"status":403/i.test(l))).toEqual([]);
  });
});
