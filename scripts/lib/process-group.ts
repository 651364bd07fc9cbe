// Child processes that each run in their own process group (so a signal reaches anything they fork),
// log to a file in a run dir, and are recorded in a pid file there: etcd and kube-apiserver of the
// control plane (test/harness/control-plane.ts), the simulator and the operator of a demo or
// benchmark run (children.ts). A process-wide registry kills what is left on exit, on
// SIGINT/SIGTERM and on uncaught exceptions; `cleanupOrphanRuns` removes run dirs whose owner died
// without running any handler (SIGKILL). Scripts and tests share it; it is not shipped (dist/ is src/).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const PID_FILE = 'pids.json';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<number | null>;
  hasExited(): boolean;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  runDir: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Also copy the process's output to our stderr (envtest's KUBEBUILDER_ATTACH_CONTROL_PLANE_OUTPUT). */
  attachOutput?: boolean;
  /** Pipe stdout to us instead of the log (a ready line to read); stderr still goes to the log. */
  pipeStdout?: boolean;
}

export function spawnManaged(options: SpawnOptions): ManagedProcess {
  const logFile = path.join(options.runDir, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  const output = options.attachOutput ? 2 : fd;
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      detached: true, // own process group: a terminal's Ctrl-C reaches us only, and we stop children in order
      env: options.env ?? process.env,
      stdio: ['ignore', options.pipeStdout ? 'pipe' : output, output],
    });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`could not start ${options.name} (${options.command})`);
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      done = true;
      resolve(code ?? (signal ? 128 : null));
    });
    child.on('error', () => {
      done = true;
      resolve(null);
    });
  });
  return { name: options.name, child, pid: child.pid, logFile, exited, hasExited: () => done };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to the process group, SIGKILL after `timeoutMs`; resolves when the leader has exited. */
export async function stopManaged(proc: ManagedProcess, timeoutMs = 15_000): Promise<void> {
  // Never signal a process that has exited: its pid (and group id) may belong to someone else now.
  if (proc.hasExited()) return;
  signalGroup(proc.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const result = await Promise.race([proc.exited, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    signalGroup(proc.pid, 'SIGKILL');
    await proc.exited;
  }
}

export function tailLog(proc: ManagedProcess, lines = 25): string {
  try {
    return readFileSync(proc.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function writePidFile(runDir: string, processes: ManagedProcess[]): void {
  const pids = { owner: process.pid, processes: Object.fromEntries(processes.map((p) => [p.name, p.pid])) };
  writeFileSync(path.join(runDir, PID_FILE), JSON.stringify(pids));
}

// ---- process-wide cleanup ---------------------------------------------------------------------

export interface Cleanup {
  /** Graceful, used on signals. */
  stop(): Promise<void>;
  /** Synchronous last resort, used from the 'exit' event: SIGKILL every group, remove the run dir. */
  killNow(): void;
}

const registry = new Set<Cleanup>();
let handlersInstalled = false;

function killAllNow(): void {
  for (const cleanup of registry) cleanup.killNow();
  registry.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // Entries stay registered until their stop completes: if the process exits first (another
  // signal listener may call process.exit), the 'exit' handler still kills what is left.
  void Promise.allSettled([...registry].map((c) => c.stop())).then(() => {
    // Restore the default behaviour (terminate) only if nobody else listens for this signal.
    if (process.listenerCount(signal) <= 1) {
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    }
  });
}

export function registerCleanup(cleanup: Cleanup): () => void {
  if (!handlersInstalled) {
    handlersInstalled = true;
    process.on('exit', killAllNow);
    // A monitor does not swallow the exception; 'exit' still follows and the process still dies.
    process.on('uncaughtExceptionMonitor', killAllNow);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
  }
  registry.add(cleanup);
  return () => registry.delete(cleanup);
}

export function killGroupNow(proc: ManagedProcess | undefined): void {
  if (proc && !proc.hasExited()) signalGroup(proc.pid, 'SIGKILL');
}

// ---- orphans ----------------------------------------------------------------------------------

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Kills the processes recorded in `<parent>/<prefix>*\/pids.json` whose owner died without cleaning
 * up (SIGKILL), and removes those run dirs. Run dirs of live owners (other runs on this machine) and
 * run dirs without a pid file (still being set up, or a finished run kept for its logs) are left
 * alone; a recorded pid is only killed if its command line names the run dir (every child has the
 * run dir in its arguments), so a recycled pid is never hit.
 */
export function cleanupOrphanRuns(parent: string, prefix: string): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(parent).filter((e) => e.startsWith(prefix));
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const runDir = path.join(parent, entry);
    const pidFile = path.join(runDir, PID_FILE);
    if (!existsSync(pidFile)) continue;
    let recorded: { owner: number; processes: Record<string, number> };
    try {
      recorded = JSON.parse(readFileSync(pidFile, 'utf8')) as typeof recorded;
    } catch {
      continue;
    }
    if (isAlive(recorded.owner)) continue;
    for (const pid of Object.values(recorded.processes)) {
      if (commandLine(pid).includes(runDir)) signalGroup(pid, 'SIGKILL');
    }
    rmSync(runDir, { recursive: true, force: true });
    removed.push(runDir);
  }
  return removed;
}
