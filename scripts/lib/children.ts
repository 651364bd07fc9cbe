// Child processes of a demo or benchmark run (the simulator, the operator): each runs in its own
// process group (a signal reaches whatever it forks), writes its output to a log file in the run
// dir and is recorded in the run dir's pid file. They join the harness's process-wide cleanup, so
// exit, SIGINT/SIGTERM and uncaught exceptions stop them as they stop the control plane; a later run
// kills what a SIGKILLed run left behind (`cleanupOrphanRuns` of process-group.ts).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { killGroupNow, PID_FILE, registerCleanup, spawnManaged, stopManaged, tailLog, writePidFile, type ManagedProcess } from './process-group.ts';

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
    writePidFile(this.runDir, this.#children);
  }
}

function spawnChild(options: ChildOptions): Child {
  const managed = spawnManaged(options);
  let stopping: Promise<void> | undefined;
  const unregister = registerCleanup({ stop: () => stop(), killNow: () => killGroupNow(managed) });
  const stop = () => {
    stopping ??= stopManaged(managed, options.stopTimeoutMs ?? 15_000).finally(unregister);
    return stopping;
  };
  return { ...managed, tail: (lines = 25) => tailLog(managed, lines), stop };
}
