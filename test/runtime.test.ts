// The runtime core against a real kube-apiserver: the client's content types and error mapping,
// the informer's sync, events, 410 Gone relist and recovery from an API-server restart, finalizers
// under optimistic concurrency, and a manager running a controller end to end. Waits have generous
// deadlines; no speed is asserted.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ELEMENT_CLUSTER } from '../src/api/group.ts';
import { finalize, ensureFinalizer, hasFinalizer, removeFinalizer } from '../src/controller/finalizers.ts';
import { Manager } from '../src/controller/manager.ts';
import type { KubeObject, ReconcileRequest } from '../src/controller/object.ts';
import type { InformerEvent } from '../src/controller/source.ts';
import { CONFIG_MAPS, customResource, KubeClient, type ListOptions, type ListPage, type ResourceType } from '../src/kube/client.ts';
import { isConflict, isNotFound, KubeApiError } from '../src/kube/errors.ts';
import { Informer } from '../src/kube/informer.ts';
import { loadKubeConfig } from '../src/kube/kubeconfig.ts';
import { createSecret, deleteSecret, getSecret, listSecrets } from '../src/kube/secrets.ts';
import { startControlPlane, type ControlPlane } from './harness/control-plane.ts';
import { createTestNamespace, kubeconfigPath } from './helpers/kube.ts';

const log = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
const EC = customResource(ELEMENT_CLUSTER);
const WAIT = { timeout: 60_000, interval: 100 };

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

interface ElementClusterObject extends KubeObject {
  spec: { mvip: string; credentialsSecretRef: { name: string } };
  status?: Record<string, unknown>;
}

const suffix = () => randomBytes(4).toString('hex');
const configMap = (namespace: string, name: string, data: Record<string, string> = {}): ConfigMap => ({ metadata: { name, namespace }, data });

/**
 * Compacts etcd history up to `revision` (the API server does this every 5 minutes on its own),
 * so that a watch from an older resourceVersion gets 410 Gone. etcd's URL comes from its command line.
 */
async function compactEtcd(plane: ControlPlane, revision: string): Promise<void> {
  const pid = plane.pids().etcd;
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const url = cmdline.find((arg) => arg.startsWith('--listen-client-urls='))?.split('=')[1];
  if (!url) throw new Error('cannot find the etcd URL');
  const response = await fetch(`${url}/v3/kv/compaction`, { method: 'POST', body: JSON.stringify({ revision, physical: true }) });
  if (!response.ok) throw new Error(`etcd compaction: HTTP ${response.status} ${await response.text()}`);
}

function clientFor(kubeconfig: string): KubeClient {
  return new KubeClient(loadKubeConfig({ kubeconfig }).kubeConfig);
}

function recordEvents<T extends KubeObject>(informer: Informer<T>): string[] {
  const seen: string[] = [];
  informer.subscribe((event: InformerEvent<T>) => {
    seen.push(`${event.type}:${event.object.metadata.name}`);
  });
  return seen;
}

let client: KubeClient;
let ns = '';
const informers: Informer<KubeObject>[] = [];

function informerOf<T extends KubeObject>(options: { resource?: ResourceType; namespace?: string; client?: KubeClient; labelSelector?: string }): Informer<T> {
  const informer = new Informer<T>({
    client: options.client ?? client,
    resource: options.resource ?? CONFIG_MAPS,
    namespace: options.namespace,
    labelSelector: options.labelSelector,
    log,
    backoff: { baseMs: 100, maxMs: 1000 },
  });
  informers.push(informer as unknown as Informer<KubeObject>);
  return informer;
}

beforeAll(async () => {
  client = clientFor(kubeconfigPath());
  ns = await createTestNamespace('runtime');
});

afterAll(async () => {
  await Promise.all(informers.map((i) => i.stop()));
});

