// deploy/ as shipped: `kubectl apply --server-side -k deploy/` on the real kube-apiserver, then the
// operator with exactly the permissions deploy/base/rbac.yaml gives its ServiceAccount (every request
// impersonates system:serviceaccount:elementrepl-system:elementrepl-operator): main.ts's wiring
// (shared informers, the three controllers, Events, leader election on the Lease) pairs two
// simulated clusters and a volume and removes them again, and the real operator process started with
// the Deployment's args is a ready standby. main.ts has no scope option, so the in-process wiring
// scopes its informers by a label of this run and the real process never leads (the Lease is held
// for an hour): the operator touches no other test's objects. Waits are generous; no speed is asserted.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { LEASE_NAME, startOperatorInProcess, writeImpersonatingKubeconfig, type InProcessOperator } from './helpers/service-account-operator.ts';
import { killAllOperators, REPO_ROOT, spawnOperator } from './helpers/operator-process.ts';
import { waitFor } from './helpers/volume-pair-env.ts';

const NS = 'elementrepl-system';
const SA = `system:serviceaccount:${NS}:elementrepl-operator`;
const DEPLOY = path.join(REPO_ROOT, 'deploy');
const POLL_MS = 2_000;
const EC = customResource(ELEMENT_CLUSTER);
const CP = customResource(CLUSTER_PAIR);
const VP = customResource(VOLUME_PAIR);
const type = (group: string, version: string, plural: string, kind: string, namespaced = true): ResourceType => ({ group, version, plural, kind, namespaced });
const LEASES = type('coordination.k8s.io', 'v1', 'leases', 'Lease');
const EVENTS = type('events.k8s.io', 'v1', 'events', 'Event');
const RBAC = (plural: string, kind: string) => type('rbac.authorization.k8s.io', 'v1', plural, kind);

const run = suffix();
const LABEL = { 'elementrepl.io/test-run': `deploy-${run}` };
const names = { prod: `deploy-prod-${run}`, dr: `deploy-dr-${run}`, forbidden: `deploy-forbidden-${run}`, cp: `deploy-${run}`, vp: `deploy-${run}` };
const identity = `deploy-test_${run}`;
const logLines: string[] = [];
// Debug: a refused request is found whatever level it is logged at.
const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });

interface Obj extends KubeObject {
  spec?: Record<string, unknown> & { template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> } };
  status?: { conditions?: { type: string; status: string; reason: string; message: string }[]; [k: string]: unknown };
  [key: string]: unknown;
}

let admin: KubeClient;
let sa: KubeClient;
let saKubeconfig = '';
let sim: RunningSimulator;
let element: { PROD: ElementClient; DR: ElementClient };
let vpNs = '';
let otherNs = '';
let rendered: Obj[] = [];
let preexisting = new Set<string>();
let operator: InProcessOperator | undefined;
const volumes = { src: 0, dst: 0 };

const key = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const cond = (o: Obj | null, t: string) => o?.status?.conditions?.find((c) => c.type === t);
const readyReason = (resource: ResourceType, name: string, reason: string, namespace?: string) =>
  waitFor(() => admin.get<Obj>(resource, name, namespace), (o) => cond(o, 'Ready')?.reason === reason, `${name} Ready ${reason}`);
const gone = (resource: ResourceType, name: string, namespace?: string) => waitFor(() => admin.get(resource, name, namespace), (o) => o === null, `${name} gone`);
const canI = async (...args: string[]) => (await kubectl(['auth', 'can-i', ...args, `--as=${SA}`])).stdout.trim();
const keySecrets = async (uids: string[]) =>
  (await admin.list<Obj>(SECRETS, { namespace: NS, labelSelector: 'elementrepl.io/role=pairing-key' })).items.filter((s) => uids.includes(s.metadata.labels?.['elementrepl.io/owner-uid'] ?? ''));

const leaseSpec = async () => (await admin.get<Obj & { spec?: { holderIdentity?: string; renewTime?: string } }>(LEASES, LEASE_NAME, NS))?.spec;

