// The operator under each setting of the simulator switches for what the Element documentation
// leaves open ([U] in src/simulator/README.md), with the operator as a process (issue 16, item 12):
// whichever way Element behaves, pairs converge and nothing is left behind. The switches are set
// both ways; no behaviour of Element is asserted as a fact.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_PAIRS, sleep, type ClusterPairObject } from './helpers/cluster-pair-env.ts';
import { killAllOperators } from './helpers/operator-process.ts';
import { keySecrets, newVolumes, pendingPairs, POLL_MS, RUN_LABEL, startEnv, startOperator, waitFor, type VolumePairEnv } from './helpers/volume-pair-env.ts';
import { cond, VOLUME_PAIRS, volumePairResources, type VolumePairResources } from './helpers/volume-pair-resources.ts';

let env: VolumePairEnv;
let r: VolumePairResources;

beforeAll(async () => {
  env = await startEnv();
  r = volumePairResources(env);
  startOperator(env);
  await waitFor(() => env.kube.get<ClusterPairObject>(CLUSTER_PAIRS, env.clusterPair), (cp) => cond(cp, 'Ready')?.status === 'True', 'ClusterPair Ready');
});

afterAll(async () => {
  await killAllOperators();
  await env?.close();
});

afterEach(async () => {
  const { items } = await env.kube.list(VOLUME_PAIRS, { labelSelector: `${RUN_LABEL}=${env.run}` });
  for (const vp of items) await env.kube.delete(VOLUME_PAIRS, vp.metadata.name, { namespace: vp.metadata.namespace });
  await waitFor(async () => (await env.kube.list(VOLUME_PAIRS, { labelSelector: `${RUN_LABEL}=${env.run}` })).items.length, (n) => n === 0, 'VolumePairs deleted');
  await env.sim.admin.setBehaviour({ modifyVolumePairOnTarget: 'accept', listVolumesMissingID: 'empty', pendingVolumePairsCountAsPaired: true });
});

/** Pairs, pauses, changes mode, resumes and deletes one VolumePair; every step must converge. */
async function lifecycle(name: string): Promise<void> {
  const { src, dst } = await r.pairedVP(name);
  await env.kube.mergePatch(VOLUME_PAIRS, name, { spec: { paused: true, mode: 'Sync' } }, { namespace: env.namespace });
  await r.until(name, 'paused in Sync', (vp) => cond(vp, 'Ready')?.reason === 'Paused' && (vp?.status as { mode?: string } | undefined)?.mode === 'Sync');
  await env.kube.mergePatch(VOLUME_PAIRS, name, { spec: { paused: false } }, { namespace: env.namespace });
  await r.until(name, 'Active again', (vp) => cond(vp, 'Ready')?.reason === 'Active');
  await env.kube.delete(VOLUME_PAIRS, name, { namespace: env.namespace });
  await waitFor(() => r.get(name), (vp) => vp === null, `${name} deleted`);
  expect(await r.unpaired('PROD', src)).toBe(true);
  expect(await r.unpaired('DR', dst)).toBe(true);
  expect(await pendingPairs(env)).toEqual([]);
  expect(await keySecrets(env)).toEqual([]);
}

describe.each([['accept'], ['reject']] as const)('modifyVolumePairOnTarget: %s', (setting) => {
  it('pairs, pauses, changes mode, resumes and deletes (every ModifyVolumePair goes to the source)', async () => {
    await env.sim.admin.setBehaviour({ modifyVolumePairOnTarget: setting });
    await lifecycle(`mvp-target-${setting}`);
  });
});

describe.each([['empty'], ['error']] as const)('listVolumesMissingID: %s', (setting) => {
  it('a missing volume is reported as InvalidSpec with nothing paired; existing volumes pair and delete as usual', async () => {
    await env.sim.admin.setBehaviour({ listVolumesMissingID: setting });
    const src = (await newVolumes(env, 'PROD', 1)).ids[0]!;
    await r.create(`missing-${setting}`, { sideA: { volumeID: src }, sideB: { volumeID: 999_999 } });
    const stalled = await r.stalled(`missing-${setting}`, 'InvalidSpec');
    expect(cond(stalled, 'Stalled')?.message).toContain('999999 does not exist');
    expect(await r.unpaired('PROD', src)).toBe(true);

    // An existing volume on the same cluster still pairs under this setting.
    await lifecycle(`present-${setting}`);
    expect(await pendingPairs(env)).toEqual([]);
  });
});

describe.each([[true], [false]] as const)('pendingVolumePairsCountAsPaired: %s', (setting) => {
  it('a pairing that stops after StartVolumePairing (pending pair) is completed, and the VolumePair deletes cleanly', async () => {
    await env.sim.admin.setBehaviour({ pendingVolumePairsCountAsPaired: setting });
    // Complete is refused once: the pending pair made by Start stays while the operator retries.
    await env.sim.admin.injectError({ cluster: 'DR', method: 'CompleteVolumePairing', name: 'xDBConnectionLoss', count: 1 });
    await lifecycle(`pending-${String(setting)}`);
    await sleep(POLL_MS);
  });
});
