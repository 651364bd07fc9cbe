// The embedded default environment, for the demo and the benchmark: a local control plane
// (kube-apiserver + etcd + CRDs), element-sim with two clusters and a few volumes, deploy/samples/
// templated with the simulator's addresses and applied, and the operator as a child process.
// Everything started is stopped by `stop()`, and by the process-wide cleanup on exit, signals and
// crashes; a failed start stops what it had started and says which step failed and what to do.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeClient } from '../../src/kube/client.ts';
import { startControlPlane, type ControlPlane } from '../../test/harness/control-plane.ts';
import { ChildSet, type Child } from './children.ts';
import { cleanupOrphanRuns } from './process-group.ts';
import { ensureNamespaces, applyManifests, kubeClientFor } from './kube.ts';
import { READY_KINDS, type ExpectedObject, type ReadyKind } from './readiness.ts';
import { templateSamples, type Manifest } from './samples.ts';
import { NODE, REPO_ROOT, startSimulatorProcess, type SimulatorProcess } from './simulator.ts';
import { createDemoVolumes, DEMO_PAIRS, type CreatedPair, type PlannedPair } from './volumes.ts';
import { hintFor } from './hints.ts';

export const RUN_DIR_PREFIX = 'elementrepl-demo-';
export const DEFAULT_OPERATOR_NAMESPACE = 'elementrepl-system';

export interface OperatorOptions {
  /** Entry script relative to the repository (default bin/elementrepl-operator.mjs). */
  entry?: string;
  pollInterval?: string;
  logLevel?: string;
  extraArgs?: readonly string[];
  /** Added to our environment (e.g. NODE_OPTIONS=--cpu-prof for the benchmark's profiles). */
  env?: Readonly<Record<string, string>>;
}

export interface EnvironmentOptions {
  /** Progress lines (default: stderr). */
  log?: (message: string) => void;
  /** Simulated clusters for side A and side B of the sample ClusterPair. */
  clusters?: readonly [string, string];
  pairs?: readonly PlannedPair[];
  operatorNamespace?: string;
  /** Namespace of the VolumePairs (default `default`, so that `kubectl get evp` shows them). */
  volumePairNamespace?: string;
  samplesDir?: string;
  simulatorArgs?: readonly string[];
  /** false: start no operator (the caller runs its own). */
  operator?: OperatorOptions | false;
  /** Aborting stops the start at the next step. */
  signal?: AbortSignal;
  /** Prefix of the run dir in the temp dir (default `elementrepl-demo-`; orphans are found by it). */
  runDirPrefix?: string;
}

export interface Environment {
  readonly runDir: string;
  /** Admin kubeconfig (a copy in the run dir). */
  readonly kubeconfigPath: string;
  readonly plane: ControlPlane;
  readonly kube: KubeClient;
  readonly simulator: SimulatorProcess;
  readonly operator: Child | undefined;
  readonly operatorNamespace: string;
  readonly volumePairNamespace: string;
  readonly pairs: readonly CreatedPair[];
  readonly manifests: readonly Manifest[];
  /** The applied ElementClusters, ClusterPair and VolumePairs. */
  readonly expected: readonly ExpectedObject[];
  processes(): { name: string; pid: number | undefined }[];
  /** Stops the operator, the simulator and the control plane; removes the run dir unless asked to keep it. */
  stop(options?: { keepRunDir?: boolean }): Promise<void>;
}

