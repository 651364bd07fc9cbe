// Observability (issue 6) of the operator as a real process (bin/elementrepl-operator.mjs) under the
// RBAC of deploy/base/rbac.yaml, on a private control plane (main.ts watches every object of its
// kinds) with the Element simulator: a full run (ElementClusters, ClusterPair, VolumePairs to Ready,
// a mode change, a pause, deletion) whose /metrics carry every name of issue 6, and whose every log
// line (debug), Event, object version and metric is free of pairing keys, passwords and
// Authorization values; /readyz fails while the API server is unreachable and recovers.
// The tests of the full run follow each other (one operator, one run). No speed is asserted.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_PAIR, ELEMENT_CLUSTER, VOLUME_PAIR } from '../src/api/group.ts';
import type { KubeObject } from '../src/controller/object.ts';
import type { ElementClient } from '../src/element/client.ts';
import { customResource, type KubeClient } from '../src/kube/client.ts';
import type { RunningSimulator } from '../src/simulator/simulator.ts';
import { elementClient } from '../src/simulator/testing/clients.ts';
import type { ControlPlane } from './harness/control-plane.ts';
import { kubectl } from './helpers/kube.ts';
import {
  createElementSecrets, logLines, newNamespace, parseMetrics, startOperator, startOperatorRbacEnv, stopOperatorRbacEnv, total, until,
  type OperatorRbacEnv, type StartedOperator,
} from './helpers/operator-rbac-env.ts';

const [EC, CP, VP] = [customResource(ELEMENT_CLUSTER), customResource(CLUSTER_PAIR), customResource(VOLUME_PAIR)];
const run = randomBytes(3).toString('hex');
const USERNAME = `admin-${run}`;
const PASSWORD = `Pw-${randomBytes(12).toString('hex')}`;
const names = { dc1: `dc1-${run}`, dc2: `dc2-${run}`, pair: `dc1-dc2-${run}` };

type Obj = KubeObject & { spec?: Record<string, unknown>; status?: { conditions?: { type: string; status: string; reason: string }[] } };

let env: OperatorRbacEnv;
let plane: ControlPlane;
let admin: KubeClient;
let sim: RunningSimulator;
let element: { PROD: ElementClient; DR: ElementClient };
let operatorKubeconfig = '';
let operatorNs = '';
let appNs = '';
let op: StartedOperator;
/** Every version of every Event and elementrepl object (from watches), and of the operator's own Secrets. */
const captured = { events: [] as string[], objects: [] as string[], keySecretValues: new Set<string>() };
const watches: { close(): void }[] = [];

/** Watches `pathname` until closed; a failed watch (429 while a new CRD's watch cache starts) is opened again. */
function watchAll(pathname: string, into: string[], onObject?: (object: Record<string, unknown>) => void): void {
  let current: { close(): void } | undefined;
  let closed = false;
  const open = (): void => {
    const watch = plane.client.watch(`${pathname}?watch=true`, (event) => {
      into.push(JSON.stringify(event.object));
      onObject?.(event.object);
    });
    current = watch;
    const again = () => void (closed || setTimeout(open, 200));
    void watch.done.then(again, again);
  };
  open();
  watches.push({ close: () => ((closed = true), current?.close()) });
}

const cond = (o: Obj | null, type: string) => o?.status?.conditions?.find((c) => c.type === type);
const untilReady = (resource: typeof EC, name: string, namespace?: string, reason?: string) =>
  until(`${name} Ready${reason ? ` (${reason})` : ''}`, () => admin.get<Obj>(resource, name, namespace), (o) => cond(o, 'Ready')?.status === 'True' && (reason === undefined || cond(o, 'Ready')?.reason === reason));
const untilGone = (resource: typeof EC, name: string, namespace?: string) => until(`${name} deleted`, () => admin.get<Obj>(resource, name, namespace), (o) => o === null);
const remote = async (cluster: ElementClient, volumeID: number) => (await cluster.listVolumes({ volumeIDs: [volumeID] }))[0]?.volumePairs[0]?.remoteReplication;