beforeAll(async () => {
  admin = new KubeClient(loadKubeConfig({ kubeconfig: kubeconfigPath() }).kubeConfig);
  const build = await kubectl(['kustomize', DEPLOY]);
  expect(build.code, build.stderr).toBe(0);
  rendered = parseAllDocuments(build.stdout).map((d) => d.toJS() as Obj);
  const before = await kubectl(['get', '-k', DEPLOY, '--ignore-not-found', '-o', 'json']);
  expect(before.code, before.stderr).toBe(0);
  preexisting = new Set(((JSON.parse(before.stdout || '{"items":[]}') as { items: Obj[] }).items).map(key));
  saKubeconfig = writeImpersonatingKubeconfig(SA);
  sa = new KubeClient(loadKubeConfig({ kubeconfig: saKubeconfig }).kubeConfig);
  [vpNs, otherNs] = [await createTestNamespace('deploy'), await createTestNamespace('deploy-other')];
  sim = await startSimulator({ clusters: ['PROD', 'DR', 'OTHER'], connectDelayMs: 300, resumeDelayMs: 200 });
  element = { PROD: elementClient(sim, 'PROD'), DR: elementClient(sim, 'DR') };
});

afterAll(async () => {
  await killAllOperators();
  await operator?.stop();
  // Only this run's objects; finalizers dropped in case a failed test left them behind.
  for (const [resource, name, namespace] of [[VP, names.vp, vpNs], [CP, names.cp], [EC, names.prod], [EC, names.dr], [EC, names.forbidden]] as const) {
    await admin.mergePatch(resource, name, { metadata: { finalizers: null } }, { namespace }).catch(() => undefined);
    await admin.delete(resource, name, { namespace }).catch(() => undefined);
  }
  for (const secret of [`${names.prod}-admin`, `${names.dr}-admin`, `deploy-ca-${run}`]) await admin.delete(SECRETS, secret, { namespace: NS }).catch(() => undefined);
  await admin.delete(LEASES, LEASE_NAME, { namespace: NS }).catch(() => undefined);
  // What this apply created, except the CRDs (the whole run uses them) and the shared namespace.
  const created = rendered.filter((o) => !preexisting.has(key(o)) && o.kind !== 'CustomResourceDefinition' && o.kind !== 'Namespace');
  for (const o of created) {
    const group = String(o.apiVersion).includes('/') ? `.${String(o.apiVersion).split('/')[0]}` : '';
    const deleted = await kubectl(['delete', '--ignore-not-found', `${String(o.kind).toLowerCase()}${group}/${o.metadata.name}`, ...(o.metadata.namespace ? ['-n', o.metadata.namespace] : [])]);
    expect(deleted.code, deleted.stderr).toBe(0);
  }
  if (saKubeconfig) rmSync(path.dirname(saKubeconfig), { recursive: true, force: true });
  await Promise.all([element?.PROD.close(), element?.DR.close()]);
  await sim?.stop();
});

