// The ElementCluster controller against a real kube-apiserver and the Element simulator over HTTPS,
// run by the manager as the operator runs it, under a user with the operator's least-privilege
// RBAC. Its informers are scoped by a label so that ElementClusters of other test files are not
// touched. Each test reaches its own simulated cluster (two ElementClusters for one cluster are
// DuplicateCluster). Waits have generous deadlines; no speed is asserted.
import { randomBytes } from 'node:crypto';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ElementCluster } from '../src/api/element-cluster.ts';
import { CLUSTER_PAIR, ELEMENT_CLUSTER } from '../src/api/group.ts';
import type { ReconcileRequest, KubeObject } from '../src/controller/object.ts';
import { Manager } from '../src/controller/manager.ts';
import { ALLOWED_MVIPS_ANNOTATION } from '../src/api/annotations.ts';
import { ElementClient } from '../src/element/client.ts';
import { customResource, KubeClient, SECRETS, type ResourceType } from '../src/kube/client.ts';
import type { EventRecord } from '../src/kube/events.ts';
import { Informer } from '../src/kube/informer.ts';
import { loadKubeConfig } from '../src/kube/kubeconfig.ts';
import { ElementConnections } from '../src/reconcilers/element-cluster/connections.ts';
import type { ClusterPairRefs, ElementClusterClient } from '../src/reconcilers/element-cluster/reconcile.ts';
import { registerElementClusterController } from '../src/reconcilers/element-cluster/register.ts';
import { createCa, createLeaf } from '../src/pki/certs.ts';
import { startSimulator, type RunningSimulator } from '../src/simulator/simulator.ts';
import { addTestUser, createTestNamespace, kubeconfigPath } from './helpers/kube.ts';

const EC = customResource(ELEMENT_CLUSTER);
const CP = customResource(CLUSTER_PAIR);
const rbac = (plural: string, kind: string, namespaced: boolean): ResourceType => ({ group: 'rbac.authorization.k8s.io', version: 'v1', plural, kind, namespaced });
const WAIT = { timeout: 60_000, interval: 200 };
const POLL_MS = 2_000;
const log = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

const run = randomBytes(3).toString('hex');
const LABEL = { 'test.elementrepl.io/run': run };
let admin: KubeClient;
let sim: RunningSimulator;
let operatorNs = '';
let otherNs = '';
let manager: Manager;
const stop = new AbortController();
let running: Promise<void> | undefined;
const events: EventRecord[] = [];
const clusterPairReconciles: string[] = [];

const endpoint = (name: string) => sim.clusters.find((c) => c.name === name) as RunningSimulator['clusters'][number];
const ready = (ec: ElementCluster | null) => ec?.status?.conditions?.find((c) => c.type === 'Ready');
const tlsVerified = (ec: ElementCluster | null) => ec?.status?.conditions?.find((c) => c.type === 'TLSVerified');
const getEc = (name: string) => admin.get<ElementCluster>(EC, name);

async function waitForReady(name: string, reason: string): Promise<ElementCluster> {
  let last: ElementCluster | null = null;
  await vi.waitFor(async () => {
    last = await getEc(name);
    expect(ready(last)?.reason).toBe(reason);
  }, WAIT);
  return last as unknown as ElementCluster;
}

/** A credentials Secret; by default it may be sent to every simulated cluster (elementrepl.io/allowed-mvips). */
async function createCredentials(name: string, password: string, namespace = operatorNs, allowed = sim.clusters.map((c) => c.mvip)): Promise<void> {
  const annotations = { [ALLOWED_MVIPS_ANNOTATION]: allowed.join(',') };
  await admin.create(SECRETS, { metadata: { name, namespace, annotations }, stringData: { username: endpoint('PROD').username, password } } as KubeObject);
}

async function createEc(name: string, spec: Record<string, unknown>): Promise<void> {
  await admin.create(EC, { metadata: { name, labels: LABEL }, spec } as KubeObject);
}

