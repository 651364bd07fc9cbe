// The setup the operator-process tests share (high availability, observability): a private control
// plane (main.ts watches every object of its kinds, so it must not meet other test files' objects),
// the Element simulator, and the operator as a client-certificate user bound by the RBAC of
// deploy/base/rbac.yaml; operator processes whose servers listen on ports of their choosing, read
// back from their JSON log; and the Prometheus text format parsed into samples.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/controller/object.ts';
import { ALLOWED_MVIPS_ANNOTATION } from '../../src/api/annotations.ts';
import { KubeClient, SECRETS } from '../../src/kube/client.ts';
import { loadKubeConfig } from '../../src/kube/kubeconfig.ts';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/simulator.ts';
import { startControlPlane, type ControlPlane } from '../harness/control-plane.ts';
import { killAllOperators, REPO_ROOT, spawnOperator, type OperatorProcess } from './operator-process.ts';
import { waitFor } from './volume-pair-env.ts';

export const OPERATOR_USER = 'elementrepl-operator';
const NAMESPACES = { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false };

export interface OperatorRbacEnv {
  plane: ControlPlane;
  /** Cluster admin. */
  admin: KubeClient;
  sim: RunningSimulator;
  /** The operator user's kubeconfig; it holds the cluster-wide part of rbac.yaml. */
  operatorKubeconfig: string;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface StartedOperator {
  proc: OperatorProcess;
  metricsUrl: string;
  probeUrl: string;
}

/** Polls until `done` holds; fails after a generous deadline (no speed is asserted). */
export function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  return waitFor(read, done, what, timeoutMs);
}

/** Stops what it started when a later step fails, so a failed setup leaves nothing running. */
export async function startOperatorRbacEnv(simulator: SimulatorOptions): Promise<OperatorRbacEnv> {
  const started: Partial<OperatorRbacEnv> = {};
  try {
    const plane = (started.plane = await startControlPlane());
    const admin = new KubeClient(loadKubeConfig({ kubeconfig: plane.kubeconfigPath }).kubeConfig);
    const sim = (started.sim = await startSimulator(simulator));
    const operatorKubeconfig = await plane.addUser(OPERATOR_USER);
    await grantOperatorRbac(admin, undefined);
    return { plane, admin, sim, operatorKubeconfig };
  } catch (error) {
    await stopOperatorRbacEnv(started);
    throw error;
  }
}

/** Kills every operator process, then stops the simulator and the control plane (whatever was started). */
export async function stopOperatorRbacEnv(env: Partial<OperatorRbacEnv>): Promise<void> {
  await killAllOperators();
  await env.sim?.stop();
  await env.plane?.stop();
}

/**
 * deploy/base/rbac.yaml for the client-certificate user instead of the ServiceAccount: the
 * cluster-wide part without `namespace`, the Roles in `namespace` with it.
 */
export async function grantOperatorRbac(admin: KubeClient, namespace: string | undefined): Promise<void> {
  const docs = parseAllDocuments(readFileSync(path.join(REPO_ROOT, 'deploy/base/rbac.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject & { kind: string; subjects?: unknown });
  for (const doc of docs) {
    const namespaced = doc.kind === 'Role' || doc.kind === 'RoleBinding';
    if (namespaced !== (namespace !== undefined)) continue;
    if (namespace !== undefined) doc.metadata.namespace = namespace;
    if (doc.kind.endsWith('Binding')) doc.subjects = [{ kind: 'User', name: OPERATOR_USER, apiGroup: 'rbac.authorization.k8s.io' }];
    await admin.create({ group: 'rbac.authorization.k8s.io', version: 'v1', plural: `${doc.kind.toLowerCase()}s`, kind: doc.kind, namespaced }, doc);
  }
}

/** A fresh namespace `<prefix>-<random>`; with `operator`, the operator's Roles in it. */
export async function newNamespace(admin: KubeClient, prefix: string, operator: boolean): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await admin.create(NAMESPACES, { metadata: { name } });
  if (operator) await grantOperatorRbac(admin, name);
  return name;
}

/** The Secrets the ElementClusters of these tests name: `element-admin` (credentials, allowed for every simulated cluster) and `sim-ca`. */
export async function createElementSecrets(env: OperatorRbacEnv, namespace: string, credentials: { username: string; password: string }): Promise<void> {
  const annotations = { [ALLOWED_MVIPS_ANNOTATION]: env.sim.clusters.map((c) => c.mvip).join(',') };
  await env.admin.create(SECRETS, { metadata: { name: 'element-admin', namespace, annotations }, stringData: { username: credentials.username, password: credentials.password } } as KubeObject);
  await env.admin.create(SECRETS, { metadata: { name: 'sim-ca', namespace }, stringData: { 'ca.crt': env.sim.caPem } } as KubeObject);
}

export function logLines(proc: OperatorProcess): Record<string, unknown>[] {
  return proc.output().split('\n').flatMap((line) => {
    try {
      const parsed: unknown = JSON.parse(line);
      return parsed !== null && typeof parsed === 'object' ? [parsed as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

/** Fails the wait at once when the process has exited, with its last output. */
export function failIfExited(proc: OperatorProcess): void {
  if (proc.child.exitCode !== null) throw new Error(`operator exited early:\n${proc.output().slice(-5_000)}`);
}

/** An operator process (debug log) whose servers listen on ports of its choosing (read from its log). */
export async function startOperator(kubeconfig: string, namespace: string, extra: string[], maxOutput: number): Promise<StartedOperator> {
  const proc = spawnOperator({
    args: ['--kubeconfig', kubeconfig, '--operator-namespace', namespace, '--log-level', 'debug', '--metrics-bind-address', '127.0.0.1:0', '--health-probe-bind-address', '127.0.0.1:0', ...extra],
    maxOutput,
  });
  const address = (server: string) => logLines(proc).find((l) => l['msg'] === 'http server listening' && l['server'] === server)?.['address'];
  const bound = await until('the operator servers', async () => {
    failIfExited(proc);
    return [address('metrics'), address('probe')];
  }, (a) => a.every((x) => typeof x === 'string'), 60_000);
  return { proc, metricsUrl: `http://${String(bound[0])}/metrics`, probeUrl: `http://${String(bound[1])}` };
}

export function parseMetrics(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    return [{ name: match[1] as string, labels, value: Number(match[3]) }];
  });
}

/** Sum over the series of `name` whose labels include `labels`; undefined when there is none. */
export function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const matching = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return matching.length === 0 ? undefined : matching.reduce((sum, s) => sum + s.value, 0);
}
