import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, credentialsFromKubeconfig, type ApiClient, type WatchEvent } from './harness/api-client.ts';
import { repoRoot } from './harness/binaries.ts';
import { cleanupOrphans, startControlPlane, type ControlPlane } from './harness/control-plane.ts';
import { addTestUser, adminClient, createTestNamespace, kubeconfigPath, kubectl } from './helpers/kube.ts';

const pinnedVersion = /^K8S_VERSION=(\S+)$/m.exec(readFileSync(path.join(repoRoot, 'test/control-plane/versions.env'), 'utf8'))?.[1];

async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** True while `pid` is a live process started for `runDir` (false for exited, reaped or recycled pids). */
function runsIn(pid: number, runDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(runDir);
  } catch {
    return false;
  }
}

const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

async function expectListConfigMaps(client: ApiClient, namespace: string, status: number): Promise<void> {
  const response = await client.request('GET', `/api/v1/namespaces/${namespace}/configmaps`);
  expect(response.status).toBe(status);
}

describe('shared control plane (global setup)', () => {
  it('answers with the pinned kube-apiserver version', async () => {
    expect(pinnedVersion).toMatch(/^v1\.\d+\.\d+$/);
    const response = await adminClient().request('GET', '/version');
    expect(response.status).toBe(200);
    expect((response.body as { gitVersion: string }).gitVersion).toBe(pinnedVersion);
    expect(process.env['KUBECONFIG']).toBe(kubeconfigPath());
  });

  it('creates a ConfigMap with kubectl and delivers it to a watch', async () => {
    const namespace = await createTestNamespace();
    const client = adminClient();
    const list = await client.request('GET', `/api/v1/namespaces/${namespace}/configmaps`);
    const resourceVersion = (list.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const events: WatchEvent[] = [];
    const watch = client.watch(`/api/v1/namespaces/${namespace}/configmaps?watch=true&resourceVersion=${resourceVersion}`, (e) => events.push(e));
    try {
      const applied = await kubectl(['apply', '-n', namespace, '-f', '-'], { input: JSON.stringify(configMap('greeting', { hello: 'world' })) });
      expect(applied).toMatchObject({ code: 0 });
      const added = await eventually('ADDED event', async () => events.find((e) => e.type === 'ADDED'));
      expect(added.object).toMatchObject({ metadata: { name: 'greeting', namespace }, data: { hello: 'world' } });
      const got = await kubectl(['get', 'configmap', 'greeting', '-n', namespace, '-o', 'jsonpath={.data.hello}']);
      expect(got).toMatchObject({ code: 0, stdout: 'world' });
    } finally {
      watch.close();
    }
  });

  it('addTestUser gives a user that RBAC refuses until a RoleBinding grants access', async () => {
    const namespace = await createTestNamespace();
    const userKubeconfig = await addTestUser('carol', ['readers']);
    const user = createApiClient(credentialsFromKubeconfig(userKubeconfig));
    await expectListConfigMaps(user, namespace, 403);
    const refused = await kubectl(['get', 'configmaps', '-n', namespace], { kubeconfig: userKubeconfig });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('forbidden');
    expect(await kubectl(['create', 'role', 'read-cm', '-n', namespace, '--verb=get,list', '--resource=configmaps'])).toMatchObject({ code: 0 });
    expect(await kubectl(['create', 'rolebinding', 'read-cm', '-n', namespace, '--role=read-cm', '--group=readers'])).toMatchObject({ code: 0 });
    await eventually('access after binding', async () => ((await user.request('GET', `/api/v1/namespaces/${namespace}/configmaps`)).status === 200 ? true : undefined));
  });
});

describe('harness API on a dedicated control plane', () => {
  let plane: ControlPlane;
  const crdDir = mkdtempSync(path.join(os.tmpdir(), 'cp-test-crds-'));

  beforeAll(async () => {
    plane = await startControlPlane({ crdDirectory: null });
  });
  afterAll(async () => {
    const { etcd, kubeApiServer } = plane.pids();
    await plane.stop();
    rmSync(crdDir, { recursive: true, force: true });
    expect(existsSync(plane.runDir)).toBe(false);
    for (const pid of [etcd, kubeApiServer]) if (pid) expect(runsIn(pid, plane.runDir)).toBe(false);
  });

  it('restartApiServer keeps the data, the URL and the kubeconfig', async () => {
    const before = { url: plane.apiServerUrl, pid: plane.pids().kubeApiServer };
    const created = await plane.client.request('POST', '/api/v1/namespaces/default/configmaps', configMap('survivor', { kept: 'yes' }));
    expect(created.status).toBe(201);

    await plane.restartApiServer();

    expect(plane.apiServerUrl).toBe(before.url);
    expect(plane.pids().kubeApiServer).not.toBe(before.pid);
    const fresh = createApiClient(credentialsFromKubeconfig(plane.kubeconfigPath));
    const read = await fresh.request('GET', '/api/v1/namespaces/default/configmaps/survivor');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ data: { kept: 'yes' } });
  });

  it('stopApiServer and startApiServer take the API down and bring it back', async () => {
    await plane.stopApiServer();
    expect(plane.pids().kubeApiServer).toBeUndefined();
    await expect(plane.client.request('GET', '/readyz', undefined, 2000)).rejects.toThrow();
    await plane.startApiServer();
    expect((await plane.client.request('GET', '/readyz')).status).toBe(200);
  });

  it('addUser gives a user that RBAC refuses (403) until bound', async () => {
    const user = createApiClient(credentialsFromKubeconfig(await plane.addUser('bob', ['devs'])));
    await expectListConfigMaps(user, 'default', 403);
    const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/default';
    const role = { metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] };
    expect((await plane.client.request('POST', `${rbac}/roles`, role)).status).toBe(201);
    const binding = {
      metadata: { name: 'cm-reader-bob' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' }],
    };
    expect((await plane.client.request('POST', `${rbac}/rolebindings`, binding)).status).toBe(201);
    await eventually('access after binding', async () => ((await user.request('GET', '/api/v1/namespaces/default/configmaps')).status === 200 ? true : undefined));
  });

  it('installCrds creates, then updates, CRDs until their resources are served', async () => {
    const crd = (versions: string[]) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.harness.test.example' },
      spec: {
        group: 'harness.test.example',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: versions.map((name, i) => ({
          name, served: true, storage: i === 0,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
        })),
      },
    });
    // JSON is YAML; a second document that is not a CRD and a kustomization.yaml are skipped.
    writeFileSync(path.join(crdDir, 'widgets.yaml'), `${JSON.stringify(crd(['v1']))}\n---\n${JSON.stringify(configMap('not-a-crd', {}))}\n`);
    writeFileSync(path.join(crdDir, 'kustomization.yaml'), 'resources: [widgets.yaml]\n');
    expect(await plane.installCrds(crdDir)).toEqual(['widgets.harness.test.example']);
    const widget = { apiVersion: 'harness.test.example/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } };
    expect((await plane.client.request('POST', '/apis/harness.test.example/v1/namespaces/default/widgets', widget)).status).toBe(201);

    writeFileSync(path.join(crdDir, 'widgets.yaml'), JSON.stringify(crd(['v1', 'v2'])));
    expect(await plane.installCrds(crdDir)).toEqual(['widgets.harness.test.example']);
    const viaV2 = await plane.client.request('GET', '/apis/harness.test.example/v2/namespaces/default/widgets/w1');
    expect(viaV2.status).toBe(200);
    expect(viaV2.body).toMatchObject({ apiVersion: 'harness.test.example/v2', spec: { size: 3 } });
  });
});