describe('KubeClient', () => {
  it('gets null for a missing object and maps API errors to KubeApiError', async () => {
    expect(await client.get(CONFIG_MAPS, 'missing', ns)).toBeNull();
    await client.create(CONFIG_MAPS, configMap(ns, 'dup'));

    const error = await client.create(CONFIG_MAPS, configMap(ns, 'dup')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ status: 409, reason: 'AlreadyExists' });
    expect((error as Error).message).not.toMatch(/Headers|content-type/i);
  });

  it('merge-patches, applies server-side, and deletes', async () => {
    await client.create(CONFIG_MAPS, configMap(ns, 'patched', { a: '1', b: '2' }));

    const merged = await client.mergePatch<ConfigMap>(CONFIG_MAPS, 'patched', { data: { b: null, c: '3' } }, { namespace: ns });
    const applied = await client.apply<ConfigMap>(CONFIG_MAPS, configMap(ns, 'applied', { x: 'y' }));
    const reapplied = await client.apply<ConfigMap>(CONFIG_MAPS, configMap(ns, 'applied', { x: 'z' }));

    expect(merged.data).toEqual({ a: '1', c: '3' });
    expect(applied.data).toEqual({ x: 'y' });
    expect(reapplied.data).toEqual({ x: 'z' });
    expect(JSON.stringify(reapplied.metadata)).toContain('elementrepl-operator');
    expect(await client.delete(CONFIG_MAPS, 'applied', { namespace: ns })).toBe(true);
    expect(await client.delete(CONFIG_MAPS, 'applied', { namespace: ns })).toBe(false);
  });

  it('rejects a merge patch carrying a stale resourceVersion with 409', async () => {
    const created = await client.create(CONFIG_MAPS, configMap(ns, 'occ', { v: '1' }));
    await client.mergePatch(CONFIG_MAPS, 'occ', { data: { v: '2' } }, { namespace: ns });

    const error = await client
      .mergePatch(CONFIG_MAPS, 'occ', { data: { v: '3' } }, { namespace: ns, resourceVersion: created.metadata.resourceVersion })
      .catch((e: unknown) => e);

    expect(isConflict(error)).toBe(true);
  });

  it('patches the status subresource of a custom resource with a merge patch, leaving spec alone', async () => {
    const name = `rt-${suffix()}`;
    const created = await client.create<ElementClusterObject>(EC, {
      metadata: { name },
      spec: { mvip: '127.0.0.1:1', credentialsSecretRef: { name: 'creds' } },
    });
    const condition = { type: 'Ready', status: 'False', reason: 'Unreachable', message: 'no route', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 };

    const patched = await client.patchStatus<ElementClusterObject>(EC, name, { clusterName: 'dc1', conditions: [condition] });
    const again = await client.patchStatus<ElementClusterObject>(EC, name, { clusterUUID: 'u-1' });
    const stale = await client.patchStatus(EC, name, { clusterName: 'x' }, { resourceVersion: created.metadata.resourceVersion }).catch((e: unknown) => e);
    const fetched = await client.get<ElementClusterObject>(EC, name);

    expect(patched.status).toMatchObject({ clusterName: 'dc1', conditions: [condition] });
    expect(again.status).toMatchObject({ clusterName: 'dc1', clusterUUID: 'u-1' });
    expect(isConflict(stale)).toBe(true);
    expect(fetched?.spec).toEqual(created.spec);
    expect(fetched?.metadata.generation).toBe(created.metadata.generation);
    await client.delete(EC, name);
  });
});

describe('Secrets', () => {
  it('creates, reads decoded, lists by label and deletes', async () => {
    const created = await createSecret(client, {
      namespace: ns,
      generateName: 'key-',
      labels: { 'elementrepl.io/owner-uid': 'u-1' },
      immutable: true,
      data: { pairingKey: 'abc123', note: 'ünïcode' },
    });

    const read = await getSecret(client, ns, created.metadata.name);
    const listed = await listSecrets(client, ns, 'elementrepl.io/owner-uid=u-1');
    const deleted = await deleteSecret(client, ns, created.metadata.name, created.metadata.uid);

    expect(read?.data).toEqual({ pairingKey: 'abc123', note: 'ünïcode' });
    expect(listed.map((s) => s.metadata.name)).toEqual([created.metadata.name]);
    expect(deleted).toBe(true);
    expect(await getSecret(client, ns, created.metadata.name)).toBeNull();
  });
});

