// Volume growth (DESIGN §9, issue 15) with the operator as a process against a real API server and
// the simulator: a source grown the way Trident grows it (ModifyVolume totalSize on the source
// only) pauses the pair (PausedVolumeSizeMismatch); with targetSizePolicy Grow the operator grows
// the target once and the pair is Active again, whether Element resumes by itself after the target
// grows or needs a resume (the simulator switch resumeAfterTargetGrows, [U]); Manual only reports.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_PAIRS, sleep, type ClusterPairObject } from './helpers/cluster-pair-env.ts';
import { killAllOperators, type OperatorProcess } from './helpers/operator-process.ts';
import { POLL_MS, RUN_LABEL, startEnv, startOperator, volume, waitFor, type VolumePairEnv } from './helpers/volume-pair-env.ts';
import { cond, VOLUME_PAIRS, volumePairResources, type VP, type VolumePairResources } from './helpers/volume-pair-resources.ts';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
/** Not a whole MiB: Element rounds it up (element-api.md §3.5a). */
const GROWN = 2 * GIB + 1;
const GROWN_ON_ELEMENT = 2 * GIB + MIB;

interface SizedVP extends VP {
  status?: VP['status'] & { sideA?: { totalSize?: number }; sideB?: { totalSize?: number }; replicationState?: string };
}

let env: VolumePairEnv;
let r: VolumePairResources;
let operator: OperatorProcess;

beforeAll(async () => {
  env = await startEnv();
  r = volumePairResources(env);
  operator = startOperator(env);
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
  await env.sim.admin.setBehaviour({ resumeAfterTargetGrows: 'manual' });
});

const get = (name: string) => env.kube.get<SizedVP>(VOLUME_PAIRS, name, env.namespace);

/** Calls of `method` on `cluster` since the last counter reset. */
async function calls(cluster: 'PROD' | 'DR', method: string): Promise<number> {
  return (await env.sim.admin.counters())[cluster]?.[method] ?? 0;
}

/** Events the operator recorded about target volume `dst` (the test runner logs each Event as a JSON line). */
function eventsAbout(dst: number): { reason: string; type: string; note: string }[] {
  return operator
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"event"'))
    .map((line) => JSON.parse(line) as { reason: string; type: string; note: string })
    .filter((e) => e.note.includes(`volume ${dst} `));
}

/** Grows the source the way Trident does: ModifyVolume totalSize on the source cluster only. */
async function growSource(src: number): Promise<void> {
  await env.element.PROD.modifyVolume({ volumeID: src, totalSize: GROWN });
}

describe.each([['manual'], ['auto']] as const)('targetSizePolicy Grow, resumeAfterTargetGrows: %s', (setting) => {
  it('a grown source → the target is grown once (TargetGrown) → Active again, sizes in status', async () => {
    await env.sim.admin.setBehaviour({ resumeAfterTargetGrows: setting });
    const name = `grow-${setting}`;
    const { src, dst } = await r.pairedVP(name);
    expect((await get(name))?.status?.sideB?.totalSize).toBe(GIB);
    await env.sim.admin.resetCounters();

    await growSource(src);
    const vp = await waitFor(() => get(name), (v) =>
      v?.status?.sideA?.totalSize === GROWN_ON_ELEMENT && v.status.sideB?.totalSize === GROWN_ON_ELEMENT && cond(v, 'Ready')?.reason === 'Active',
    `${name}: target grown and Active again`);
    expect(cond(vp, 'Degraded')?.status).toBe('False');
    expect((await volume(env, 'DR', dst))?.totalSize).toBe(GROWN_ON_ELEMENT);
    await waitFor(() => r.linked(src, dst), (uuid) => uuid !== undefined, `${name}: Active on Element`);

    // A few more polls: nothing else is sent for this growth.
    await sleep(2 * POLL_MS);
    expect(await calls('DR', 'ModifyVolume')).toBe(1);
    // The resume is needed (and sent, on the source) only when Element stays paused.
    expect(await calls('PROD', 'ModifyVolumePair')).toBe(setting === 'manual' ? 1 : 0);
    expect(await calls('DR', 'ModifyVolumePair')).toBe(0);
    const events = eventsAbout(dst);
    const grown = events.filter((e) => e.reason === 'TargetGrown');
    expect(grown).toHaveLength(1);
    expect(grown[0]).toMatchObject({ type: 'Normal' });
    expect(grown[0]?.note).toContain(`${GIB}`);
    expect(grown[0]?.note).toContain(`${GROWN_ON_ELEMENT}`);
    expect(events.some((e) => e.type === 'Warning')).toBe(false);
  });
});

