// Runs element-sim as a child process, the way users run it, and waits for its one JSON ready line.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SimulatorAdmin } from '../../src/simulator/admin-client.ts';
import type { ClusterEndpoint } from '../../src/simulator/admin-schema.ts';
import type { Child, ChildSet } from './children.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** The pinned Node (the system one may be older). */
export const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');

export interface SimulatorProcess {
  readonly child: Child;
  readonly adminUrl: string;
  readonly caFile: string;
  readonly caPem: string;
  readonly clusters: readonly ClusterEndpoint[];
  readonly admin: SimulatorAdmin;
}

export interface SimulatorStartOptions {
  children: ChildSet;
  /** Cluster names, e.g. ['DC1', 'DC2']. */
  clusters: readonly string[];
  password: string;
  /** More element-sim flags (e.g. --connect-delay-ms 2000). */
  extraArgs?: readonly string[];
  startTimeoutMs?: number;
}

interface ReadyLine {
  adminUrl: string;
  caFile: string;
  clusters: ClusterEndpoint[];
}

export async function startSimulatorProcess(options: SimulatorStartOptions): Promise<SimulatorProcess> {
  const stateDir = path.join(options.children.runDir, 'element-sim');
  mkdirSync(stateDir, { recursive: true }); // element-sim expects it to exist
  const child = options.children.spawn({
    name: 'element-sim',
    command: NODE,
    args: [
      'bin/element-sim.mjs',
      '--clusters', options.clusters.join(','),
      '--password', options.password,
      '--state-dir', stateDir, // also puts the run dir into its command line (orphan detection)
      ...(options.extraArgs ?? []),
    ],
    cwd: REPO_ROOT,
    pipeStdout: true,
  });
  const ready = await readyLine(child, options.startTimeoutMs ?? 30_000);
  return {
    child,
    adminUrl: ready.adminUrl,
    caFile: ready.caFile,
    caPem: readFileSync(ready.caFile, 'utf8'),
    clusters: ready.clusters,
    admin: new SimulatorAdmin(ready.adminUrl),
  };
}

function readyLine(child: Child, timeoutMs: number): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error(`element-sim printed no ready line within ${timeoutMs / 1000}s`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`${error.message}; last lines of ${child.logFile}:\n${child.tail(15)}`));
    };
    child.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout.slice(0, newline)) as ReadyLine);
      } catch {
        fail(new Error(`element-sim printed an unexpected first line: ${stdout.slice(0, newline)}`));
      }
    });
    void child.exited.then((code) => fail(new Error(`element-sim exited with status ${code} before it was ready`)));
  });
}
