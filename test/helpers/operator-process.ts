// Runs the operator (or another Node program of this repository) as a child process on the pinned
// Node 24, the way the fault tests need it: output captured for failure messages, exit awaited
// (a crash hook ends it with SIGKILL), stopped with SIGTERM or killed at the end of a test.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const NODE_BINARY = path.join(REPO_ROOT, 'node_modules', '.bin', 'node');
export const OPERATOR_ENTRY = path.join(REPO_ROOT, 'bin', 'elementrepl-operator.mjs');

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface OperatorProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far (the last `maxOutput` characters). */
  output(): string;
  readonly exited: Promise<ProcessExit>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<ProcessExit>;
  kill(): void;
}

export interface SpawnOperatorOptions {
  /** Program to run; default bin/elementrepl-operator.mjs. */
  entry?: string;
  args?: string[];
  /** Added to the environment of the test process. */
  env?: Record<string, string | undefined>;
  /** Output kept for messages; default 200 000 characters. */
  maxOutput?: number;
}

const running = new Set<OperatorProcess>();

export function spawnOperator(options: SpawnOperatorOptions = {}): OperatorProcess {
  const child = spawn(NODE_BINARY, [options.entry ?? OPERATOR_ENTRY, ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const max = options.maxOutput ?? 200_000;
  let output = '';
  const append = (chunk: string) => {
    output = (output + chunk).slice(-max);
  };
  child.stdout?.setEncoding('utf8').on('data', append);
  child.stderr?.setEncoding('utf8').on('data', append);
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const proc: OperatorProcess = {
    child,
    output: () => output,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Kills every process this helper started that is still running (for afterEach/afterAll). */
export async function killAllOperators(): Promise<void> {
  const all = [...running];
  for (const proc of all) proc.kill();
  await Promise.all(all.map((p) => p.exited));
}