/** The operator's RBAC (deploy/base/rbac.yaml) for a client-certificate user; returns its client. */
async function operatorUser(): Promise<KubeClient> {
  const user = `elementrepl-operator-${run}`;
  const kubeconfig = await addTestUser(user);
  await admin.create(rbac('clusterroles', 'ClusterRole', false), {
    metadata: { name: user },
    rules: [
      { apiGroups: ['elementrepl.io'], resources: ['elementclusters', 'clusterpairs', 'volumepairs'], verbs: ['get', 'list', 'watch', 'patch', 'update'] },
      { apiGroups: ['elementrepl.io'], resources: ['elementclusters/status', 'clusterpairs/status', 'volumepairs/status'], verbs: ['get', 'patch', 'update'] },
      { apiGroups: ['elementrepl.io'], resources: ['elementclusters/finalizers', 'clusterpairs/finalizers', 'volumepairs/finalizers'], verbs: ['update'] },
    ],
  } as KubeObject);
  await admin.create(rbac('clusterrolebindings', 'ClusterRoleBinding', false), {
    metadata: { name: user },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: user },
    subjects: [{ kind: 'User', name: user, apiGroup: 'rbac.authorization.k8s.io' }],
  } as KubeObject);
  await admin.create(rbac('roles', 'Role', true), {
    metadata: { name: user, namespace: operatorNs },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'delete'] }],
  } as KubeObject);
  await admin.create(rbac('rolebindings', 'RoleBinding', true), {
    metadata: { name: user, namespace: operatorNs },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: user },
    subjects: [{ kind: 'User', name: user, apiGroup: 'rbac.authorization.k8s.io' }],
  } as KubeObject);
  return new KubeClient(loadKubeConfig({ kubeconfig }).kubeConfig);
}

beforeAll(async () => {
  admin = new KubeClient(loadKubeConfig({ kubeconfig: kubeconfigPath() }).kubeConfig);
  operatorNs = await createTestNamespace('ecop');
  otherNs = await createTestNamespace('ecother');
  sim = await startSimulator({ clusters: ['PROD', 'DR', 'AUTH', 'LATE', 'IDENT', 'NOUUID', 'INUSE', 'UNUSED', 'DUP'] });
  const kube = await operatorUser();
  const selector = `test.elementrepl.io/run=${run}`;
  const informers = {
    clusters: new Informer<ElementCluster>({ client: kube, resource: EC, log, labelSelector: selector }),
    clusterPairs: new Informer<ClusterPairRefs & KubeObject>({ client: kube, resource: CP, log, labelSelector: selector }),
    operatorSecrets: new Informer<KubeObject>({ client: kube, resource: SECRETS, namespace: operatorNs, log }),
  };
  manager = new Manager({ log, shutdownTimeoutMs: 5_000 });
  const connections = new ElementConnections<ElementClusterClient>(
    (_cluster, options) => new ElementClient({ ...options, timeouts: { connectMs: 2_000, headersMs: 5_000, bodyMs: 5_000 } }),
  );
  registerElementClusterController({
    manager,
    kube,
    connections,
    events: { record: (e) => events.push(e) },
    operatorNamespace: operatorNs,
    pollIntervalMs: POLL_MS,
    workers: 2,
    informers,
  });
  // Stands in for the ClusterPair controller: records the nudges it gets.
  manager.addController<ClusterPairRefs & KubeObject>({
    name: 'ClusterPair',
    for: informers.clusterPairs,
    reconciler: { reconcile: async (request: ReconcileRequest) => void clusterPairReconciles.push(request.name) },
  });
  running = manager.run(stop.signal);
});

afterAll(async () => {
  stop.abort();
  await running;
  await sim?.stop();
});

