// `npm run demo` end to end: the demo runs as a process with its own control plane (the binaries
// are cached, so that start takes seconds), its own simulator and the operator, and must leave no
// process behind. Plus the templating of deploy/samples/, checked against the API's schemas.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ClusterPair, ElementCluster, VolumePair } from '../src/api/index.ts';
import { templateSamples } from '../scripts/lib/samples.ts';
import { NODE, REPO_ROOT } from '../scripts/lib/simulator.ts';
import { DEMO_PAIRS, type CreatedPair } from '../scripts/lib/volumes.ts';

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDemo(args: string[]): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ['scripts/demo.ts', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The run dirs and pids the demo reported. */
function reported(run: DemoRun) {
  const output = run.stdout + run.stderr;
  const runDir = /^\[demo\] run dir (\S+)$/m.exec(output)?.[1];
  const planeRunDir = /^\[demo\] control plane: run dir (\S+)$/m.exec(output)?.[1];
  const pids = Object.fromEntries(
    (/^\[demo\] processes: (.+)$/m.exec(output)?.[1] ?? '').split(' ').filter(Boolean).map((pair) => {
      const [name, pid] = pair.split('=');
      return [name, Number(pid)];
    }),
  ) as Record<string, number>;
  return { runDir, planeRunDir, pids };
}

function commandLine(pid: string | number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Processes whose command line names one of the run dirs (every child of the demo does). */
function survivors(dirs: string[]): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => ({ pid, cmd: commandLine(pid) }))
    .filter(({ cmd }) => dirs.some((dir) => cmd.includes(dir)))
    .map(({ pid, cmd }) => `${pid}: ${cmd}`);
}

function expectNothingLeft(run: DemoRun, expectedChildren: string[]): void {
  const { runDir, planeRunDir, pids } = reported(run);
  expect(runDir, run.stderr).toBeDefined();
  expect(planeRunDir, run.stderr).toBeDefined();
  expect(Object.keys(pids).sort()).toEqual([...expectedChildren].sort());
  const dirs = [runDir!, planeRunDir!];
  expect(survivors(dirs)).toEqual([]);
  // A recorded pid may only live on as some unrelated process that reused the number.
  for (const [name, pid] of Object.entries(pids)) {
    expect(dirs.some((dir) => commandLine(pid).includes(dir)), `${name} (pid ${pid}) is still running`).toBe(false);
  }
}

