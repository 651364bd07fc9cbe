// `npm run bench` as a process at a small N: it runs its own control plane, simulator and operator,
// measures every phase, and writes every figure to --json. Speeds are not asserted (only that the
// figures are there, are numbers ≥ 0 and are consistent with the run), nor whether targets are met.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { NODE, REPO_ROOT } from '../scripts/lib/simulator.ts';

const PAIRS = 5;

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ['scripts/bench.ts', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const NUMBERS = [
  'latencyMs', 'readySeconds', 'readyP50Seconds', 'readyP95Seconds', 'mutatingCallsPerPair', 'kubeWritesPerPair',
  'steadyListCallsPerClusterPerPoll', 'steadyVolumePairStatusWritesPerPoll', 'cpuSeconds', 'peakRssMb', 'cleanSeconds',
] as const;

test(`npm run bench --pairs ${PAIRS}: every figure is written, with sane values`, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
  const jsonFile = path.join(dir, 'figures.json');
  try {
    const run = await runBench(['--pairs', String(PAIRS), '--json', jsonFile]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const figures = JSON.parse(readFileSync(jsonFile, 'utf8')) as Record<string, unknown>;

    expect(figures['pairs']).toBe(PAIRS);
    expect(figures['latencyMs']).toBe(10);
    for (const name of NUMBERS) {
      expect(typeof figures[name], name).toBe('number');
      expect(figures[name] as number, name).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(figures[name]), name).toBe(true);
    }
    const n = (name: string) => figures[name] as number;
    expect(n('readyP50Seconds')).toBeLessThanOrEqual(n('readyP95Seconds'));
    expect(n('peakRssMb')).toBeGreaterThan(0);
    expect(n('cpuSeconds')).toBeGreaterThan(0);

    // Every pair was created on Element, so the counters saw at least one mutation per pair.
    const calls = figures['callsByMethod'] as Record<string, number>;
    expect(Object.values(calls).every((count) => Number.isInteger(count) && count > 0)).toBe(true);
    expect(n('mutatingCallsPerPair')).toBeGreaterThanOrEqual(1);
    expect(calls['StartVolumePairing']).toBeGreaterThanOrEqual(PAIRS);
    expect(n('kubeWritesPerPair')).toBeGreaterThan(0);

    const targets = figures['targets'] as { name: string; status: string }[];
    expect(targets.map((t) => t.name)).toHaveLength(5);
    expect(targets.map((t) => t.name)).toContain('steady-state VolumePair status writes per poll');
    expect(targets.every((t) => ['met', 'missed', 'n/a'].includes(t.status))).toBe(true);
    expect(run.stdout).toMatch(/apply → all Ready\s+\d+(\.\d+)? s/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);