describe('ElementCluster controller', () => {
  it('connects with the credentials Secret and CA Secret and fills the status', async () => {
    await createCredentials('prod-admin', endpoint('PROD').password);
    await admin.create(SECRETS, { metadata: { name: 'sim-ca', namespace: operatorNs }, stringData: { 'ca.crt': sim.caPem } } as KubeObject);
    await createEc(`prod-${run}`, { mvip: endpoint('PROD').mvip, credentialsSecretRef: { name: 'prod-admin' }, tls: { caSecretRef: { name: 'sim-ca' } } });

    const ec = await waitForReady(`prod-${run}`, 'Connected');

    const identity = (await sim.admin.clusters()).find((c) => c.name === 'PROD');
    expect(ec.status).toMatchObject({
      clusterName: 'PROD',
      clusterUniqueID: identity?.uniqueID,
      clusterUUID: identity?.uuid,
      elementVersion: identity?.elementVersion,
      apiVersion: identity?.apiVersion,
      observedGeneration: ec.metadata.generation,
    });
    expect(ec.status?.lastContactTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(ready(ec)).toMatchObject({ status: 'True' });
    expect(tlsVerified(ec)).toMatchObject({ status: 'True', reason: 'CAVerified' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'Normal', reason: 'Connected' }));
  });

  it('reports AuthFailed for wrong credentials and reconnects when the watched Secret is fixed', async () => {
    await createCredentials('bad-admin', 'wrong-password');
    await createEc(`auth-${run}`, { mvip: endpoint('AUTH').mvip, credentialsSecretRef: { name: 'bad-admin' }, tls: { pinnedSHA256: await pinOf('AUTH') } });
    await waitForReady(`auth-${run}`, 'AuthFailed');

    await admin.mergePatch(SECRETS, 'bad-admin', { stringData: { password: endpoint('PROD').password } }, { namespace: operatorNs });

    const ec = await waitForReady(`auth-${run}`, 'Connected');
    expect(tlsVerified(ec)).toMatchObject({ status: 'True', reason: 'CertificatePinned' });
    expect(JSON.stringify(ec.status)).not.toContain('wrong-password');
  });

  it('reports SecretNotFound until the Secret appears, and SecretForbidden outside its namespace', async () => {
    await createEc(`nosecret-${run}`, { mvip: endpoint('LATE').mvip, credentialsSecretRef: { name: 'later' }, tls: { insecureSkipVerify: true } });
    await createEc(`forbidden-${run}`, { mvip: endpoint('LATE').mvip, credentialsSecretRef: { name: 'elsewhere', namespace: otherNs }, tls: { insecureSkipVerify: true } });
    await createCredentials('elsewhere', endpoint('PROD').password, otherNs);

    await waitForReady(`nosecret-${run}`, 'SecretNotFound');
    const forbidden = await waitForReady(`forbidden-${run}`, 'SecretForbidden');
    expect(ready(forbidden)?.message).toContain(`${otherNs}/elsewhere`);

    await createCredentials('later', endpoint('PROD').password);
    const ec = await waitForReady(`nosecret-${run}`, 'Connected');
    expect(tlsVerified(ec)).toMatchObject({ status: 'False', reason: 'InsecureSkipVerify' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'InsecureSkipVerify' }));
  });

  it.each([
    ['verified against the CA', { caSecretRef: { name: 'sim-ca' } }],
    ['with insecureSkipVerify', { insecureSkipVerify: true }],
  ])('sends nothing to an MVIP the credentials Secret does not allow (%s): SecretNotAllowed', async (_case, tls) => {
    const hostile = await startRecordingListener();
    try {
      const which = Object.keys(tls)[0]?.toLowerCase() ?? 'tls';
      const name = `hostile-${which}-${run}`;
      await createEc(name, { mvip: hostile.mvip, credentialsSecretRef: { name: 'prod-admin' }, tls });

      const refused = await waitForReady(name, 'SecretNotAllowed');
      // Once more after a reconcile of a spec change, so that no later attempt slips through unseen.
      await admin.mergePatch(EC, name, { spec: { apiVersion: '12.5' } });
      const generation = (await getEc(name))?.metadata.generation;
      await vi.waitFor(async () => expect((await getEc(name))?.status?.observedGeneration).toBe(generation), WAIT);

      expect(ready(await getEc(name))?.reason).toBe('SecretNotAllowed');
      expect(ready(refused)?.message).toContain(`${operatorNs}/prod-admin`);
      expect(ready(refused)?.message).toContain(hostile.mvip);
      expect(hostile.connections).toBe(0);
      expect(hostile.authorizations).toEqual([]);

      // Control: a Secret that does allow the listener's MVIP is sent there, so the listener would have seen it.
      await createCredentials(`decoy-${which}`, 'decoy-password', operatorNs, [hostile.mvip]);
      await admin.mergePatch(EC, name, { spec: { credentialsSecretRef: { name: `decoy-${which}` }, tls: { caSecretRef: null, insecureSkipVerify: true } } });
      await vi.waitFor(() => expect(hostile.authorizations.length).toBeGreaterThan(0), WAIT);
      expect(hostile.authorizations[0]).toBe(`Basic ${Buffer.from(`${endpoint('PROD').username}:decoy-password`).toString('base64')}`);
      await admin.delete(EC, name);
    } finally {
      await hostile.close();
    }
  });

  it('reports TLSError for a wrong pin', async () => {
    await createEc(`pin-${run}`, { mvip: endpoint('PROD').mvip, credentialsSecretRef: { name: 'prod-admin' }, tls: { pinnedSHA256: Array(32).fill('AB').join(':') } });

    const ec = await waitForReady(`pin-${run}`, 'TLSError');

    expect(tlsVerified(ec)).toMatchObject({ status: 'False', reason: 'TLSError' });
  });

  it('backs off while the cluster is down, is Ready again once it is back, and re-queues its ClusterPairs then', async () => {
    const name = `down-${run}`;
    await createEc(name, { mvip: endpoint('DR').mvip, credentialsSecretRef: { name: 'prod-admin' }, tls: { caSecretRef: { name: 'sim-ca' } } });
    await waitForReady(name, 'Connected');
    await admin.create(CP, { metadata: { name: `pair-${run}`, labels: LABEL }, spec: { clusterARef: { name }, clusterBRef: { name: `prod-${run}` } } } as KubeObject);

    await sim.admin.setClusterDown('DR');
    await waitForReady(name, 'Unreachable');
    clusterPairReconciles.length = 0;
    await sim.admin.setClusterUp('DR');

    await waitForReady(name, 'Connected');
    await vi.waitFor(() => expect(clusterPairReconciles).toContain(`pair-${run}`), WAIT);
  });

  it('stops at IdentityMismatch when the MVIP answers as another cluster, and recovers when it is pointed back', async () => {
    const name = `ident-${run}`;
    await createEc(name, { mvip: endpoint('IDENT').mvip, credentialsSecretRef: { name: 'prod-admin' }, tls: { caSecretRef: { name: 'sim-ca' } } });
    const before = await waitForReady(name, 'Connected');

    await admin.mergePatch(EC, name, { spec: { mvip: endpoint('DR').mvip } });
    const mismatched = await waitForReady(name, 'IdentityMismatch');

    expect(mismatched.status?.clusterUUID).toBe(before.status?.clusterUUID);
    expect(mismatched.status?.clusterName).toBe('IDENT');
    await admin.mergePatch(EC, name, { spec: { mvip: endpoint('IDENT').mvip } });
    await waitForReady(name, 'Connected');
  });

  it('stops at IdentityMismatch by uniqueID when GetClusterInfo has no uuid', async () => {
    const name = `nouuid-${run}`;
    await createEc(name, { mvip: endpoint('NOUUID').mvip, credentialsSecretRef: { name: 'prod-admin' }, tls: { caSecretRef: { name: 'sim-ca' } } });
    const before = await waitForReady(name, 'Connected');
    expect(before.status?.clusterUUID).toBeDefined();

    await sim.admin.setBehaviour({ clusterInfoUuid: 'absent' });
    try {
      await admin.mergePatch(EC, name, { spec: { mvip: endpoint('DR').mvip } });
      const mismatched = await waitForReady(name, 'IdentityMismatch');

      const dr = (await sim.admin.clusters()).find((c) => c.name === 'DR');
      expect(ready(mismatched)?.message).toContain(`uniqueID ${dr?.uniqueID}`);
      expect(mismatched.status).toMatchObject({ clusterName: 'NOUUID', clusterUniqueID: before.status?.clusterUniqueID, clusterUUID: before.status?.clusterUUID });
    } finally {
      await sim.admin.setBehaviour({ clusterInfoUuid: 'present' });
    }
  });

  it('reports the newer of two ElementClusters for one Element cluster as DuplicateCluster, until the older one is gone', async () => {
    const older = `dup-a-${run}`;
    const newer = `dup-b-${run}`;
    await createEc(older, { mvip: endpoint('DUP').mvip, credentialsSecretRef: { name: 'prod-admin' }, tls: { caSecretRef: { name: 'sim-ca' } } });
    const first = await waitForReady(older, 'Connected');
    // The same cluster again, with another trust setting.
    await createEc(newer, { mvip: endpoint('DUP').mvip, credentialsSecretRef: { name: 'prod-admin' }, tls: { pinnedSHA256: await pinOf('DUP') } });

    const duplicate = await waitForReady(newer, 'DuplicateCluster');

    expect(ready(duplicate)?.message).toContain(older);
    expect(duplicate.status?.clusterUniqueID).toBe(first.status?.clusterUniqueID);
    expect(ready(await getEc(older))?.reason).toBe('Connected');
    expect(events).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'DuplicateCluster' }));

    await admin.delete(EC, older);
    await waitForReady(newer, 'Connected');
  });

  it('records the MVIP the cluster reports in status.clusterMVIP', async () => {
    const ec = await waitForReady(`prod-${run}`, 'Connected');

    expect(ec.status?.clusterMVIP).toBe(endpoint('PROD').mvip);
  });

  it('keeps an in-use finalizer while a ClusterPair references it; deletion waits for the pair', async () => {
    const name = `inuse-${run}`;
    const pair = `inuse-pair-${run}`;
    await createEc(name, { mvip: endpoint('INUSE').mvip, credentialsSecretRef: { name: 'prod-admin' }, tls: { caSecretRef: { name: 'sim-ca' } } });
    await waitForReady(name, 'Connected');
    await admin.create(CP, { metadata: { name: pair, labels: LABEL }, spec: { clusterARef: { name: `prod-${run}` }, clusterBRef: { name } } } as KubeObject);
    await vi.waitFor(async () => expect((await getEc(name))?.metadata.finalizers).toEqual(['elementrepl.io/in-use']), WAIT);

    await admin.delete(EC, name);
    const held = await waitForReady(name, 'InUse');
    expect(ready(held)?.message).toContain(pair);

    await admin.delete(CP, pair);
    await vi.waitFor(async () => expect(await getEc(name)).toBeNull(), WAIT);
  });

  it('drops the in-use finalizer once no ClusterPair references the cluster any more', async () => {
    const name = `unused-${run}`;
    const pair = `unused-pair-${run}`;
    await createEc(name, { mvip: endpoint('UNUSED').mvip, credentialsSecretRef: { name: 'prod-admin' }, tls: { caSecretRef: { name: 'sim-ca' } } });
    await waitForReady(name, 'Connected');
    await admin.create(CP, { metadata: { name: pair, labels: LABEL }, spec: { clusterARef: { name: `prod-${run}` }, clusterBRef: { name } } } as KubeObject);
    await vi.waitFor(async () => expect((await getEc(name))?.metadata.finalizers).toEqual(['elementrepl.io/in-use']), WAIT);

    await admin.delete(CP, pair);
    // The cluster itself stays; only the finalizer goes (the status write in the same reconcile must not make it conflict).
    await vi.waitFor(async () => expect((await getEc(name))?.metadata.finalizers ?? []).toEqual([]), WAIT);
    expect(await getEc(name)).not.toBeNull();
    await admin.delete(EC, name);
    await vi.waitFor(async () => expect(await getEc(name)).toBeNull(), WAIT);
  });
});

