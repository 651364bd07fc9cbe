// Runs the real element-sim CLI as a child process (the contract tests, bench and demo rely on).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NODE = `${REPO_ROOT}node_modules/.bin/node`;

export interface SpawnedSim {
  child: ChildProcess;
  /** Resolves with the first stdout line, parsed; rejects if the process exits first. */
  ready: Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function spawnSim(args: string[]): SpawnedSim {
  const child = spawn(NODE, ['bin/element-sim.mjs', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => {
      // Let the pipes drain before reporting.
      setImmediate(() => resolve({ code, signal, stdout, stderr }));
    });
  });
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(stdout.slice(0, newline)) as Record<string, unknown>);
    });
    void exited.then(({ code }) => reject(new Error(`element-sim exited with ${code} before it was ready: ${stderr}`)));
  });
  ready.catch(() => undefined); // callers that only wait for the exit need not observe this
  return { child, ready, exited };
}
