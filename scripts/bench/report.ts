// The benchmark's figures: their JSON shape, the targets of issue 10 judged against them, and the
// printed table. Pure. A missed target is reported, never an error: only failures to measure are.

export interface Phases<T> {
  /** From the operator's start until the ClusterPair is Ready (ElementClusters, pairing). */
  startup: T;
  /** From the apply of the VolumePairs until all are Ready. */
  converge: T;
  steady: T;
  clean: T;
}

export interface BenchFigures {
  pairs: number;
  latencyMs: number;
  resumeDelayMs: number;
  workers: number | null;
  pollIntervalSeconds: number;
  steadyPolls: number;
  applySeconds: number;
  readySeconds: number;
  readyP50Seconds: number;
  readyP95Seconds: number;
  readyMaxSeconds: number;
  mutatingCallsPerPair: number;
  elementCallsPerPair: number;
  callsByMethod: Record<string, number>;
  callsByCluster: Record<string, Record<string, number>>;
  /** VolumePair reconciles from the apply to all Ready, per pair. */
  reconcilesPerPair: number;
  reconcilesByController: Record<string, number>;
  kubeWritesPerPair: number;
  kubeWritesByResource: Record<string, number>;
  /** GETs and LISTs the operator made from the apply to all Ready, per pair (watches not counted). */
  kubeReadsPerPair: number;
  kubeReadsByResource: Record<string, number>;
  leaseWrites: number;
  /** From all Ready until a whole poll interval passes without a VolumePair status change. */
  settleSeconds: number;
  steadyListCallsPerClusterPerPoll: number;
  steadyListCallsByCluster: Record<string, number>;
  steadyCallsByMethod: Record<string, number>;
  steadyKubeWrites: number;
  steadyKubeWritesByResource: Record<string, number>;
  /** VolumePair status PATCHes per poll in steady state (O(changes): 0 when nothing changed). */
  steadyVolumePairStatusWritesPerPoll: number;
  /** VolumePair status fields that changed in steady state, with how often (watch events). */
  steadyStatusChanges: Record<string, number>;
  cpuSeconds: number;
  cpuSecondsByPhase: Phases<number>;
  /** CPU seconds of every process of the run (operator, element-sim, kube-apiserver, etcd, the benchmark) from the apply to all Ready. */
  convergeCpuSecondsByProcess: Record<string, number>;
  peakRssMb: number;
  /** V8 heap used/total (MB) from the operator's metrics once all are Ready, and after steady state. */
  heapMb: { converge: { used: number; total: number }; steady: { used: number; total: number } };
  rssMbAfterPhase: Phases<number>;
  cleanSeconds: number;
  clusterPairCleanSeconds: number;
  cleanCallsByMethod: Record<string, number>;
  targets: TargetResult[];
  environment: { cpus: number; node: string; startedAt: string; loadAverage: { start: number; end: number }; operatorNodeOptions: string | null; operatorEntry: string | null };
}

export type TargetStatus = 'met' | 'missed' | 'n/a';

export interface TargetResult {
  name: string;
  target: string;
  value: string;
  status: TargetStatus;
}

/** Nearest-rank percentile of unsorted values (0 when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * A target stated for one N and one latency is judged only where the run says something about it:
 * faster with more pairs or more latency is met, slower with fewer pairs or less latency is missed,
 * anything else is n/a.
 */
function scaled(pass: boolean, harder: boolean, easier: boolean): TargetStatus {
  if (pass && harder) return 'met';
  if (!pass && easier) return 'missed';
  return 'n/a';
}

