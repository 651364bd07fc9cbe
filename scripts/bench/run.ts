// One benchmark run: the embedded environment of the demo (control plane, element-sim with two
// clusters, the samples' ElementClusters and ClusterPair, the operator as a child process) with the
// benchmark's simulator and operator flags, then the measured phases, then everything stopped.
import os from 'node:os';
import { VOLUME_PAIR } from '../../src/api/group.ts';
import { ElementClient } from '../../src/element/client.ts';
import type { ClusterEndpoint } from '../../src/simulator/admin-schema.ts';
import { startEnvironment, type Environment } from '../lib/environment.ts';
import type { LiveView } from '../lib/live-view.ts';
import { waitForReady } from '../lib/watch-status.ts';
import type { BenchOptions } from './options.ts';
import { metricsUrlFromLog } from './operator-metrics.ts';
import { clean, converge, steadyState, type PhaseContext } from './phases.ts';
import { cpuBetween, cpuSecondsOf, ProcessSampler } from './process-sampler.ts';
import { VolumePairWatch } from './ready-watch.ts';
import { evaluateTargets, type BenchFigures, type Phases } from './report.ts';
import { waitUntil } from './wait.ts';
import { createBenchVolumes, volumePairManifests, volumePairsPath } from './workload.ts';

export const BENCH_NAMESPACE = 'elementrepl-bench';
const silent: LiveView = { update: () => undefined, finish: () => undefined };

/** NODE_OPTIONS of the operator: ours, --cpu-prof, and what --operator-node-options adds. */
function operatorNodeOptions(options: BenchOptions): string | undefined {
  const parts = [process.env['NODE_OPTIONS'], options.cpuProfDir ? `--cpu-prof --cpu-prof-dir=${options.cpuProfDir}` : undefined, options.operatorNodeOptions];
  return options.cpuProfDir || options.operatorNodeOptions ? parts.filter(Boolean).join(' ') : undefined;
}

async function start(options: BenchOptions, log: (message: string) => void, signal: AbortSignal): Promise<Environment> {
  return startEnvironment({
    log, signal,
    runDirPrefix: 'elementrepl-bench-',
    pairs: [], // the benchmark makes its own volumes, in bulk
    volumePairNamespace: BENCH_NAMESPACE,
    simulatorArgs: ['--latency-ms', String(options.latencyMs), '--resume-delay-ms', String(options.resumeDelayMs)],
    operator: {
      ...(options.operatorEntry ? { entry: options.operatorEntry } : {}),
      pollInterval: `${options.pollIntervalSeconds}s`,
      logLevel: options.logLevel,
      extraArgs: options.workers === undefined ? [] : ['--workers', String(options.workers)],
      ...(operatorNodeOptions(options) ? { env: { NODE_OPTIONS: operatorNodeOptions(options)! } } : {}),
    },
  });
}

function side(env: Environment, index: 0 | 1): ClusterEndpoint {
  const cluster = env.simulator.clusters[index];
  if (!cluster) throw new Error(`element-sim reported ${env.simulator.clusters.length} clusters`);
  return cluster;
}