describe('targetSizePolicy Manual', () => {
  it('only reports (Degraded PausedVolumeSizeMismatch with both sizes, no ModifyVolume on the target); once a person grows the target, the pair resumes', async () => {
    const name = 'grow-manual-policy';
    const { src, dst } = await r.pairedVP(name, { targetSizePolicy: 'Manual' });
    await env.sim.admin.resetCounters();

    await growSource(src);
    const vp = await waitFor(() => get(name), (v) => cond(v, 'Degraded')?.status === 'True', `${name}: Degraded`);
    expect(cond(vp, 'Degraded')?.reason).toBe('PausedVolumeSizeMismatch');
    expect(cond(vp, 'Degraded')?.message).toContain(`${GROWN_ON_ELEMENT} bytes`);
    expect(cond(vp, 'Degraded')?.message).toContain(`${GIB} bytes`);
    expect(cond(vp, 'Ready')).toMatchObject({ status: 'False', reason: 'Degraded' });
    expect(vp?.status?.sideA?.totalSize).toBe(GROWN_ON_ELEMENT);
    expect(vp?.status?.sideB?.totalSize).toBe(GIB);

    await sleep(2 * POLL_MS);
    expect(await calls('DR', 'ModifyVolume')).toBe(0);
    expect(await calls('PROD', 'ModifyVolumePair')).toBe(0);
    expect((await volume(env, 'DR', dst))?.totalSize).toBe(GIB);
    expect((await get(name))?.status?.replicationState).toBe('PausedVolumeSizeMismatch');

    // A person grows the target; Element (resumeAfterTargetGrows: manual) stays paused until resumed.
    await env.element.DR.modifyVolume({ volumeID: dst, totalSize: GROWN_ON_ELEMENT });
    await r.until(name, 'Active again', (v) => cond(v, 'Ready')?.reason === 'Active');
    expect(await calls('DR', 'ModifyVolume')).toBe(1);
    expect(await calls('PROD', 'ModifyVolumePair')).toBe(1);
  });
});

describe.each([['manual'], ['auto']] as const)('a requested pause stays, resumeAfterTargetGrows: %s', (setting) => {
  it('the target is grown but the paused pair is not resumed until paused: false', async () => {
    await env.sim.admin.setBehaviour({ resumeAfterTargetGrows: setting });
    const name = `grow-paused-${setting}`;
    const { src, dst } = await r.pairedVP(name);
    await env.kube.mergePatch(VOLUME_PAIRS, name, { spec: { paused: true } }, { namespace: env.namespace });
    await r.until(name, 'paused as requested', (v) => cond(v, 'Ready')?.reason === 'Paused');
    await env.sim.admin.resetCounters();

    await growSource(src);
    await waitFor(() => get(name), (v) => v?.status?.sideB?.totalSize === GROWN_ON_ELEMENT && cond(v, 'Ready')?.reason === 'Paused', `${name}: target grown, still paused`);
    await sleep(2 * POLL_MS);
    expect(cond(await get(name), 'Ready')).toMatchObject({ status: 'True', reason: 'Paused' });
    expect(await calls('DR', 'ModifyVolume')).toBe(1);
    expect(await calls('PROD', 'ModifyVolumePair')).toBe(0);
    const state = (await volume(env, 'PROD', src))?.volumePairs[0]?.remoteReplication?.state;
    expect(['PausedManual', 'PausedVolumeSizeMismatch']).toContain(state);

    await env.kube.mergePatch(VOLUME_PAIRS, name, { spec: { paused: false } }, { namespace: env.namespace });
    await r.until(name, 'Active again', (v) => cond(v, 'Ready')?.reason === 'Active');
    await waitFor(() => r.linked(src, dst), (uuid) => uuid !== undefined, `${name}: Active on Element`);
    expect(await calls('DR', 'ModifyVolume')).toBe(1);
  });
});