describe('deploy/ on a real API server', () => {
  it('applies with kubectl apply --server-side -k: every object exists, the Deployment and Service fit together', async () => {
    const applied = await kubectl(['apply', '--server-side', '-k', DEPLOY]);
    expect(applied.code, applied.stderr).toBe(0);
    // The namespace enforces the restricted Pod Security level: the pod template must not violate it.
    expect(applied.stderr).not.toMatch(/PodSecurity|Warning/);
    const again = await kubectl(['apply', '--server-side', '-k', DEPLOY]);
    expect(again.code, again.stderr).toBe(0);
    const crds = rendered.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => `crd/${o.metadata.name}`);
    expect(crds).toHaveLength(3);
    expect((await kubectl(['wait', '--for', 'condition=established', ...crds, '--timeout=60s'])).code).toBe(0);

    const got = await kubectl(['get', '-k', DEPLOY, '-o', 'json']);
    expect(got.code, got.stderr).toBe(0);
    const live = new Map((JSON.parse(got.stdout) as { items: Obj[] }).items.map((o) => [key(o), o]));
    expect([...live.keys()].sort()).toEqual(rendered.map(key).sort());
    expect(rendered.map((o) => o.kind).sort()).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'CustomResourceDefinition', 'CustomResourceDefinition', 'Deployment', 'Namespace', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount'].sort(),
    );

    const deployment = live.get(`Deployment/${NS}/elementrepl-operator`) as Obj;
    const pod = deployment.spec?.template?.spec as { serviceAccountName: string; securityContext: Record<string, unknown>; containers: Container[] };
    const [container] = pod.containers;
    expect(deployment.spec?.['replicas']).toBe(2);
    expect(pod.serviceAccountName).toBe('elementrepl-operator');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(container?.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container?.args).toContain('--leader-elect');
    const portOf = (name: string) => container?.ports.find((p) => p.name === name)?.containerPort;
    expect(container?.args).toContain(`--metrics-bind-address=:${portOf('metrics')}`);
    expect(container?.args).toContain(`--health-probe-bind-address=:${portOf('probes')}`);
    expect(container?.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'probes' } });
    expect(container?.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'probes' } });
    expect(container?.env.map((e) => e.name)).toEqual(expect.arrayContaining(['POD_NAMESPACE', 'POD_NAME']));
    const service = live.get(`Service/${NS}/elementrepl-operator-metrics`) as Obj & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } };
    expect(deployment.spec?.template?.metadata?.labels).toMatchObject(service.spec.selector);
    expect(service.spec.ports[0]?.targetPort).toBe('metrics');
    for (const role of rendered.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')) expect(JSON.stringify(role['rules'])).not.toContain('*');
  });

  it('gives the ServiceAccount what the operator needs, and no Secrets outside its namespace', async () => {
    const whoami = await kubectl(['auth', 'whoami', '-o', 'json'], { kubeconfig: saKubeconfig });
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ status: { userInfo: { username: SA, groups: expect.arrayContaining([`system:serviceaccounts:${NS}`]) } } });
    // client-node sends the impersonation too (the operator's own client is what the test runs).
    const review = await sa.create<Obj>(type('authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', false), { metadata: { name: 'x' } });
    expect(review.status).toMatchObject({ userInfo: { username: SA } });
    await expect(sa.get(SECRETS, 'anything', otherNs)).rejects.toMatchObject({ status: 403 });

    const allowed = [
      ['list', 'elementclusters.elementrepl.io'],
      ['watch', 'volumepairs.elementrepl.io', '--all-namespaces'],
      ['patch', 'clusterpairs.elementrepl.io'],
      ['patch', 'volumepairs.elementrepl.io', '--subresource=status', '-n', vpNs],
      ['update', 'elementclusters.elementrepl.io', '--subresource=finalizers'],
      ['create', 'events.events.k8s.io', '-n', vpNs],
      ['patch', 'events.events.k8s.io', '-n', 'default'],
      ['create', 'leases.coordination.k8s.io', '-n', NS],
      ['update', 'leases.coordination.k8s.io', '-n', NS],
      ['watch', 'secrets', '-n', NS],
      ['create', 'secrets', '-n', NS],
      ['delete', 'secrets', '-n', NS],
    ];
    const refused = [
      ['get', 'secrets', '-n', otherNs],
      ['list', 'secrets', '--all-namespaces'],
      ['update', 'secrets', '-n', NS],
      ['create', 'elementclusters.elementrepl.io'],
      ['delete', 'volumepairs.elementrepl.io', '-n', vpNs],
      ['get', 'leases.coordination.k8s.io', '-n', otherNs],
      ['delete', 'leases.coordination.k8s.io', '-n', NS],
      ['get', 'pods', '-n', NS],
    ];
    for (const args of allowed) expect(await canI(...args), args.join(' ')).toBe('yes');
    for (const args of refused) expect(await canI(...args), args.join(' ')).toBe('no');
  });

  it('as the ServiceAccount, with leader election: ElementClusters, ClusterPair and VolumePair Ready, Events written', async () => {
    await admin.delete(LEASES, LEASE_NAME, { namespace: NS });
    const endpoint = (name: string) => sim.clusters.find((c) => c.name === name) as RunningSimulator['clusters'][number];
    await admin.create(SECRETS, { metadata: { name: `deploy-ca-${run}`, namespace: NS }, stringData: { 'ca.crt': sim.caPem } } as KubeObject);
    for (const [ec, simName] of [[names.prod, 'PROD'], [names.dr, 'DR']] as const) {
      const { username, password, mvip } = endpoint(simName);
      await admin.create(SECRETS, { metadata: { name: `${ec}-admin`, namespace: NS, annotations: { [ALLOWED_MVIPS_ANNOTATION]: mvip } }, stringData: { username, password } } as KubeObject);
      await admin.create(EC, { metadata: { name: ec, labels: LABEL }, spec: { mvip, credentialsSecretRef: { name: `${ec}-admin` }, tls: { caSecretRef: { name: `deploy-ca-${run}` } } } } as KubeObject);
    }
    await admin.create(CP, { metadata: { name: names.cp, labels: LABEL }, spec: { clusterARef: { name: names.prod }, clusterBRef: { name: names.dr }, allowedNamespaces: [vpNs] } } as KubeObject);
    const [src, dst] = [await sim.admin.createVolumes('PROD', { count: 1, namePrefix: `d${run}` }), await sim.admin.createVolumes('DR', { count: 1, namePrefix: `d${run}` })];
    [volumes.src, volumes.dst] = [src.volumeIDs[0] as number, dst.volumeIDs[0] as number];
    await admin.create(VP, { metadata: { name: names.vp, namespace: vpNs, labels: LABEL }, spec: { clusterPairRef: { name: names.cp }, sideA: { volumeID: volumes.src }, sideB: { volumeID: volumes.dst } } } as KubeObject);

    operator = startOperatorInProcess({ kubeconfig: saKubeconfig, namespace: NS, labels: LABEL, identity, log, pollIntervalMs: POLL_MS });

    const lease = await waitFor(leaseSpec, (s) => s?.holderIdentity === identity, 'the Lease held by the in-process operator');
    await readyReason(EC, names.prod, 'Connected');
    await readyReason(EC, names.dr, 'Connected');
    await waitFor(() => admin.get<Obj>(CP, names.cp), (o) => cond(o, 'Ready')?.status === 'True', 'ClusterPair Ready');
    const vp = await waitFor(() => admin.get<Obj>(VP, names.vp, vpNs), (o) => cond(o, 'Ready')?.status === 'True' && o?.status?.['pairing'] === undefined, 'VolumePair Ready');
    expect(vp?.metadata.finalizers).toContain('elementrepl.io/cleanup');
    const [a] = await element.PROD.listVolumes({ volumeIDs: [volumes.src] });
    const [b] = await element.DR.listVolumes({ volumeIDs: [volumes.dst] });
    expect(a?.volumePairs[0]).toMatchObject({ remoteVolumeID: volumes.dst, volumePairUUID: b?.volumePairs[0]?.volumePairUUID });
    expect(b?.access).toBe('replicationTarget');
    expect((await admin.get<Obj>(EC, names.prod))?.metadata.finalizers).toEqual(['elementrepl.io/in-use']);

    const reasons = async () => {
      const items = [...(await admin.list<Obj>(EVENTS, { namespace: 'default' })).items, ...(await admin.list<Obj>(EVENTS, { namespace: vpNs })).items];
      const mine = items.filter((e) => e['reportingController'] === 'elementrepl.io/operator' && e['reportingInstance'] === identity);
      return mine.map((e) => `${(e['regarding'] as { name: string }).name}:${String(e['reason'])}`);
    };
    const expected = [`${names.prod}:Connected`, `${names.dr}:Connected`, `${names.cp}:Paired`, `${names.vp}:VolumePairingCompleted`];
    await waitFor(reasons, (r) => expected.every((e) => r.includes(e)), 'Events');
    // Renewals rewrite the Lease (update), holder unchanged.
    await waitFor(leaseSpec, (s) => s?.holderIdentity === identity && s.renewTime !== lease?.renewTime, 'a Lease renewal');
  });

  it('reports SecretForbidden for credentials in another namespace, until a Role there grants get (docs/operations.md)', async () => {
    // A cluster no other ElementCluster stands for (a second one for PROD would be DuplicateCluster).
    const other = sim.clusters.find((c) => c.name === 'OTHER') as RunningSimulator['clusters'][number];
    await admin.create(SECRETS, { metadata: { name: 'creds', namespace: otherNs, annotations: { [ALLOWED_MVIPS_ANNOTATION]: other.mvip } }, stringData: { username: other.username, password: other.password } } as KubeObject);
    await admin.create(EC, { metadata: { name: names.forbidden, labels: LABEL }, spec: { mvip: other.mvip, credentialsSecretRef: { name: 'creds', namespace: otherNs }, tls: { caSecretRef: { name: `deploy-ca-${run}` } } } } as KubeObject);
    const forbidden = await readyReason(EC, names.forbidden, 'SecretForbidden');
    expect(cond(forbidden, 'Ready')?.message).toContain(`${otherNs}/creds`);

    await admin.create(RBAC('roles', 'Role'), { metadata: { name: 'elementrepl-operator-secrets', namespace: otherNs }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] } as KubeObject);
    await admin.create(RBAC('rolebindings', 'RoleBinding'), {
      metadata: { name: 'elementrepl-operator-secrets', namespace: otherNs },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'elementrepl-operator-secrets' },
      subjects: [{ kind: 'ServiceAccount', name: 'elementrepl-operator', namespace: NS }],
    } as KubeObject);
    await readyReason(EC, names.forbidden, 'Connected');
    await admin.delete(EC, names.forbidden);
    await gone(EC, names.forbidden);
  });

  it("runs the operator process with the Deployment's args as the ServiceAccount: a Ready standby that never leads", async () => {
    const deployment = await kubectl(['get', 'deployment', 'elementrepl-operator', '-n', NS, '-o', 'json']);
    const [container] = (JSON.parse(deployment.stdout) as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec.containers;
    const args = (container?.args ?? []).map((arg) => arg.replace(/^(--(metrics|health-probe)-bind-address)=.*$/, '$1=127.0.0.1:0'));
    const proc = spawnOperator({ args: [...args, `--kubeconfig=${saKubeconfig}`], env: { POD_NAMESPACE: NS, POD_NAME: `elementrepl-operator-${run}`, KUBECONFIG: undefined } });
    const url = async (server: string) => {
      const line = proc.output().split('\n').find((l) => l.includes('"http server listening"') && l.includes(`"server":"${server}"`));
      return line ? `http://${(JSON.parse(line) as { address: string }).address}` : undefined;
    };
    const probes = await waitFor(() => url('probe'), (u) => u !== undefined, `the probe server; output: ${proc.output()}`);
    await waitFor(() => fetch(`${probes}/readyz`).then((r) => r.status), (s) => s === 200, '/readyz 200 (every informer synced as the ServiceAccount)');
    expect((await fetch(`${probes}/healthz`)).status).toBe(200);
    await waitFor(async () => proc.output(), (out) => out.includes(`"leader":"${identity}"`), 'the standby to see the leader');
    const metrics = await fetch(`${(await url('metrics')) as string}/metrics`).then((r) => r.text());
    expect(metrics).toContain(`leader_election_master_status{name="${LEASE_NAME}"} 0`);
    expect((await leaseSpec())?.holderIdentity).toBe(identity);

    expect(await proc.stop()).toEqual({ code: 0, signal: null });
    expect(proc.output()).not.toMatch(/forbidden|"code":403|"level":50/i);
  });

  it('removes the VolumePair and the ClusterPair on both clusters when deleted: finalizers gone, no key Secret left', async () => {
    const uids = [(await admin.get(VP, names.vp, vpNs))?.metadata.uid, (await admin.get(CP, names.cp))?.metadata.uid].filter((u): u is string => Boolean(u));
    expect(uids).toHaveLength(2);
    await admin.delete(VP, names.vp, { namespace: vpNs });
    await gone(VP, names.vp, vpNs);
    expect((await element.PROD.listVolumes({ volumeIDs: [volumes.src] }))[0]?.volumePairs).toEqual([]);
    expect((await element.DR.listVolumes({ volumeIDs: [volumes.dst] }))[0]?.volumePairs).toEqual([]);

    await admin.delete(CP, names.cp);
    await gone(CP, names.cp);
    expect(await element.PROD.listClusterPairs()).toEqual([]);
    expect(await element.DR.listClusterPairs()).toEqual([]);
    // Unused now: deleting them goes through (the operator drops its in-use finalizer).
    for (const ec of [names.prod, names.dr]) {
      await admin.delete(EC, ec);
      await gone(EC, ec);
    }
    expect(await keySecrets(uids)).toEqual([]);
  });

  it('stops cleanly and hands the Lease over; nothing it needed was forbidden', async () => {
    await operator?.stop();
    expect((await leaseSpec())?.holderIdentity ?? '').toBe('');
    const denied = logLines.filter((l) => /forbidden|"code":403|"status":403/i.test(l) && !l.includes(otherNs) && !l.includes(names.forbidden));
    expect(denied).toEqual([]);
  });
});

interface Container {
  args: string[];
  env: { name: string }[];
  ports: { name: string; containerPort: number }[];
  securityContext: Record<string, unknown>;
  livenessProbe: unknown;
  readinessProbe: unknown;
}