describe('Informer', () => {
  it('syncs the existing objects, then reports adds, updates and deletes', async () => {
    const scope = await createTestNamespace('inf');
    await client.create(CONFIG_MAPS, configMap(scope, 'before'));
    const informer = informerOf<ConfigMap>({ namespace: scope });
    const seen = recordEvents(informer);

    informer.start();
    await informer.waitForSync();
    expect(informer.get('before', scope)).toBeDefined();

    await client.create(CONFIG_MAPS, configMap(scope, 'after', { v: '1' }));
    await client.mergePatch(CONFIG_MAPS, 'after', { data: { v: '2' } }, { namespace: scope });
    await client.delete(CONFIG_MAPS, 'before', { namespace: scope });

    await vi.waitFor(() => expect(seen).toEqual(expect.arrayContaining(['added:before', 'added:after', 'updated:after', 'deleted:before'])), WAIT);
    expect(informer.get('after', scope)?.data).toEqual({ v: '2' });
    expect(informer.get('before', scope)).toBeUndefined();
    expect(informer.health()).toMatchObject({ synced: true });
  });

  it('filters by label selector', async () => {
    const scope = await createTestNamespace('sel');
    const informer = informerOf<ConfigMap>({ namespace: scope, labelSelector: 'pick=yes' });
    informer.start();
    await informer.waitForSync();

    await client.create(CONFIG_MAPS, { metadata: { name: 'no', namespace: scope } });
    await client.create(CONFIG_MAPS, { metadata: { name: 'yes', namespace: scope, labels: { pick: 'yes' } } });

    await vi.waitFor(() => expect(informer.get('yes', scope)).toBeDefined(), WAIT);
    expect(informer.get('no', scope)).toBeUndefined();
  });

  it('keeps running when a handler throws', async () => {
    const scope = await createTestNamespace('throw');
    const informer = informerOf<ConfigMap>({ namespace: scope });
    informer.subscribe(() => {
      throw new Error('handler boom');
    });
    informer.subscribe(async () => {
      throw new Error('async handler boom');
    });
    const seen = recordEvents(informer);
    informer.start();
    await informer.waitForSync();

    await client.create(CONFIG_MAPS, configMap(scope, 'one'));
    await client.create(CONFIG_MAPS, configMap(scope, 'two'));

    await vi.waitFor(() => expect(seen).toEqual(['added:one', 'added:two']), WAIT);
  });
});

describe('finalizers', () => {
  it('adds without clobbering others, refuses stale writes, and removes only after cleanup succeeded', async () => {
    const created = await client.create<ConfigMap>(CONFIG_MAPS, { metadata: { name: 'fin', namespace: ns, finalizers: ['example.com/other'] } });

    const withOurs = await ensureFinalizer(client, CONFIG_MAPS, created, 'elementrepl.io/cleanup');
    const again = await ensureFinalizer(client, CONFIG_MAPS, withOurs, 'elementrepl.io/cleanup');
    const staleAdd = await ensureFinalizer(client, CONFIG_MAPS, created, 'elementrepl.io/in-use').catch((e: unknown) => e);

    expect(withOurs.metadata.finalizers).toEqual(['example.com/other', 'elementrepl.io/cleanup']);
    expect(again).toBe(withOurs);
    expect(isConflict(staleAdd)).toBe(true);

    await client.delete(CONFIG_MAPS, 'fin', { namespace: ns });
    const deleting = (await client.get<ConfigMap>(CONFIG_MAPS, 'fin', ns)) as ConfigMap;
    expect(deleting.metadata.deletionTimestamp).toBeTruthy();

    const failed = await finalize(client, CONFIG_MAPS, deleting, 'elementrepl.io/cleanup', async () => {
      throw new Error('element down');
    }).catch((e: unknown) => e);
    const pending = await finalize(client, CONFIG_MAPS, deleting, 'elementrepl.io/cleanup', async () => 'pending');
    const stillThere = (await client.get<ConfigMap>(CONFIG_MAPS, 'fin', ns)) as ConfigMap;
    expect((failed as Error).message).toBe('element down');
    expect(pending).toBe('pending');
    expect(hasFinalizer(stillThere, 'elementrepl.io/cleanup')).toBe(true);

    const staleRemove = await removeFinalizer(client, CONFIG_MAPS, withOurs, 'elementrepl.io/cleanup').catch((e: unknown) => e);
    expect(isConflict(staleRemove)).toBe(true);

    expect(await finalize(client, CONFIG_MAPS, stillThere, 'elementrepl.io/cleanup', async () => 'done')).toBe('removed');
    const afterOurs = (await client.get<ConfigMap>(CONFIG_MAPS, 'fin', ns)) as ConfigMap;
    expect(afterOurs.metadata.finalizers).toEqual(['example.com/other']);

    await removeFinalizer(client, CONFIG_MAPS, afterOurs, 'example.com/other');
    expect(await client.get(CONFIG_MAPS, 'fin', ns)).toBeNull();
    const gone = await client.mergePatch(CONFIG_MAPS, 'fin', { data: {} }, { namespace: ns }).catch((e: unknown) => e);
    expect(isNotFound(gone)).toBe(true);
  });
});

