// Direction changes (DESIGN §8, element-api.md §3.4 "Reversal / failover"): access history, iSCSI
// sessions ended by a demotion, both targets → PausedMisconfigured, resuming in the new direction
// with the same volumePairUUID, and simulated data following the direction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from './simulator.ts';
import { RawRpc as Rpc } from './testing/rpc.ts';
import { getVolume, pairClusters, pairState, pairVolumes, startTestSim, waitForPairState } from './testing/fixtures.ts';
import type { TestSim } from './testing/fixtures.ts';
import type { RawRpc } from './testing/rpc.ts';

let t: TestSim;
let prod: RawRpc, dr: RawRpc;

beforeAll(async () => {
  t = await startTestSim({ clusters: ['PROD', 'DR'] });
  [prod, dr] = [t.rpc.PROD!, t.rpc.DR!];
});
afterAll(() => t.stop());
beforeEach(async () => {
  await t.sim.admin.reset();
  await pairClusters(prod, dr);
});

const access = (rpc: RawRpc, volumeID: number, to: string) => rpc.call('ModifyVolume', { volumeID, access: to });

describe('planned switchover', () => {
  it('demote, both targets PausedMisconfigured, promote: Active in the new direction, same pair, data follows', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'sw');
    const uuid = (await getVolume(prod, src)).volumePairs[0].volumePairUUID;
    const first = await t.sim.admin.write('PROD', src);
    expect(first).toMatchObject({ written: true, dataVersion: `PROD/${src}/1` });
    expect((await t.sim.admin.volumeReplication('DR', dst)).dataVersion).toBe(`PROD/${src}/1`);

    await access(prod, src, 'replicationTarget');
    expect([await pairState(prod, src), await pairState(dr, dst)]).toEqual(['PausedMisconfigured', 'PausedMisconfigured']);
    await access(dr, dst, 'readWrite');
    await waitForPairState(dr, dst, 'Active');
    await waitForPairState(prod, src, 'Active');
    expect((await getVolume(dr, dst)).volumePairs[0].volumePairUUID).toBe(uuid);
    expect((await getVolume(prod, src)).volumePairs[0].volumePairUUID).toBe(uuid);

    // The old target kept what was synced before the flip, and new writes arrive on the old primary.
    expect((await t.sim.admin.volumeReplication('DR', dst)).dataVersion).toBe(`PROD/${src}/1`);
    const second = await t.sim.admin.write('DR', dst);
    expect(second.dataVersion).toBe(`DR/${dst}/1`);
    expect((await t.sim.admin.volumeReplication('PROD', src)).dataVersion).toBe(`DR/${dst}/1`);
    // A target takes no writes.
    expect(await t.sim.admin.write('PROD', src)).toMatchObject({ written: false, dataVersion: `DR/${dst}/1` });
  });

  it('records every access change in order with cluster, volume, old and new access', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'hist');
    await access(prod, src, 'replicationTarget');
    await access(dr, dst, 'readWrite');
    await access(dr, dst, 'readWrite'); // no change, not recorded
    const all = await t.sim.admin.accessChanges();
    expect(all.map((c) => [c.cluster, c.volumeID, c.from, c.to])).toEqual([
      ['DR', dst, 'readWrite', 'replicationTarget'],
      ['PROD', src, 'readWrite', 'replicationTarget'],
      ['DR', dst, 'replicationTarget', 'readWrite'],
    ]);
    expect(all.map((c) => c.seq)).toEqual([...all.map((c) => c.seq)].sort((a, b) => a - b));
    expect(Date.parse(all[0]!.time)).not.toBeNaN();
    expect((await t.sim.admin.accessChanges({ cluster: 'PROD' })).map((c) => c.volumeID)).toEqual([src]);
    expect(await t.sim.admin.accessChanges({ cluster: 'DR', volumeID: dst })).toHaveLength(2);
    await t.sim.admin.reset();
    expect(await t.sim.admin.accessChanges()).toEqual([]);
  });

  it('a demotion ends the iSCSI session opened by I/O and counts it; a volume without I/O ends none', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'sess');
    await t.sim.admin.write('PROD', src);
    expect((await t.sim.admin.volumeReplication('PROD', src)).sessionOpen).toBe(true);
    await access(prod, src, 'replicationTarget');
    await access(dr, dst, 'readWrite');
    await access(dr, dst, 'replicationTarget');
    expect(await t.sim.admin.volumeReplication('PROD', src)).toMatchObject({ sessionOpen: false, sessionsEnded: 1 });
    expect((await t.sim.admin.volumeReplication('DR', dst)).sessionsEnded).toBe(0);
    const changes = await t.sim.admin.accessChanges({ cluster: 'PROD', volumeID: src });
    expect(changes.map((c) => c.sessionsEnded)).toEqual([1]);
  });
});

describe('other direction states', () => {
  it('two readWrite volumes read PausedMisconfigured on both sides', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'two');
    await access(dr, dst, 'readWrite');
    expect([await pairState(prod, src), await pairState(dr, dst)]).toEqual(['PausedMisconfigured', 'PausedMisconfigured']);
  });

  it('a forced failover with the link cut: the promoted side keeps the data synced before the cut', async () => {
    const { src, dst } = await pairVolumes(prod, dr, 'forced');
    await t.sim.admin.write('PROD', src);
    await t.sim.admin.cutLink('PROD', 'DR');
    await t.sim.admin.write('PROD', src); // never replicated
    await access(dr, dst, 'readWrite');
    expect((await t.sim.admin.volumeReplication('DR', dst)).dataVersion).toBe(`PROD/${src}/1`);
    expect(await pairState(dr, dst)).toBe('PausedDisconnected');
  });
});

describe('persistence', () => {
  it('--state-dir keeps the access history and the simulated data across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-direction-'));
    try {
      const first = await startSimulator({ clusters: ['EAST'], stateDir: dir });
      const { volumeIDs } = await first.admin.createVolumes('EAST', { count: 1 });
      const id = volumeIDs[0]!;
      await first.admin.write('EAST', id);
      await new Rpc(first.clusters[0]!, first.caPem).call('ModifyVolume', { volumeID: id, access: 'replicationTarget' });
      await first.stop();
      // A fresh admin port: fetch's pool may still hold a connection to the old one.
      const second = await startSimulator({ stateDir: dir, adminPort: 0 });
      try {
        expect((await second.admin.accessChanges()).map((c) => [c.cluster, c.volumeID, c.from, c.to, c.sessionsEnded])).toEqual([
          ['EAST', id, 'readWrite', 'replicationTarget', 1],
        ]);
        expect(await second.admin.volumeReplication('EAST', id)).toMatchObject({ dataVersion: `EAST/${id}/1`, sessionsEnded: 1 });
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