describe('templating deploy/samples/', () => {
  const endpoint = (name: string, port: number) => ({ name, mvip: `127.0.0.1:${port}`, url: '', username: 'admin', password: `secret-${name}` });
  const created: CreatedPair[] = DEMO_PAIRS.map((pair, i) => ({
    ...pair,
    source: { volumeID: 10 + i, volumeName: pair.sourceVolume, accountID: 3 },
    target: { volumeID: 100 + i, volumeName: pair.targetVolume, accountID: 4 },
  }));
  const manifests = templateSamples({
    samplesDir: path.join(REPO_ROOT, 'deploy/samples'),
    operatorNamespace: 'elementrepl-system',
    volumePairNamespace: 'default',
    clusters: { A: endpoint('DC1', 1001), B: endpoint('DC2', 1002) },
    caPem: '-----BEGIN CERTIFICATE-----\nsim\n-----END CERTIFICATE-----\n',
    pairs: created,
  });
  const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);

  test('points the ElementClusters at the simulator, trusting its CA through a Secret', () => {
    const clusters = ofKind('ElementCluster').map((m) => ElementCluster.parse(m));
    expect(clusters.map((c) => [c.metadata.name, c.spec.mvip])).toEqual([['dc1', '127.0.0.1:1001'], ['dc2', '127.0.0.1:1002']]);
    for (const cluster of clusters) {
      expect(cluster.spec.tls).toEqual({ caSecretRef: { name: `${cluster.metadata.name}-ca`, namespace: 'elementrepl-system', key: 'ca.crt' }, insecureSkipVerify: false });
      const ca = ofKind('Secret').find((s) => s.metadata.name === `${cluster.metadata.name}-ca`);
      expect(ca?.['stringData']).toEqual({ 'ca.crt': expect.stringContaining('BEGIN CERTIFICATE') });
    }
    expect(JSON.stringify(manifests)).not.toMatch(/10\.0\.\d+\.10|REPLACE-ME/);
  });

  test('fills the credentials Secrets the ElementClusters reference', () => {
    const admin = ofKind('Secret').filter((s) => s.metadata.name.endsWith('-admin'));
    expect(admin.map((s) => [s.metadata.namespace, s.metadata.name, s['stringData']])).toEqual([
      ['elementrepl-system', 'dc1-admin', { username: 'admin', password: 'secret-DC1' }],
      ['elementrepl-system', 'dc2-admin', { username: 'admin', password: 'secret-DC2' }],
    ]);
    // The credentials may be sent to the simulated cluster only (elementrepl.io/allowed-mvips).
    expect(admin.map((s) => (s.metadata['annotations'] as Record<string, string> | undefined)?.['elementrepl.io/allowed-mvips'])).toEqual(['127.0.0.1:1001', '127.0.0.1:1002']);
  });

  test('selects the created volumes by ID and by name, keeping the other fields of the samples', () => {
    expect(ofKind('ClusterPair').map((m) => ClusterPair.parse(m).metadata.name)).toEqual(['dc1-dc2']);
    const pairs = ofKind('VolumePair').map((m) => VolumePair.parse(m));
    expect(pairs.map((p) => [p.metadata.namespace, p.metadata.name, p.spec.sideA, p.spec.sideB, p.spec.mode])).toEqual([
      ['default', 'test', { volumeID: 10 }, { volumeID: 100 }, 'Async'],
      ['default', 'web', { volumeID: 11 }, { volumeID: 101 }, 'Sync'],
      ['default', 'db-data', { volumeName: 'db-data', accountID: 3 }, { volumeName: 'db-data-replica', accountID: 4 }, 'SnapshotsOnly'],
      ['default', 'db-logs', { volumeName: 'db-logs', accountID: 3 }, { volumeName: 'db-logs-replica', accountID: 4 }, 'Async'],
    ]);
    expect(pairs.every((p) => p.spec.clusterPairRef.name === 'dc1-dc2' && p.spec.targetPolicy === 'RequireUnused')).toBe(true);
  });
});

describe('npm run demo', () => {
  test('--exit-when-ready: everything becomes Ready, the kubeconfig is printed, and nothing is left running', async () => {
    const run = await runDemo(['--exit-when-ready']);
    const { runDir } = reported(run);
    try {
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/^export KUBECONFIG=\/\S+\/kubeconfig$/m);
      expect(run.stderr).toContain(`all ${3 + DEMO_PAIRS.length} resources (ElementCluster, ClusterPair, VolumePair) are Ready`);
      expectNothingLeft(run, ['etcd', 'kube-apiserver', 'element-sim', 'operator']);
    } finally {
      if (runDir) rmSync(runDir, { recursive: true, force: true }); // kept for its logs when the run failed
    }
  }, 420_000);

  test('an operator that exits is reported with the tail of its log, and everything is stopped', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'demo-test-'));
    const entry = path.join(dir, 'failing-operator.mjs');
    writeFileSync(entry, "console.error('cannot reach the moon: flags were', process.argv.slice(2).join(' '));\nprocess.exit(3);\n");
    const run = await runDemo(['--exit-when-ready', '--operator-entry', entry]);
    const { runDir } = reported(run);
    try {
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/operator exited \(status 3\)/);
      expect(run.stderr).toMatch(/cannot reach the moon: flags were --kubeconfig \S+ --operator-namespace elementrepl-system --metrics-bind-address 127\.0\.0\.1:0/);
      expect(run.stderr).toContain(`logs kept in ${runDir}`);
      expect(run.stdout).not.toMatch(/export KUBECONFIG=/);
      expectNothingLeft(run, ['etcd', 'kube-apiserver', 'element-sim', 'operator']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (runDir) rmSync(runDir, { recursive: true, force: true });
    }
  }, 300_000);
});