export async function runBench(options: BenchOptions, log: (message: string) => void, signal: AbortSignal): Promise<{ figures: BenchFigures; runDir: string }> {
  const startedAt = new Date().toISOString();
  // Other work on the machine slows every figure measured in seconds: the load goes into the report.
  const loadAtStart = os.loadavg()[0]!;
  log(`element-sim latency ${options.latencyMs} ms per call, resume delay ${options.resumeDelayMs} ms; operator --poll-interval ${options.pollIntervalSeconds}s --workers ${options.workers ?? '(default)'}`);
  const env = await start(options, log, signal);
  const operator = env.operator!;
  const sampler = new ProcessSampler(operator.pid);
  const [sideA, sideB] = [side(env, 0), side(env, 1)];
  const element = [sideA, sideB].map((c) => new ElementClient({ mvip: c.mvip, username: c.username, password: c.password, tls: { caPem: env.simulator.caPem } }));
  const watch = new VolumePairWatch(env.plane.client, volumePairsPath(BENCH_NAMESPACE));
  let keepRunDir = true;
  try {
    const essential = [operator, env.simulator.child];
    const timeoutMs = options.timeoutSeconds * 1000;
    const clusterPair = env.manifests.find((m) => m.kind === 'ClusterPair')!.metadata.name;

    log('waiting for the ElementClusters and the ClusterPair to be Ready');
    const setup = await waitForReady({ kube: env.kube, expected: env.expected, kinds: ['ElementCluster', 'ClusterPair'], timeoutMs, view: silent, essential, signal });
    if (!setup.readiness.ready) throw new Error(`the ClusterPair is not Ready after ${options.timeoutSeconds}s:\n  ${setup.readiness.waiting.join('\n  ')}`);
    const afterStartup = sampler.now();
    let operatorMetricsUrl: string | undefined;
    await waitUntil({ essential, signal }, { what: `the operator's metrics address in ${operator.logFile}`, timeoutMs: 30_000 }, () => (operatorMetricsUrl = metricsUrlFromLog(operator.logFile)) !== undefined);
    const context: PhaseContext = {
      kube: env.kube, apiAdmin: env.plane.client, simAdmin: env.simulator.admin, element, watch, operatorMetricsUrl: operatorMetricsUrl!, timeoutMs, log, essential, signal,
    };

    const pairs = await createBenchVolumes(env.simulator.admin, sideA, sideB, options.pairs);
    log(`created ${pairs.length} source volumes on ${sideA.name} and ${pairs.length} never-accessed targets of equal size on ${sideB.name} (admin API)`);
    const manifests = volumePairManifests({ operatorNamespace: env.operatorNamespace, namespace: BENCH_NAMESPACE, clusters: { A: sideA, B: sideB }, caPem: env.simulator.caPem, pairs });
    await watch.start();

    const cpuBefore = cpuSecondsOf(env.processes());
    const converged = await converge(context, manifests, options.applyConcurrency);
    const convergeCpu = cpuBetween(cpuBefore, cpuSecondsOf(env.processes()));
    log(`all ${options.pairs} VolumePairs Ready ${converged.readySeconds.toFixed(1)}s after the apply began`);
    const afterConverge = sampler.now();

    const pollMs = options.pollIntervalSeconds * 1000;
    // Settle: every pair is looked at once more after Ready (and may report a later replication state).
    const steady = await steadyState(context, pollMs, options.steadyPolls, pollMs + options.resumeDelayMs);
    const afterSteady = sampler.now();

    log('deleting every VolumePair');
    const cleaned = await clean(context, BENCH_NAMESPACE, clusterPair);
    log(`clean ${cleaned.cleanSeconds.toFixed(1)}s after the delete; ClusterPair removed in ${cleaned.clusterPairCleanSeconds.toFixed(1)}s`);
    const afterClean = sampler.now();

    const cpu: Phases<number> = {
      startup: afterStartup.cpuSeconds,
      converge: afterConverge.cpuSeconds - afterStartup.cpuSeconds,
      steady: afterSteady.cpuSeconds - afterConverge.cpuSeconds,
      clean: afterClean.cpuSeconds - afterSteady.cpuSeconds,
    };
    const n = options.pairs;
    const measured = {
      pairs: n,
      latencyMs: options.latencyMs,
      resumeDelayMs: options.resumeDelayMs,
      workers: options.workers ?? null,
      pollIntervalSeconds: options.pollIntervalSeconds,
      steadyPolls: options.steadyPolls,
      applySeconds: converged.applySeconds,
      readySeconds: converged.readySeconds,
      readyP50Seconds: converged.perPairSeconds.p50,
      readyP95Seconds: converged.perPairSeconds.p95,
      readyMaxSeconds: converged.perPairSeconds.max,
      mutatingCallsPerPair: converged.calls.mutating / n,
      elementCallsPerPair: converged.calls.total / n,
      callsByMethod: converged.calls.byMethod,
      callsByCluster: converged.calls.byCluster,
      reconcilesPerPair: (converged.reconciles[VOLUME_PAIR.kind] ?? 0) / n,
      reconcilesByController: converged.reconciles,
      kubeWritesPerPair: converged.writes.operatorWrites / n,
      kubeWritesByResource: converged.writes.writesByResource,
      kubeReadsPerPair: converged.writes.reads / n,
      kubeReadsByResource: converged.writes.readsByResource,
      leaseWrites: converged.writes.leaseWrites,
      settleSeconds: steady.settleSeconds,
      steadyListCallsPerClusterPerPoll: steady.listCallsPerClusterPerPoll,
      steadyListCallsByCluster: steady.listCallsByCluster,
      steadyCallsByMethod: steady.calls.byMethod,
      steadyKubeWrites: steady.writes.operatorWrites,
      steadyKubeWritesByResource: steady.writes.writesByResource,
      steadyVolumePairStatusWritesPerPoll: (steady.writes.writesByResource['PATCH elementrepl.io/volumepairs/status'] ?? 0) / steady.polls,
      steadyStatusChanges: steady.statusChanges,
      cpuSeconds: afterClean.cpuSeconds,
      cpuSecondsByPhase: cpu,
      convergeCpuSecondsByProcess: convergeCpu,
      peakRssMb: afterClean.peakRssMb,
      heapMb: {
        converge: { used: converged.operator.heapUsedMb, total: converged.operator.heapTotalMb },
        steady: { used: steady.operator.heapUsedMb, total: steady.operator.heapTotalMb },
      },
      rssMbAfterPhase: { startup: afterStartup.rssMb, converge: afterConverge.rssMb, steady: afterSteady.rssMb, clean: afterClean.rssMb },
      cleanSeconds: cleaned.cleanSeconds,
      clusterPairCleanSeconds: cleaned.clusterPairCleanSeconds,
      cleanCallsByMethod: cleaned.calls.byMethod,
    };
    const figures: BenchFigures = {
      ...measured,
      targets: evaluateTargets(measured),
      environment: {
        cpus: os.availableParallelism(), node: process.versions.node, startedAt,
        loadAverage: { start: loadAtStart, end: os.loadavg()[0]! },
        operatorNodeOptions: options.operatorNodeOptions ?? null, operatorEntry: options.operatorEntry ?? null,
      },
    };
    keepRunDir = options.keepRunDir;
    return { figures, runDir: env.runDir };
  } finally {
    sampler.stop();
    await watch.stop();
    await Promise.all(element.map((client) => client.close()));
    log(keepRunDir ? `stopping everything; logs kept in ${env.runDir}` : 'stopping everything');
    await env.stop({ keepRunDir });
  }
}
