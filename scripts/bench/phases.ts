// The measured phases of the benchmark, each bracketed by its counters: converge (apply N
// VolumePairs → all Ready), steady state (a few polls with nothing to do) and clean (delete → no
// VolumePair left and no volume pair on either simulated cluster; then the ClusterPair).
import type { ElementClient } from '../../src/element/client.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { customResource } from '../../src/kube/client.ts';
import { CLUSTER_PAIR } from '../../src/api/group.ts';
import type { SimulatorAdmin } from '../../src/simulator/admin-client.ts';
import type { ApiClient } from '../../test/harness/api-client.ts';
import type { Manifest } from '../lib/samples.ts';
import { listCallsByCluster, scrapeRequests, summarizeElementCalls, summarizeRequests, type ElementCalls, type KubeRequests } from './counters.ts';
import { reconcilesBetween, scrapeOperator, type OperatorMetrics } from './operator-metrics.ts';
import type { VolumePairWatch } from './ready-watch.ts';
import { percentile } from './report.ts';
import { BenchTimeoutError, checkAlive, sleep, waitUntil, type WaitContext } from './wait.ts';
import { applyInParallel, deleteAllVolumePairs } from './workload.ts';

export interface PhaseContext extends WaitContext {
  kube: KubeClient;
  /** Admin client of kube-apiserver (its /metrics, collection deletes). */
  apiAdmin: ApiClient;
  simAdmin: SimulatorAdmin;
  /** Element clients of side A and side B, for checks after the counters are read. */
  element: readonly ElementClient[];
  watch: VolumePairWatch;
  /** The operator's /metrics. */
  operatorMetricsUrl: string;
  timeoutMs: number;
  log: (message: string) => void;
}

export interface ConvergeFigures {
  applySeconds: number;
  readySeconds: number;
  perPairSeconds: { p50: number; p95: number; max: number };
  calls: ElementCalls;
  writes: KubeRequests;
  /** Reconciles per controller from the apply to all Ready. */
  reconciles: Record<string, number>;
  /** The operator's metrics once all are Ready. */
  operator: OperatorMetrics;
}

export async function converge(context: PhaseContext, manifests: readonly Manifest[], applyConcurrency: number): Promise<ConvergeFigures> {
  const names = manifests.map((m) => m.metadata.name);
  const appliedAt = new Map<string, number>();
  await context.simAdmin.resetCounters();
  const writesBefore = await scrapeRequests(context.apiAdmin);
  const operatorBefore = await scrapeOperator(context.operatorMetricsUrl);
  const began = Date.now();
  await applyInParallel(context.kube, manifests, applyConcurrency, (name, at) => appliedAt.set(name, at));
  const applied = Date.now();
  context.log(`applied ${manifests.length} VolumePairs in ${((applied - began) / 1000).toFixed(1)}s; waiting for all to be Ready`);
  let lastReport = applied;
  await waitUntil(context, { what: `${names.length} VolumePairs to be Ready`, timeoutMs: context.timeoutMs, explain: () => context.watch.notReadySummary(names) }, () => {
    const ready = names.filter((name) => context.watch.readyAt(name) !== undefined).length;
    if (Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      context.log(`${ready}/${names.length} Ready after ${((Date.now() - began) / 1000).toFixed(0)}s`);
    }
    return ready === names.length;
  });
  // Counters first: nothing the benchmark does below may be counted.
  const calls = summarizeElementCalls(await context.simAdmin.counters());
  const writes = summarizeRequests(writesBefore, await scrapeRequests(context.apiAdmin));
  const operator = await scrapeOperator(context.operatorMetricsUrl);
  const readyAt = names.map((name) => context.watch.readyAt(name)!);
  const perPair = names.map((name, i) => Math.max(0, readyAt[i]! - appliedAt.get(name)!) / 1000);
  return {
    applySeconds: (applied - began) / 1000,
    readySeconds: (Math.max(...readyAt) - began) / 1000,
    perPairSeconds: { p50: percentile(perPair, 50), p95: percentile(perPair, 95), max: Math.max(...perPair) },
    calls,
    writes,
    reconciles: reconcilesBetween(operatorBefore, operator),
    operator,
  };
}

export interface SteadyFigures {
  /** From all Ready until a whole poll interval without a VolumePair status change. */
  settleSeconds: number;
  polls: number;
  calls: ElementCalls;
  listCallsByCluster: Record<string, number>;
  /** The busiest cluster's list calls divided by the polls. */
  listCallsPerClusterPerPoll: number;
  writes: KubeRequests;
  operator: OperatorMetrics;
  /** VolumePair status fields that changed in the window (a steady pair changes none). */
  statusChanges: Record<string, number>;
}