beforeAll(async () => {
  env = await startOperatorRbacEnv({ clusters: ['PROD', 'DR'], username: USERNAME, password: PASSWORD, connectDelayMs: 300, resumeDelayMs: 200 });
  ({ plane, admin, sim, operatorKubeconfig } = env);
  element = { PROD: elementClient(sim, 'PROD'), DR: elementClient(sim, 'DR') };
  operatorNs = await newNamespace(admin, 'obs-op', true);
  appNs = await newNamespace(admin, 'obs-app', false);
  await createElementSecrets(env, operatorNs, { username: USERNAME, password: PASSWORD });
  // The Secrets the operator writes (pairing keys) exist only for moments: a watch sees every version.
  watchAll(`/api/v1/namespaces/${operatorNs}/secrets`, [], (secret) => {
    const { metadata, data } = secret as { metadata: { name: string }; data?: Record<string, string> };
    if (['element-admin', 'sim-ca'].includes(metadata.name)) return;
    for (const value of Object.values(data ?? {})) captured.keySecretValues.add(Buffer.from(value, 'base64').toString('utf8'));
  });
  watchAll('/apis/events.k8s.io/v1/events', captured.events);
  for (const plural of ['elementclusters', 'clusterpairs', 'volumepairs']) watchAll(`/apis/elementrepl.io/v1alpha1/${plural}`, captured.objects);
  op = await startOperator(operatorKubeconfig, operatorNs, ['--leader-elect', '--workers', '2', '--poll-interval', '2s'], 200_000_000);
});

afterAll(async () => {
  for (const watch of watches) watch.close();
  await Promise.all([element?.PROD.close(), element?.DR.close()]);
  await stopOperatorRbacEnv(env ?? {});
});

