// Watches what the operator reports: first until everything expected is Ready (or a deadline), with
// a live table; then, while the demo runs, one line per change. Either stops if a process the
// environment depends on (the operator, the simulator) exits.
import type { KubeClient } from '../../src/kube/client.ts';
import type { Child } from './children.ts';
import { readSnapshot, type Snapshot } from './kube.ts';
import type { LiveView } from './live-view.ts';
import { evaluateReadiness, type ExpectedObject, type Readiness, type ReadyKind } from './readiness.ts';
import { renderSnapshot, summarizeObjects } from './status-table.ts';

export class ProcessExitedError extends Error {
  readonly child: Child;
  constructor(child: Child, code: number | null) {
    super(`${child.name} exited (status ${code}) while the demo was running; last lines of ${child.logFile}:\n${child.tail(30)}`);
    this.name = 'ProcessExitedError';
    this.child = child;
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** Rejects with ProcessExitedError as soon as one of `children` exits. */
function firstExit(children: readonly Child[]): Promise<never> {
  return Promise.race(children.map((child) => child.exited.then((code) => Promise.reject(new ProcessExitedError(child, code)))));
}

export interface WaitOptions {
  kube: KubeClient;
  expected: readonly ExpectedObject[];
  kinds: readonly ReadyKind[];
  timeoutMs: number;
  view: LiveView;
  /** Processes that must keep running. */
  essential: readonly Child[];
  intervalMs?: number;
  signal?: AbortSignal;
}

export interface WaitResult {
  readiness: Readiness;
  snapshot: Snapshot | undefined;
  elapsedMs: number;
}

export async function waitForReady(options: WaitOptions): Promise<WaitResult> {
  const began = Date.now();
  const exited = firstExit(options.essential);
  exited.catch(() => undefined);
  let snapshot: Snapshot | undefined;
  let readiness = evaluateReadiness({ elementClusters: [], clusterPairs: [], volumePairs: [] }, options.expected, options.kinds);
  for (;;) {
    let problem = '';
    try {
      snapshot = await Promise.race([readSnapshot(options.kube), exited]);
      readiness = evaluateReadiness(snapshot, options.expected, options.kinds);
    } catch (error) {
      if (error instanceof ProcessExitedError) throw error;
      problem = ` (cannot read status: ${(error as Error).message})`;
    }
    const elapsed = ((Date.now() - began) / 1000).toFixed(0);
    const headline = readiness.ready
      ? `[demo] ${elapsed}s: all ${readiness.total} resources Ready`
      : `[demo] ${elapsed}s: ${readiness.readyCount}/${readiness.total} Ready, waiting for the operator…${problem}`;
    options.view.update(headline, snapshot ? renderSnapshot(snapshot) : []);
    if (readiness.ready || Date.now() - began > options.timeoutMs || options.signal?.aborted) {
      options.view.finish();
      return { readiness, snapshot, elapsedMs: Date.now() - began };
    }
    await Promise.race([sleep(options.intervalMs ?? 1000, options.signal), exited]);
  }
}

/** Prints one line per changed object until `signal` aborts; rejects if an essential process exits. */
export async function followChanges(options: {
  kube: KubeClient;
  print: (line: string) => void;
  essential: readonly Child[];
  signal: AbortSignal;
  intervalMs?: number;
  initial?: Snapshot;
}): Promise<void> {
  const exited = firstExit(options.essential);
  exited.catch(() => undefined);
  let previous = options.initial ? summarizeObjects(options.initial) : new Map<string, string>();
  while (!options.signal.aborted) {
    await Promise.race([sleep(options.intervalMs ?? 2000, options.signal), exited]);
    if (options.signal.aborted) return;
    let current: Map<string, string>;
    try {
      current = summarizeObjects(await Promise.race([readSnapshot(options.kube), exited]));
    } catch (error) {
      if (error instanceof ProcessExitedError) throw error;
      continue; // the API server may be restarting; try again
    }
    const time = new Date().toTimeString().slice(0, 8);
    for (const [key, line] of current) {
      if (previous.get(key) !== line) options.print(`${time} ${key}: ${line}`);
    }
    for (const key of previous.keys()) if (!current.has(key)) options.print(`${time} ${key}: deleted`);
    previous = current;
  }
}