describe('Manager', () => {
  it('runs a controller: reconciles existing and new objects, including ones mapped from a secondary kind', async () => {
    const scope = await createTestNamespace('mgr');
    await client.create(CONFIG_MAPS, configMap(scope, 'existing'));
    const reconciled: string[] = [];
    const primary = informerOf<ConfigMap>({ namespace: scope, labelSelector: 'role!=secondary' });
    const secondary = informerOf<ConfigMap>({ namespace: scope, labelSelector: 'role=secondary' });
    const manager = new Manager({ log, shutdownTimeoutMs: 5000 });
    manager.addController<ConfigMap>({
      name: 'ConfigMapThing',
      for: primary,
      watches: [{ source: secondary, map: (cm: ConfigMap): ReconcileRequest[] => [{ namespace: scope, name: cm.data?.['for'] ?? '' }] }],
      reconciler: { reconcile: async (request) => void reconciled.push(request.name) },
      workers: 2,
    });
    const abort = new AbortController();
    const running = manager.run(abort.signal);

    await vi.waitFor(() => expect(reconciled).toContain('existing'), WAIT);
    expect(manager.readiness()).toMatchObject({ ready: true, workersRunning: true });
    await client.create(CONFIG_MAPS, configMap(scope, 'new'));
    await client.create(CONFIG_MAPS, { metadata: { name: 'side', namespace: scope, labels: { role: 'secondary' } }, data: { for: 'mapped' } });

    await vi.waitFor(() => expect(reconciled).toEqual(expect.arrayContaining(['existing', 'new', 'mapped'])), WAIT);
    abort.abort();
    await running;
    expect(manager.readiness()).toMatchObject({ ready: false, stopping: true });
  });
});

describe('Informer on a private control plane', () => {
  let plane: ControlPlane | undefined;

  beforeAll(async () => {
    plane = await startControlPlane({ crdDirectory: null });
  });

  afterAll(async () => {
    await plane?.stop();
  });

  it('reconnects on its own and sees changes made after the restart', async () => {
    const own = clientFor((plane as ControlPlane).kubeconfigPath);
    await own.create(CONFIG_MAPS, configMap('default', 'before-restart'));
    const informer = informerOf<ConfigMap>({ namespace: 'default', client: own });
    const seen = recordEvents(informer);
    informer.start();
    await informer.waitForSync();

    await (plane as ControlPlane).stopApiServer();
    await vi.waitFor(() => expect(informer.health().watching).toBe(false), WAIT);
    await (plane as ControlPlane).startApiServer();
    await own.create(CONFIG_MAPS, configMap('default', 'after-restart'));
    await own.delete(CONFIG_MAPS, 'before-restart', { namespace: 'default' });

    await vi.waitFor(() => expect(seen).toEqual(expect.arrayContaining(['added:after-restart', 'deleted:before-restart'])), WAIT);
    expect(informer.get('after-restart', 'default')).toBeDefined();
    expect(informer.get('before-restart', 'default')).toBeUndefined();
    expect(informer.health().synced).toBe(true);
  });

  it('lists again when its resourceVersion is too old (410 Gone) and keeps delivering events', async () => {
    const own = clientFor((plane as ControlPlane).kubeconfigPath);
    const scope = 'default';
    await own.create(CONFIG_MAPS, configMap(scope, 'old'));
    await own.create(CONFIG_MAPS, configMap(scope, 'bump'));
    await compactEtcd(plane as ControlPlane, (await own.list(CONFIG_MAPS, { namespace: scope })).resourceVersion);
    // The first list pretends to be at resourceVersion 2, which is compacted away: the watch from
    // there answers 410 Gone and the informer must list again.
    let lists = 0;
    const stale = new (class extends KubeClient {
      override async listAll<T extends KubeObject>(resource: ResourceType, options?: Omit<ListOptions, 'continue'>): Promise<ListPage<T>> {
        const page = await super.listAll<T>(resource, options);
        lists++;
        return lists === 1 ? { ...page, resourceVersion: '2' } : page;
      }
    })(own.kubeConfig);
    const informer = informerOf<ConfigMap>({ namespace: scope, client: stale });
    const seen = recordEvents(informer);

    informer.start();
    await informer.waitForSync();
    await vi.waitFor(() => expect(lists).toBeGreaterThanOrEqual(2), WAIT);
    await own.create(CONFIG_MAPS, configMap(scope, 'new'));

    await vi.waitFor(() => expect(seen).toContain('added:new'), WAIT);
    expect(seen.filter((e) => e === 'added:old')).toHaveLength(1);
  });
});
