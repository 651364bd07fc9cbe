// The benchmark's command line. Pure: parses argv into options or throws a message naming the flag.
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run bench [-- options]

Starts a local control plane, element-sim with two clusters and the operator; creates one
ClusterPair and N VolumePairs on pre-created volumes, and measures time to Ready, Element calls,
Kubernetes API writes, the steady-state polls, the operator's CPU and memory, and time to clean.

Options:
  --pairs N                VolumePairs to create (default 500)
  --latency-ms N           element-sim latency per JSON-RPC call (default 10)
  --resume-delay-ms N      element-sim Resuming* phase of a new pair (default 300)
  --workers N              operator --workers (default: the operator's own default)
  --poll-interval SECONDS  operator --poll-interval (default 5)
  --steady-polls N         poll intervals observed in steady state (default 3)
  --apply-concurrency N    server-side applies in flight (default 16)
  --timeout SECONDS        deadline of each phase (default 120 + 0.25 s per pair)
  --log-level LEVEL        operator --log-level (default info)
  --cpu-prof DIR           write V8 CPU profiles of the operator to DIR (NODE_OPTIONS=--cpu-prof)
  --operator-node-options='S'  more NODE_OPTIONS for the operator (e.g. '--max-old-space-size=128')
  --operator-entry FILE    operator entry script (default bin/elementrepl-operator.mjs; to compare a change)
  --json FILE              also write the figures as JSON
  --keep-run-dir           keep the run dir (logs) even when everything succeeded
  --help                   this text
`;

export interface BenchOptions {
  pairs: number;
  latencyMs: number;
  resumeDelayMs: number;
  workers: number | undefined;
  pollIntervalSeconds: number;
  steadyPolls: number;
  applyConcurrency: number;
  timeoutSeconds: number;
  logLevel: string;
  cpuProfDir: string | undefined;
  operatorNodeOptions: string | undefined;
  operatorEntry: string | undefined;
  jsonFile: string | undefined;
  keepRunDir: boolean;
}

function integer(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`--${flag} expects an integer between ${min} and ${max}, got '${text}'`);
  }
  return value;
}

/** `null` when --help was asked for. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      pairs: { type: 'string', default: '500' },
      'latency-ms': { type: 'string', default: '10' },
      'resume-delay-ms': { type: 'string', default: '300' },
      workers: { type: 'string' },
      'poll-interval': { type: 'string', default: '5' },
      'steady-polls': { type: 'string', default: '3' },
      'apply-concurrency': { type: 'string', default: '16' },
      timeout: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      'cpu-prof': { type: 'string' },
      'operator-node-options': { type: 'string' },
      'operator-entry': { type: 'string' },
      json: { type: 'string' },
      'keep-run-dir': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  const pairs = integer('pairs', values.pairs, 1, 100_000);
  return {
    pairs,
    latencyMs: integer('latency-ms', values['latency-ms'], 0, 60_000),
    resumeDelayMs: integer('resume-delay-ms', values['resume-delay-ms'], 0, 600_000),
    // The operator accepts 1-64 (src/config.ts).
    workers: values.workers === undefined ? undefined : integer('workers', values.workers, 1, 64),
    pollIntervalSeconds: integer('poll-interval', values['poll-interval'], 1, 3600),
    steadyPolls: integer('steady-polls', values['steady-polls'], 1, 100),
    applyConcurrency: integer('apply-concurrency', values['apply-concurrency'], 1, 256),
    timeoutSeconds: values.timeout === undefined ? Math.ceil(120 + pairs * 0.25) : integer('timeout', values.timeout, 1),
    logLevel: values['log-level'],
    cpuProfDir: values['cpu-prof'],
    operatorNodeOptions: values['operator-node-options'],
    operatorEntry: values['operator-entry'],
    jsonFile: values.json,
    keepRunDir: values['keep-run-dir'],
  };
}
