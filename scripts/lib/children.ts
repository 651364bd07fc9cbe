// Child processes of a demo or benchmark run (the simulator, the operator): each runs in its own
// process group (a signal reaches whatever it forks), writes its output to a log file in the run
// dir and is recorded in the run dir's pid file. They join the harness's process-wide cleanup, so
// exit, SIGINT/SIGTERM and uncaught exceptions stop them as they stop the control plane; a later run
// kills what a SIGKILLed run left behind (`cleanupOrphanRuns`).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { killGroupNow, registerCleanup, stopManaged, tailLog, type ManagedProcess } from '../../test/harness/processes.ts';

export const PID_FILE = 'pids.json';

export interface ChildOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  runDir: string;
  /** Pipe stdout to us instead of the log file (the simulator's ready line); stderr always goes to the log. */
  pipeStdout?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Grace period between SIGTERM and SIGKILL (default 15 s). */
  stopTimeoutMs?: number;
}

export interface Child extends ManagedProcess {
  /** Last lines of the log file. */
  tail(lines?: number): string;
  /** SIGTERM to the group, SIGKILL after its grace period. Idempotent. */
  stop(): Promise<void>;
}

/** Owns the children of one run dir and its pid file. */
export class ChildSet {
  readonly runDir: string;
  readonly #children: Child[] = [];

  constructor(runDir: string) {
    this.runDir = runDir;
  }

  spawn(options: Omit<ChildOptions, 'runDir'>): Child {
    const child = spawnChild({ ...options, runDir: this.runDir });
    this.#children.push(child);
    this.#writePidFile();
    return child;
  }

  list(): readonly Child[] {
    return this.#children;
  }

  /** Stops the children in reverse start order; removes the pid file once all are gone. */
  async stopAll(): Promise<void> {
    for (const child of [...this.#children].reverse()) await child.stop();
    rmSync(path.join(this.runDir, PID_FILE), { force: true });
  }

  #writePidFile(): void {
    const processes = Object.fromEntries(this.#children.map((c) => [c.name, c.pid]));
    writeFileSync(path.join(this.runDir, PID_FILE), JSON.stringify({ owner: process.pid, processes }));
  }
}

function spawnChild(options: ChildOptions): Child {
  const logFile = path.join(options.runDir, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      detached: true, // own process group: a terminal's Ctrl-C reaches us only, and we stop children in order
      env: options.env ?? process.env,
      stdio: ['ignore', options.pipeStdout ? 'pipe' : fd, fd],
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
  const managed: ManagedProcess = { name: options.name, child, pid: child.pid, logFile, exited, hasExited: () => done };
  let stopping: Promise<void> | undefined;
  const unregister = registerCleanup({ stop: () => stop(), killNow: () => killGroupNow(managed) });
  const stop = () => {
    stopping ??= stopManaged(managed, options.stopTimeoutMs ?? 15_000).finally(unregister);
    return stopping;
  };
  return { ...managed, tail: (lines = 25) => tailLog(managed, lines), stop };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Kills children recorded in `<parent>/<prefix>*\/pids.json` whose owner died without cleaning up
 * (SIGKILL), and removes those run dirs. A pid is only killed if its command line names the run
 * dir (every child of ours has the run dir in its arguments), so a recycled pid is never hit. Run
 * dirs without a pid file (a finished run kept for its logs) are left alone.
 */
export function cleanupOrphanRuns(parent: string, prefix: string): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(parent).filter((entry) => entry.startsWith(prefix));
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
      if (!commandLineOf(pid).includes(runDir)) continue;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(runDir, { recursive: true, force: true });
    removed.push(runDir);
  }
  return removed;
}