/**
 * The operator may still be finishing pairs that already report Ready (clearing the pairing intent
 * of thousands of pairs takes a while): wait at least `minSettleMs`, then until one whole poll
 * interval passes without any VolumePair status change. Returns the seconds waited.
 */
async function settle(context: PhaseContext, pollIntervalMs: number, minSettleMs: number): Promise<number> {
  const began = Date.now();
  await sleep(minSettleMs, context.signal);
  context.watch.takeChanges();
  for (;;) {
    checkAlive(context);
    await sleep(pollIntervalMs, context.signal);
    const changes = context.watch.takeChanges();
    if (Object.keys(changes).length === 0) return (Date.now() - began) / 1000;
    if (Date.now() - began > context.timeoutMs) throw new BenchTimeoutError(`VolumePair status still changing ${context.timeoutMs / 1000}s after all were Ready: ${JSON.stringify(changes)}`);
    context.log(`still settling: VolumePair status changes in the last poll interval: ${JSON.stringify(changes)}`);
  }
}

/**
 * Nothing to do for `polls` poll intervals. The window is half a second shorter than that many
 * intervals: the observation cache serves a list for one interval, so a cache that keeps its
 * promise makes at most `polls` lists of each kind in it whatever the phase of its timer.
 */
export async function steadyState(context: PhaseContext, pollIntervalMs: number, polls: number, minSettleMs: number): Promise<SteadyFigures> {
  const settleSeconds = await settle(context, pollIntervalMs, minSettleMs);
  context.log(`settled ${settleSeconds.toFixed(1)}s after all were Ready; watching ${polls} polls of ${pollIntervalMs / 1000}s`);
  await context.simAdmin.resetCounters();
  const writesBefore = await scrapeRequests(context.apiAdmin);
  context.watch.takeChanges();
  const windowEnd = Date.now() + polls * pollIntervalMs - 500;
  await waitUntil(context, { what: 'the steady-state window', timeoutMs: polls * pollIntervalMs + 10_000, intervalMs: 250 }, () => Date.now() >= windowEnd);
  const counters = await context.simAdmin.counters();
  const writes = summarizeRequests(writesBefore, await scrapeRequests(context.apiAdmin));
  const lists = listCallsByCluster(counters);
  return {
    settleSeconds,
    polls,
    calls: summarizeElementCalls(counters),
    listCallsByCluster: lists,
    listCallsPerClusterPerPoll: Math.max(0, ...Object.values(lists)) / polls,
    writes,
    operator: await scrapeOperator(context.operatorMetricsUrl),
    statusChanges: context.watch.takeChanges(),
  };
}

export interface CleanFigures {
  cleanSeconds: number;
  calls: ElementCalls;
  clusterPairCleanSeconds: number;
}

async function elementHas(element: readonly ElementClient[], what: 'volumePairs' | 'clusterPairs'): Promise<boolean> {
  const lists = await Promise.all(element.map((client) => (what === 'volumePairs' ? client.listActivePairedVolumes() : client.listClusterPairs())));
  return lists.some((list) => list.length > 0);
}

export async function clean(context: PhaseContext, namespace: string, clusterPairName: string): Promise<CleanFigures> {
  await context.simAdmin.resetCounters();
  const began = Date.now();
  await deleteAllVolumePairs(context.apiAdmin, namespace);
  await waitUntil(context, { what: 'every VolumePair to be gone', timeoutMs: context.timeoutMs, explain: () => [`${context.watch.count()} left, e.g. ${context.watch.names().slice(0, 5).join(', ')}`] }, () => context.watch.count() === 0);
  // Read the counters before our own checks of the clusters add to them.
  const calls = summarizeElementCalls(await context.simAdmin.counters());
  const cleanAt = await waitUntil(context, { what: 'both clusters to list no volume pair', timeoutMs: context.timeoutMs, intervalMs: 500 }, async () => !(await elementHas(context.element, 'volumePairs')));
  context.log(`VolumePairs clean after ${((cleanAt - began) / 1000).toFixed(1)}s; deleting ClusterPair ${clusterPairName}`);

  const clusterPairs = customResource(CLUSTER_PAIR);
  const pairBegan = Date.now();
  await context.kube.delete(clusterPairs, clusterPairName);
  await waitUntil(context, { what: `ClusterPair ${clusterPairName} to be gone`, timeoutMs: context.timeoutMs, intervalMs: 500 }, async () => (await context.kube.get(clusterPairs, clusterPairName)) === null);
  const pairCleanAt = await waitUntil(context, { what: 'both clusters to list no cluster pair', timeoutMs: context.timeoutMs, intervalMs: 500 }, async () => !(await elementHas(context.element, 'clusterPairs')));
  return { cleanSeconds: (cleanAt - began) / 1000, calls, clusterPairCleanSeconds: (pairCleanAt - pairBegan) / 1000 };
}