/** An HTTPS server on 127.0.0.1 that stands in for a host an attacker controls: it records every connection and Authorization header. */
async function startRecordingListener(): Promise<{ mvip: string; connections: number; authorizations: string[]; close(): Promise<void> }> {
  const ca = await createCa('hostile-ca');
  const leaf = await createLeaf(ca, { commonName: '127.0.0.1', ipAddresses: ['127.0.0.1'], usage: 'server' });
  const record = { connections: 0, authorizations: [] as string[] };
  const server: Server = createHttpsServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
    if (req.headers.authorization) record.authorizations.push(req.headers.authorization);
    res.writeHead(401).end();
  });
  server.on('connection', () => void (record.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    mvip: `127.0.0.1:${port}`,
    get connections() {
      return record.connections;
    },
    authorizations: record.authorizations,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function pinOf(cluster: string): Promise<string> {
  const { X509Certificate } = await import('node:crypto');
  const tls = await import('node:tls');
  const [host, port] = endpoint(cluster).mvip.split(':') as [string, string];
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const socket = tls.connect({ host, port: Number(port), rejectUnauthorized: false }, () => {
      const cert = socket.getPeerX509Certificate();
      socket.end();
      if (cert) resolve(cert.raw);
      else reject(new Error('no certificate'));
    });
    socket.on('error', reject);
  });
  return new X509Certificate(raw).fingerprint256;
}