export function evaluateTargets(f: Omit<BenchFigures, 'targets' | 'environment'>): TargetResult[] {
  return [
    {
      name: 'time to all Ready',
      target: '< 30 s for 500 pairs at 10 ms latency',
      value: `${round(f.readySeconds, 1)} s for ${f.pairs} pairs at ${f.latencyMs} ms`,
      status: scaled(f.readySeconds < 30, f.pairs >= 500 && f.latencyMs >= 10, f.pairs <= 500 && f.latencyMs <= 10),
    },
    {
      name: 'mutating Element calls per new pair',
      target: '≤ 3',
      value: String(round(f.mutatingCallsPerPair)),
      status: f.mutatingCallsPerPair <= 3 ? 'met' : 'missed',
    },
    {
      // ListClusterPairs, ListActivePairedVolumes and ListVolumeStats (the lag, DESIGN §9).
      name: 'steady-state list calls per cluster per poll',
      target: '≤ 3, whatever N',
      value: String(round(f.steadyListCallsPerClusterPerPoll)),
      status: f.steadyListCallsPerClusterPerPoll <= 3 ? 'met' : 'missed',
    },
    {
      name: 'steady-state VolumePair status writes per poll',
      target: '0 when nothing changed, whatever N',
      value: String(round(f.steadyVolumePairStatusWritesPerPoll)),
      status: f.steadyVolumePairStatusWritesPerPoll === 0 ? 'met' : 'missed',
    },
    {
      name: 'operator peak RSS',
      target: '< 200 MB at 2000 pairs',
      value: `${round(f.peakRssMb, 0)} MB at ${f.pairs} pairs`,
      status: scaled(f.peakRssMb < 200, f.pairs >= 2000, f.pairs <= 2000),
    },
  ];
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

const byMethod = (calls: Record<string, number>) => Object.entries(calls).map(([method, count]) => `${method} ${count}`).join(', ') || 'none';

export function renderReport(f: BenchFigures): string[] {
  const phases = (p: Phases<number>, unit: string) => `startup ${round(p.startup, 1)}${unit}, converge ${round(p.converge, 1)}${unit}, steady ${round(p.steady, 1)}${unit}, clean ${round(p.clean, 1)}${unit}`;
  const lines = [
    `Benchmark: ${f.pairs} VolumePairs, Element latency ${f.latencyMs} ms/call, resume delay ${f.resumeDelayMs} ms, ` +
      `operator --workers ${f.workers ?? 'default'} --poll-interval ${f.pollIntervalSeconds}s (${f.environment.cpus} CPUs, Node ${f.environment.node}, ` +
      `load average ${f.environment.loadAverage.start.toFixed(1)} → ${f.environment.loadAverage.end.toFixed(1)}` +
      `${f.environment.operatorNodeOptions ? `, operator NODE_OPTIONS ${f.environment.operatorNodeOptions}` : ''}` +
      `${f.environment.operatorEntry ? `, operator ${f.environment.operatorEntry}` : ''})`,
    '',
    ...table([
      ['figure', 'value'],
      ['apply (server-side, parallel)', `${round(f.applySeconds)} s`],
      ['apply → all Ready', `${round(f.readySeconds)} s`],
      ['time to Ready per pair p50 / p95 / max', `${round(f.readyP50Seconds)} / ${round(f.readyP95Seconds)} / ${round(f.readyMaxSeconds)} s`],
      ['mutating Element calls per pair', String(round(f.mutatingCallsPerPair))],
      ['all Element calls per pair', String(round(f.elementCallsPerPair))],
      ['Kubernetes API writes per pair', `${round(f.kubeWritesPerPair)} (+ ${f.leaseWrites} Lease writes)`],
      ['Kubernetes API reads (GET, LIST) per pair', String(round(f.kubeReadsPerPair))],
      ['all Ready → no status change for a poll', `${round(f.settleSeconds, 1)} s`],
      ['steady list calls per cluster per poll', `${round(f.steadyListCallsPerClusterPerPoll)} (${Object.entries(f.steadyListCallsByCluster).map(([c, n]) => `${c} ${n}`).join(', ')} in ${f.steadyPolls} polls)`],
      ['steady Kubernetes API writes', `${f.steadyKubeWrites} in ${f.steadyPolls} polls (Leases excluded)`],
      ['steady VolumePair status writes per poll', String(round(f.steadyVolumePairStatusWritesPerPoll))],
      ['operator CPU', `${round(f.cpuSeconds)} s (${phases(f.cpuSecondsByPhase, ' s')})`],
      ['CPU of each process, apply → all Ready', `${Object.entries(f.convergeCpuSecondsByProcess).map(([p, s]) => `${p} ${round(s, 1)} s`).join(', ')} (of ${round(f.readySeconds * f.environment.cpus, 0)} CPU-s available)`],
      ['operator peak RSS (VmHWM)', `${round(f.peakRssMb, 0)} MB`],
      ['operator RSS after each phase', phases(f.rssMbAfterPhase, ' MB')],
      ['operator V8 heap used / total', `all Ready ${round(f.heapMb.converge.used, 0)} / ${round(f.heapMb.converge.total, 0)} MB, after steady ${round(f.heapMb.steady.used, 0)} / ${round(f.heapMb.steady.total, 0)} MB`],
      ['VolumePair reconciles per pair', String(round(f.reconcilesPerPair, 1))],
      ['delete → clean (no VolumePair, no Element pair)', `${round(f.cleanSeconds)} s`],
      ['ClusterPair delete → clean', `${round(f.clusterPairCleanSeconds)} s`],
    ]),
    '',
    `Element calls, apply → all Ready: ${byMethod(f.callsByMethod)}`,
    `Element calls in steady state: ${byMethod(f.steadyCallsByMethod)}`,
    `Kubernetes API writes in steady state: ${byMethod(f.steadyKubeWritesByResource)}; VolumePair status changes: ${byMethod(f.steadyStatusChanges)}`,
    `Element calls, delete → clean: ${byMethod(f.cleanCallsByMethod)}`,
    `Kubernetes API writes, apply → all Ready: ${byMethod(f.kubeWritesByResource)}`,
    `Kubernetes API reads, apply → all Ready: ${byMethod(f.kubeReadsByResource)}`,
    '',
    ...table([['target', 'wanted', 'measured', 'status'], ...f.targets.map((t) => [t.name, t.target, t.value, t.status])]),
  ];
  return lines;
}