describe('npm run control-plane (scripts/control-plane.ts)', () => {
  function startCli(args: string[]) {
    const child = spawn(path.join(repoRoot, 'node_modules/.bin/node'), [path.join(repoRoot, 'scripts/control-plane.ts'), ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const ready = eventually('the JSON line', async () => (stdout.includes('\n') ? stdout : undefined), 180_000).then((text) => {
      const kubeconfig = (JSON.parse(text) as { kubeconfig: string }).kubeconfig;
      const runDir = path.dirname(kubeconfig);
      const pids = Object.values((JSON.parse(readFileSync(path.join(runDir, 'pids.json'), 'utf8')) as { processes: Record<string, number> }).processes);
      return { kubeconfig, runDir, pids };
    });
    return { child, exited, ready, stdout: () => stdout };
  }

  it('prints exactly one JSON line when ready and removes everything on SIGTERM', async () => {
    const cli = startCli([]);
    const { kubeconfig, runDir, pids } = await cli.ready;
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(runsIn(pid, runDir)).toBe(true);
    expect(await kubectl(['get', 'namespace', 'default', '-o', 'name'], { kubeconfig })).toMatchObject({ code: 0, stdout: 'namespace/default\n' });

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toBe(`${JSON.stringify({ kubeconfig })}\n`);
    expect(existsSync(runDir)).toBe(false);
    for (const pid of pids) expect(runsIn(pid, runDir)).toBe(false);
  });

  it('leaves orphans only when SIGKILLed, and the next start (cleanupOrphans) removes them', async () => {
    const cli = startCli(['--no-crds']);
    const { runDir, pids } = await cli.ready;
    cli.child.kill('SIGKILL');
    await cli.exited;
    for (const pid of pids) expect(runsIn(pid, runDir)).toBe(true);

    expect(cleanupOrphans([path.dirname(runDir)])).toContain(runDir);
    expect(existsSync(runDir)).toBe(false);
    await eventually('orphans to die', async () => (pids.every((pid) => !runsIn(pid, runDir)) ? true : undefined), 20_000);
  });
});
