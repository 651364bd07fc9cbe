// The element-sim CLI contract: one JSON line when ready, logs on stderr, clean exit on SIGTERM,
// bad flags named, and --state-dir surviving restarts (graceful and abrupt).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClusterEndpoint } from './admin-schema.ts';
import { SimulatorAdmin } from './admin-client.ts';
import { pairClusters, pairVolumes, createVolume, waitFor } from './testing/fixtures.ts';
import { RawRpc } from './testing/rpc.ts';
import { spawnSim } from './testing/spawn.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'element-sim-test-'));
  dirs.push(dir);
  return dir;
}

describe('flags', () => {
  it.each([
    [['--bogus'], /--bogus/],
    [['--latency-ms', 'abc'], /--latency-ms/],
    [['--clusters', 'PROD,PROD'], /--clusters/],
    [['--set', 'orphanedClusterPairStatus=Gone'], /orphanedClusterPairStatus/],
    [['--log-level', 'loud'], /--log-level/],
  ])('%j exits non-zero naming the flag', async (args, pattern) => {
    const { exited } = spawnSim(args);
    const { code, stdout, stderr } = await exited;
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(pattern);
  });
});

describe('lifecycle', () => {
  it('prints exactly one JSON line when ready and exits 0 on SIGTERM', async () => {
    const sim = spawnSim(['--clusters', 'PROD,DR', '--username', 'u', '--password', 'p', '--latency-ms', '1']);
    const ready = await sim.ready;
    expect(Object.keys(ready)).toEqual(['adminUrl', 'caFile', 'clusters']);
    const clusters = ready.clusters as ClusterEndpoint[];
    expect(clusters.map((c) => c.name)).toEqual(['PROD', 'DR']);
    for (const c of clusters) {
      expect(Object.keys(c)).toEqual(['name', 'mvip', 'url', 'username', 'password']);
      expect(c.mvip).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(c.url).toBe(`https://${c.mvip}/json-rpc/12.5`);
      expect([c.username, c.password]).toEqual(['u', 'p']);
    }
    const ca = readFileSync(ready.caFile as string, 'utf8');
    expect((await new RawRpc(clusters[0]!, ca).call('GetClusterInfo')).clusterInfo.name).toBe('PROD');
    sim.child.kill('SIGTERM');
    const { code, stdout, stderr } = await sim.exited;
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('simulator ready');
  });
});

describe('--state-dir', () => {
  const args = (dir: string) => ['--clusters', 'PROD,DR', '--state-dir', dir, '--resume-delay-ms', '100', '--connect-delay-ms', '50', '--log-level', 'warn'];

  it('keeps ports, CA, identities and all objects across a graceful restart', async () => {
    const dir = stateDir();
    const first = spawnSim(args(dir));
    const ready1 = await first.ready;
    const ca1 = readFileSync(ready1.caFile as string, 'utf8');
    const [p1, d1] = (ready1.clusters as ClusterEndpoint[]).map((c) => new RawRpc(c, ca1)) as [RawRpc, RawRpc];
    await pairClusters(p1, d1);
    const { src, dst } = await pairVolumes(p1, d1, 'keep');
    const pending = await p1.call('StartClusterPairing');
    const info1 = (await p1.call('GetClusterInfo')).clusterInfo;
    const paired1 = await p1.call('ListActivePairedVolumes');
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = spawnSim(args(dir));
    const ready2 = await second.ready;
    try {
      expect(ready2).toEqual(ready1);
      const ca2 = readFileSync(ready2.caFile as string, 'utf8');
      expect(ca2).toBe(ca1);
      const [p2, d2] = (ready2.clusters as ClusterEndpoint[]).map((c) => new RawRpc(c, ca2)) as [RawRpc, RawRpc];
      expect((await p2.call('GetClusterInfo')).clusterInfo).toEqual(info1);
      expect(await p2.call('ListActivePairedVolumes')).toEqual(paired1);
      const pairs = (await p2.call('ListClusterPairs')).clusterPairs;
      expect(pairs.map((p: { status: string }) => p.status)).toEqual(['Connected', 'Unconfigured']);
      expect(pairs[1].clusterPairID).toBe(pending.clusterPairID);
      expect((await d2.call('ListActivePairedVolumes')).volumes[0].volumePairs[0].remoteVolumeID).toBe(src);
      expect((await createVolume(d2, 'later')).volumeID).toBeGreaterThan(dst);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('writes changes soon after they happen, so even SIGKILL loses nothing once written', async () => {
    const dir = stateDir();
    const first = spawnSim(args(dir));
    const ready1 = await first.ready;
    const ca = readFileSync(ready1.caFile as string, 'utf8');
    const prod = new RawRpc((ready1.clusters as ClusterEndpoint[])[0]!, ca);
    await new SimulatorAdmin(ready1.adminUrl as string).cutLink('PROD', 'DR');
    const volume = await createVolume(prod, 'durable');
    await waitFor(async () => readFileSync(join(dir, 'state.json'), 'utf8'), (text) => text.includes('"durable"'), 'state written');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = spawnSim(args(dir));
    const ready2 = await second.ready;
    try {
      const again = new RawRpc((ready2.clusters as ClusterEndpoint[])[0]!, ca);
      expect((await again.call('ListVolumes', { volumeIDs: [volume.volumeID] })).volumes[0].name).toBe('durable');
      expect(await new SimulatorAdmin(ready2.adminUrl as string).cutLinks()).toEqual([['DR', 'PROD']]);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