describe('a full run of the operator process', () => {
  const volumes = { PROD: [] as number[], DR: [] as number[] };

  it('pairs the clusters and two volume pairs to Ready, applies a mode change and a pause', async () => {
    for (const [name, cluster] of [[names.dc1, 'PROD'], [names.dc2, 'DR']] as const) {
      const endpoint = sim.clusters.find((c) => c.name === cluster);
      await admin.create(EC, { metadata: { name }, spec: { mvip: endpoint?.mvip, credentialsSecretRef: { name: 'element-admin' }, tls: { caSecretRef: { name: 'sim-ca' } } } });
    }
    await admin.create(CP, { metadata: { name: names.pair }, spec: { clusterARef: { name: names.dc1 }, clusterBRef: { name: names.dc2 } } });
    await untilReady(CP, names.pair);
    volumes.PROD = (await sim.admin.createVolumes('PROD', { count: 2, namePrefix: 'src' })).volumeIDs;
    volumes.DR = (await sim.admin.createVolumes('DR', { count: 2, namePrefix: 'dst' })).volumeIDs;
    for (const i of [0, 1]) {
      await admin.create(VP, { metadata: { name: `vp-${i}`, namespace: appNs }, spec: { clusterPairRef: { name: names.pair }, sideA: { volumeID: volumes.PROD[i] }, sideB: { volumeID: volumes.DR[i] } } });
    }
    for (const i of [0, 1]) await untilReady(VP, `vp-${i}`, appNs, 'Active');

    await admin.mergePatch(VP, 'vp-0', { spec: { mode: 'SnapshotsOnly' } }, { namespace: appNs });
    await admin.mergePatch(VP, 'vp-1', { spec: { paused: true } }, { namespace: appNs });

    await until('the mode change', () => remote(element.PROD, volumes.PROD[0] as number), (r) => r?.mode === 'SnapshotsOnly');
    await until('the pause', () => remote(element.PROD, volumes.PROD[1] as number), (r) => r?.state === 'PausedManual');
    await untilReady(VP, 'vp-1', appNs, 'Paused');
    const snapshot = await kubectl(['get', 'elementrepl', '-A', '-o', 'json'], { kubeconfig: plane.kubeconfigPath });
    expect((JSON.parse(snapshot.stdout) as { items: unknown[] }).items).toHaveLength(5);
    captured.objects.push(snapshot.stdout);
  });

  it('/metrics has every metric of issue 6 with sensible values', async () => {
    const text = await (await fetch(op.metricsUrl)).text();
    const samples = parseMetrics(text);
    const count = (name: string, labels: Record<string, string> = {}) => total(samples, name, labels) ?? -1;

    for (const controller of ['ElementCluster', 'ClusterPair', 'VolumePair']) {
      expect(count('controller_runtime_reconcile_total', { controller }), controller).toBeGreaterThanOrEqual(1);
      expect(count('controller_runtime_reconcile_errors_total', { controller }), controller).toBeGreaterThanOrEqual(0);
      expect(count('controller_runtime_reconcile_time_seconds_count', { controller }), controller).toBeGreaterThanOrEqual(1);
      expect(count('controller_runtime_max_concurrent_reconciles', { controller })).toBe(2);
      expect(count('controller_runtime_active_workers', { controller })).toBeGreaterThanOrEqual(0);
      expect(count('controller_runtime_active_workers', { controller })).toBeLessThanOrEqual(2);
      expect(count('workqueue_depth', { name: controller })).toBeGreaterThanOrEqual(0);
      expect(count('workqueue_adds_total', { name: controller })).toBeGreaterThanOrEqual(1);
      expect(count('workqueue_queue_duration_seconds_count', { name: controller })).toBeGreaterThanOrEqual(1);
      expect(count('workqueue_work_duration_seconds_count', { name: controller })).toBeGreaterThanOrEqual(1);
    }
    const results = new Set(samples.filter((s) => s.name === 'controller_runtime_reconcile_total').map((s) => s.labels['result']));
    expect([...results].sort()).toEqual(['error', 'requeue', 'requeue_after', 'success']);
    expect(text).toMatch(/^# TYPE workqueue_retries_total counter$/m);
    expect(samples.filter((s) => s.name === 'workqueue_retries_total').every((s) => s.value >= 0)).toBe(true);
    expect(count('leader_election_master_status', { name: 'elementrepl-operator-leader' })).toBe(1);
    expect(count('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(count('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(count('process_start_time_seconds')).toBeLessThanOrEqual(Date.now() / 1000);
    expect(count('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    for (const cluster of [names.dc1, names.dc2]) {
      expect(count('elementrepl_element_requests_total', { cluster, method: 'GetClusterInfo', outcome: 'success' }), cluster).toBeGreaterThanOrEqual(1);
      expect(count('elementrepl_element_request_duration_seconds_count', { cluster, method: 'GetClusterInfo' }), cluster).toBeGreaterThanOrEqual(1);
    }
    expect(count('elementrepl_element_requests_total', { cluster: names.dc1, method: 'StartClusterPairing', outcome: 'success' })).toBe(1);
    expect(count('elementrepl_element_requests_total', { method: 'CompleteVolumePairing', outcome: 'success' })).toBe(2);
    expect(count('elementrepl_volume_pairs')).toBe(2);
    expect(count('elementrepl_volume_pairs', { state: 'Active' })).toBe(1);
    // The simulator reports a 1 ms latency on a connected pair.
    expect(count('elementrepl_cluster_pair_latency_seconds', { cluster_pair: names.pair })).toBeGreaterThan(0);
    // Conditions per resource, from the shell of every kind (namespace "" for the cluster-scoped ones);
    // set just after the status write that the waits above saw.
    const withConditions = await until('vp-1 Ready in elementrepl_resource_condition', async () => parseMetrics(await (await fetch(op.metricsUrl)).text()), (s) => total(s, 'elementrepl_resource_condition', { kind: 'VolumePair', name: 'vp-1', type: 'Ready' }) === 1);
    const condition = (kind: string, namespace: string, name: string, type: string) => total(withConditions, 'elementrepl_resource_condition', { kind, namespace, name, type });
    for (const name of [names.dc1, names.dc2]) expect(condition('ElementCluster', '', name, 'Ready'), name).toBe(1);
    expect(condition('ClusterPair', '', names.pair, 'Ready')).toBe(1);
    expect(condition('ClusterPair', '', names.pair, 'Degraded')).toBe(0);
    expect(condition('VolumePair', appNs, 'vp-1', 'Ready')).toBe(1);
    expect(condition('VolumePair', appNs, 'vp-1', 'Stalled')).toBe(0);
    // Labels stay low-cardinality: no UUIDs, no long hex (keys), no pairing IDs.
    const labelValues = samples.flatMap((s) => Object.values(s.labels));
    expect(labelValues.filter((v) => /[0-9a-f]{8}-[0-9a-f]{4}-|[0-9a-f]{32,}/i.test(v))).toEqual([]);
  });

  it('leaves no pairing key, password or Authorization value in any log line, Event, object version or metric', async () => {
    for (const i of [0, 1]) await admin.delete(VP, `vp-${i}`, { namespace: appNs });
    for (const i of [0, 1]) await untilGone(VP, `vp-${i}`, appNs);
    await admin.delete(CP, names.pair);
    await untilGone(CP, names.pair);
    for (const name of [names.dc1, names.dc2]) await admin.delete(EC, name);
    for (const name of [names.dc1, names.dc2]) await untilGone(EC, name);
    expect((await element.PROD.listClusterPairs()).length).toBe(0);
    // Deleted resources leave no condition series behind (the operator forgets them when it sees them gone).
    const metricsText = await until('no elementrepl_resource_condition series', async () => (await fetch(op.metricsUrl)).text(), (text) => !/^elementrepl_resource_condition\{/m.test(text));
    expect(metricsText).toMatch(/^# TYPE elementrepl_resource_condition gauge$/m);
    expect(await op.proc.stop(60_000)).toEqual({ code: 0, signal: null });
    const events = await kubectl(['get', 'events.events.k8s.io', '-A', '-o', 'json'], { kubeconfig: plane.kubeconfigPath });
    const objects = await kubectl(['get', 'elementrepl', '-A', '-o', 'json'], { kubeconfig: plane.kubeconfigPath });
    expect([events.code, objects.code]).toEqual([0, 0]);

    // What was captured is the whole run: debug lines, the Events of every kind, keys of both kinds.
    const lines = logLines(op.proc);
    expect(lines.filter((l) => l['level'] === 'debug').length).toBeGreaterThan(0);
    expect(lines.some((l) => l['msg'] === 'stopped')).toBe(true);
    const kinds = captured.objects.map((o) => (JSON.parse(o) as { kind: string }).kind).filter((k) => k !== 'List');
    expect(new Set(kinds)).toEqual(new Set(['ElementCluster', 'ClusterPair', 'VolumePair']));
    expect(kinds.length).toBeGreaterThanOrEqual(20);
    const reasons = new Set(captured.events.map((e) => String((JSON.parse(e) as { reason?: string }).reason)));
    expect(reasons.size).toBeGreaterThanOrEqual(3);
    const keys = [...captured.keySecretValues];
    const decoded = keys.flatMap((k) => {
      try {
        return [JSON.parse(Buffer.from(k, 'hex').toString('utf8')) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    expect(decoded.filter((d) => typeof d['password'] === 'string').length, 'cluster pairing keys').toBeGreaterThanOrEqual(1);
    expect(decoded.filter((d) => typeof d['volumePairUUID'] === 'string').length, 'volume pairing keys').toBeGreaterThanOrEqual(2);

    const basic = Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64');
    const forbidden = [PASSWORD, basic, ...keys, ...keys.map((k) => Buffer.from(k).toString('base64'))];
    for (const d of decoded) if (typeof d['password'] === 'string' && d['password'].length >= 4) forbidden.push(d['password']);
    const corpora: Record<string, string> = {
      log: op.proc.output(),
      events: `${captured.events.join('\n')}\n${events.stdout}`,
      objects: `${captured.objects.join('\n')}\n${objects.stdout}`,
      metrics: metricsText,
    };
    // The check can fail: a key in a text is found.
    expect(leaks(`x ${keys[0] ?? ''} y`, forbidden)).not.toEqual([]);
    for (const [what, text] of Object.entries(corpora)) expect(leaks(text, forbidden), what).toEqual([]);
  });
});

/** Forbidden values, hex runs that decode to a pairing key (or start like one), and Authorization values found in `text`. */
function leaks(text: string, forbidden: string[]): string[] {
  const found = forbidden.filter((value) => text.includes(value)).map((value) => `secret value ${value.slice(0, 6)}…`);
  for (const [hex] of text.matchAll(/[0-9a-f]{40,}/gi)) {
    if (/^7b22/i.test(hex)) found.push(`hex key ${hex.slice(0, 12)}…`);
    try {
      const json = JSON.parse(Buffer.from(hex, 'hex').toString('utf8')) as Record<string, unknown>;
      if (['password', 'volumePairUUID', 'clusterPairUUID'].some((k) => k in json)) found.push(`decodable key ${hex.slice(0, 12)}…`);
    } catch {
      // not a key
    }
  }
  for (const [match] of text.matchAll(/\b(?:Basic|Bearer)\s+(?!\[REDACTED\])[A-Za-z0-9+/._~-]{6,}=*/g)) found.push(`credentials ${match.slice(0, 10)}…`);
  for (const [match] of text.matchAll(/authorization["']?\s*[:=]\s*["']?(?!\[REDACTED\])[^\s"',}]+/gi)) found.push(`header ${match.slice(0, 20)}…`);
  return found;
}

describe('readiness', () => {
  it('/readyz fails while the API server is unreachable (/healthz passes) and passes once it is reachable', async () => {
    // A loopback TCP proxy to the API server that drops every connection until `reachable`.
    let reachable = false;
    const target = Number(new URL(plane.apiServerUrl).port);
    const proxy = net.createServer((client) => {
      if (!reachable) return void client.destroy();
      const upstream = net.connect(target, '127.0.0.1');
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `https://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const kubeconfig = path.join(path.dirname(operatorKubeconfig), `via-proxy-${run}.kubeconfig`);
    writeFileSync(kubeconfig, readFileSync(operatorKubeconfig, 'utf8').replaceAll(plane.apiServerUrl, proxyUrl), { mode: 0o600 });
    const namespace = await newNamespace(admin, 'obs-ready', true);
    try {
      const unready = await startOperator(kubeconfig, namespace, [], 200_000_000);
      await until('a failed list', async () => logLines(unready.proc).some((l) => l['msg'] === 'informer list/watch failed; retrying'), Boolean);

      const readyz = await fetch(`${unready.probeUrl}/readyz?verbose`);
      expect(readyz.status).toBe(503);
      expect(await readyz.text()).toMatch(/^\[-\]informers failed: not synced: /m);
      expect((await fetch(`${unready.probeUrl}/healthz`)).status).toBe(200);
      expect((await fetch(unready.metricsUrl)).status).toBe(200);

      reachable = true;
      await until('/readyz to pass', async () => (await fetch(`${unready.probeUrl}/readyz`)).status, (s) => s === 200);
      expect((await fetch(`${unready.probeUrl}/healthz`)).status).toBe(200);
      expect(await unready.proc.stop(60_000)).toEqual({ code: 0, signal: null });
    } finally {
      proxy.close();
    }
  });
});