/** A start that failed: which step, why, and what to do about it. */
export class EnvironmentError extends Error {
  readonly step: string;
  readonly hint: string | undefined;
  readonly runDir: string;
  runDirRemoved = false;
  constructor(step: string, cause: unknown, runDir: string) {
    super(`${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EnvironmentError';
    this.step = step;
    this.runDir = runDir;
    this.hint = hintFor(step, cause, runDir);
  }
}

export async function startEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  const log = options.log ?? ((message: string) => process.stderr.write(`[demo] ${message}\n`));
  const operatorNamespace = options.operatorNamespace ?? DEFAULT_OPERATOR_NAMESPACE;
  const volumePairNamespace = options.volumePairNamespace ?? 'default';
  const [nameA, nameB] = options.clusters ?? ['DC1', 'DC2'];

  const prefix = options.runDirPrefix ?? RUN_DIR_PREFIX;
  for (const dir of cleanupOrphanRuns(os.tmpdir(), prefix)) log(`removed ${dir}, left behind by a run that was killed`);
  const runDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const children = new ChildSet(runDir);
  let plane: ControlPlane | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (keepRunDir: boolean) => {
    stopping ??= (async () => {
      await children.stopAll();
      await plane?.stop();
      if (!keepRunDir) rmSync(runDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    if (options.signal?.aborted) throw new EnvironmentError(name, new Error('interrupted'), runDir);
    try {
      return await run();
    } catch (error) {
      throw error instanceof EnvironmentError ? error : new EnvironmentError(name, error, runDir);
    }
  };

  try {
    log(`run dir ${runDir}`);
    log('starting the control plane (kube-apiserver + etcd; the first run builds them from Go modules, which takes minutes)');
    plane = await step('starting the control plane', () => startControlPlane({ log: (message) => log(`control plane: ${message}`) }));
    const kubeconfigPath = path.join(runDir, 'kubeconfig');
    copyFileSync(plane.kubeconfigPath, kubeconfigPath);
    const kube = kubeClientFor(kubeconfigPath);

    log(`starting element-sim with clusters ${nameA} and ${nameB}`);
    const simulator = await step('starting the simulator', () =>
      startSimulatorProcess({ children, clusters: [nameA, nameB], password: randomBytes(12).toString('base64url'), extraArgs: options.simulatorArgs }),
    );
    const sideA = simulator.clusters.find((c) => c.name === nameA);
    const sideB = simulator.clusters.find((c) => c.name === nameB);
    if (!sideA || !sideB) throw new EnvironmentError('starting the simulator', new Error(`it did not report clusters ${nameA} and ${nameB}`), runDir);
    log(`element-sim: ${sideA.name} at ${sideA.mvip}, ${sideB.name} at ${sideB.mvip}, admin API ${simulator.adminUrl}`);

    const planned = options.pairs ?? DEMO_PAIRS;
    // No pairs (the benchmark makes its own volumes): no Element call before the caller measures.
    const pairs = planned.length === 0 ? [] : await step('creating volumes', () => createDemoVolumes({ sideA, sideB, caPem: simulator.caPem, pairs: planned }));
    if (pairs.length > 0) log(`created ${pairs.length} source volumes on ${nameA} and ${pairs.length} never-accessed targets of equal size on ${nameB}`);

    const samplesDir = options.samplesDir ?? path.join(REPO_ROOT, 'deploy/samples');
    const manifests = await step('templating deploy/samples', async () =>
      templateSamples({ samplesDir, operatorNamespace, volumePairNamespace, clusters: { A: sideA, B: sideB }, caPem: simulator.caPem, pairs }),
    );
    await step('applying the samples', async () => {
      await ensureNamespaces(kube, [operatorNamespace, volumePairNamespace]);
      await applyManifests(kube, manifests);
    });
    log(`applied ${manifests.map((m) => `${m.kind} ${m.metadata.name}`).join(', ')}`);

    const operator = options.operator === false ? undefined : await step('starting the operator', async () => {
      const settings = options.operator || {};
      const args = [
        settings.entry ?? 'bin/elementrepl-operator.mjs',
        '--kubeconfig', kubeconfigPath,
        '--operator-namespace', operatorNamespace,
        '--metrics-bind-address', '127.0.0.1:0',
        '--health-probe-bind-address', '127.0.0.1:0',
        '--poll-interval', settings.pollInterval ?? '10s',
        '--log-level', settings.logLevel ?? 'info',
        ...(settings.extraArgs ?? []),
      ];
      // The operator finishes in-flight reconciles and releases its Lease within 25 s of SIGTERM.
      const env = settings.env ? { ...process.env, ...settings.env } : undefined;
      return children.spawn({ name: 'operator', command: NODE, args, cwd: REPO_ROOT, stopTimeoutMs: 30_000, ...(env ? { env } : {}) });
    });
    if (operator) log(`operator started (pid ${operator.pid}), logging to ${operator.logFile}`);

    const expected = manifests
      .filter((m): m is Manifest & { kind: ReadyKind } => (READY_KINDS as readonly string[]).includes(m.kind))
      .map((m) => ({ kind: m.kind, name: m.metadata.name, ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}) }));
    const startedPlane = plane;
    return {
      runDir, kubeconfigPath, plane: startedPlane, kube, simulator, operator, operatorNamespace, volumePairNamespace, pairs, manifests, expected,
      processes: () => {
        const { etcd, kubeApiServer } = startedPlane.pids();
        return [{ name: 'etcd', pid: etcd }, { name: 'kube-apiserver', pid: kubeApiServer }, ...children.list().map((c) => ({ name: c.name, pid: c.pid }))];
      },
      stop: (stopOptions) => stop(stopOptions?.keepRunDir ?? false),
    };
  } catch (error) {
    // Keep the logs of what failed; there are none before the first child, and none wanted after a Ctrl-C.
    const keepRunDir = !options.signal?.aborted && children.list().length > 0;
    await stop(keepRunDir);
    if (!keepRunDir && error instanceof EnvironmentError) error.runDirRemoved = true;
    throw error;
  }
}
