// kubectl-elementrepl's DR commands (issue 18) as a process against the run's control plane, the
// Element simulator and the VolumePair operator as a process: a whole-site switchover of 20 pairs
// with --cluster-pair --to B --wait (all Active on B, exit 0, two ModifyVolume per pair); the GitOps
// refusal (an Argo-owned pair is not patched, the change to commit is printed; --force patches);
// approve-resync on a pair made ResyncRequired (refused without a terminal or --yes, then approved
// with --yes and Active again); --wait stopping on a Stalled pair (exit 1); usage errors. Waits have generous deadlines; no speed is asserted.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { APPROVE_RESYNC_ANNOTATION } from '../src/api/index.ts';
import { CLUSTER_PAIRS, type ClusterPairObject } from './helpers/cluster-pair-env.ts';
import { kubeconfigPath } from './helpers/kube.ts';
import { NODE_BINARY, REPO_ROOT, killAllOperators } from './helpers/operator-process.ts';
import { mutatingCalls, newVolumes, startEnv, startOperator, volume, waitFor, type VolumePairEnv } from './helpers/volume-pair-env.ts';
import { cond, VOLUME_PAIRS, volumePairResources, type VolumePairResources, type VP } from './helpers/volume-pair-resources.ts';

const CLI = path.join(REPO_ROOT, 'bin', 'kubectl-elementrepl.mjs');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE_BINARY, [CLI, '--kubeconfig', kubeconfigPath(), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

type DrVP = VP & { metadata: VP['metadata'] & { generation?: number; annotations?: Record<string, string> }; status?: VP['status'] & { primarySide?: string; switchover?: unknown; incident?: { reason: string; side: string; id: number; token: string } } };

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
  const { items } = await env.kube.list<VP>(VOLUME_PAIRS, { namespace: env.namespace }).catch(() => ({ items: [] as VP[] }));
  for (const vp of items) await env.kube.mergePatch(VOLUME_PAIRS, vp.metadata.name, { metadata: { finalizers: null } }, { namespace: env.namespace }).catch(() => undefined);
  for (const vp of items) await env.kube.delete(VOLUME_PAIRS, vp.metadata.name, { namespace: env.namespace }).catch(() => undefined);
  await env?.close();
});

const get = (name: string) => env.kube.get<DrVP>(VOLUME_PAIRS, name, env.namespace);
const activeOn = (name: string, side: 'A' | 'B') =>
  waitFor(() => get(name), (vp) => vp?.status?.primarySide === side && cond(vp, 'Ready')?.reason === 'Active' && vp.status.switchover === undefined, `${name} Active on ${side}`, 120_000);

describe('kubectl-elementrepl switchover / failover / approve-resync', () => {
  it('bad usage: one line on stderr, exit 2, nothing patched', async () => {
    for (const args of [
      ['switchover', '--to', 'B'],
      ['switchover', 'x', '--cluster-pair', env.clusterPair, '--to', 'B'],
      ['failover', 'x'],
      ['switchover', 'x', '--to', 'C'],
      ['switchover', '--cluster-pair', env.clusterPair, '--to', 'B', '--wait', '--timeout', 'soon'],
      ['approve-resync'],
      ['approve-resync', 'a', 'b'],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stdout, args.join(' ')).toBe('');
    }
  });

  it('an Argo CD-owned pair is refused without --force (the change to commit printed, nothing patched); --force patches it', async () => {
    const [src, dst] = [(await newVolumes(env, 'PROD', 1)).ids[0]!, (await newVolumes(env, 'DR', 1)).ids[0]!];
    const manifest = r.manifest('argo-owned', { sideA: { volumeID: src }, sideB: { volumeID: dst } });
    const metadata = manifest.metadata as VP['metadata'] & { labels: Record<string, string>; annotations?: Record<string, string> };
    metadata.labels['app.kubernetes.io/instance'] = 'site-db';
    metadata.annotations = { 'argocd.argoproj.io/tracking-id': `site-db:elementrepl.io/VolumePair:${env.namespace}/argo-owned` };
    await env.kube.create(VOLUME_PAIRS, manifest);
    const before = await get('argo-owned');

    const refused = await cli(['switchover', 'argo-owned', '-n', env.namespace, '--to', 'B']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('managed by Argo CD (application site-db');
    const snippet = parseAllDocuments(refused.stdout).map((d) => d.toJS() as unknown);
    expect(snippet).toEqual([{ apiVersion: 'elementrepl.io/v1alpha1', kind: 'VolumePair', metadata: { name: 'argo-owned', namespace: env.namespace }, spec: { primarySide: 'B', failover: 'Planned' } }]);
    const after = await get('argo-owned');
    expect(after?.spec['primarySide']).toBe('A');
    expect(after?.metadata.generation).toBe(before?.metadata.generation);

    const forced = await cli(['failover', 'argo-owned', '-n', env.namespace, '--to', 'B', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('warning: ');
    expect((await get('argo-owned'))?.spec).toMatchObject({ primarySide: 'B', failover: 'Forced' });
  });

  it('approve-resync: no incident → exit 1; ResyncRequired → refused without a terminal or --yes (exit 2), approved with --yes, Active again', async () => {
    const { dst } = await r.pairedVP('resync');
    await activeOn('resync', 'A');

    const none = await cli(['approve-resync', 'resync', '-n', env.namespace, '--yes']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/has no resync to approve/);

    // Both volumes writable: the operator stalls the pair and names the non-primary volume.
    await env.element.DR.modifyVolume({ volumeID: dst, access: 'readWrite' });
    const stalled = await r.stalled('resync', 'ResyncRequired') as DrVP | null;
    const incident = stalled?.status?.incident;
    expect(incident).toMatchObject({ side: 'B', id: dst });

    const unattended = await cli(['approve-resync', 'resync', '-n', env.namespace]);
    expect(unattended.code).toBe(2);
    expect(unattended.stderr.trim().split('\n')).toHaveLength(1);
    expect(unattended.stderr).toContain('pass --yes');
    expect(unattended.stdout).toContain(`Will be overwritten: volume ${dst} on side B (ElementCluster ${env.ec.DR})`);
    expect((await get('resync'))?.metadata.annotations?.[APPROVE_RESYNC_ANNOTATION]).toBeUndefined();

    const approved = await cli(['approve-resync', 'resync', '-n', env.namespace, '--yes']);
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`volume ${dst} on side B`);
    expect((await get('resync'))?.metadata.annotations?.[APPROVE_RESYNC_ANNOTATION]).toBe(`B:${dst}:${incident?.token ?? ''}`);
    await activeOn('resync', 'A');
    expect((await volume(env, 'DR', dst))?.access).toBe('replicationTarget');
  }, 240_000);

  it('--wait stops on a pair that cannot switch (SnapshotsOnly: Stalled SwitchoverUnsafe): the reason in the table, exit 1', async () => {
    await r.pairedVP('snapshots-only', { mode: 'SnapshotsOnly' });
    await activeOn('snapshots-only', 'A');
    const result = await cli(['switchover', 'snapshots-only', '-n', env.namespace, '--to', 'B', '--wait', '--timeout', '2m']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/snapshots-only\s+A\s+stopped\s+SwitchoverUnsafe/);
    expect(result.stdout).toContain('0 on B, 1 stopped, 0 unfinished');
    expect(result.stderr).toMatch(/^error: 1 VolumePair\(s\) stopped/);
  });

  it('a whole site: 20 pairs of the ClusterPair switched with --cluster-pair --to B --wait → all Active on B, exit 0, 2 ModifyVolume per pair', async () => {
    // Clear the pairs of the tests above so the ClusterPair holds exactly the 20.
    for (const { metadata: { name } } of (await env.kube.list<VP>(VOLUME_PAIRS, { namespace: env.namespace })).items) {
      await env.kube.mergePatch(VOLUME_PAIRS, name, { metadata: { finalizers: null } }, { namespace: env.namespace }).catch(() => undefined);
      await env.kube.delete(VOLUME_PAIRS, name, { namespace: env.namespace }).catch(() => undefined);
    }
    const count = 20;
    const src = (await newVolumes(env, 'PROD', count)).ids;
    const dst = (await newVolumes(env, 'DR', count)).ids;
    const names = src.map((_, i) => `site-${String(i).padStart(2, '0')}`);
    await r.apply(names.map((name, i) => r.manifest(name, { sideA: { volumeID: src[i] }, sideB: { volumeID: dst[i] } })));
    for (const name of names) await activeOn(name, 'A');
    await waitFor(async () => (await env.kube.list(VOLUME_PAIRS, { namespace: env.namespace })).items.length, (n) => n === count, 'only the site pairs left');
    await env.sim.admin.resetCounters();

    const result = await cli(['switchover', '--cluster-pair', env.clusterPair, '--to', 'B', '--wait', '--timeout', '3m']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Not a terminal: plain progress lines, then the table and the summary.
    expect(result.stdout).toContain(`${env.namespace}/site-00: spec.primarySide=B failover=Planned`);
    expect(result.stdout).toContain(`${env.namespace}/site-19: done: Active on B`);
    expect(result.stdout).toMatch(/NAMESPACE\s+NAME\s+PRIMARY\s+RESULT\s+REASON/);
    expect(result.stdout.split('\n').filter((l) => /\ssite-\d\d\s+B\s+done\s+Active/.test(l))).toHaveLength(count);
    expect(result.stdout).toContain(`${count} on B, 0 stopped, 0 unfinished`);
    for (const name of names) expect((await get(name))?.status?.primarySide).toBe('B');
    const calls = await mutatingCalls(env);
    expect({ PROD: calls['PROD']?.['ModifyVolume'], DR: calls['DR']?.['ModifyVolume'] }).toEqual({ PROD: count, DR: count });

    // Again: every pair is already on B, nothing is patched.
    const again = await cli(['switchover', '--cluster-pair', env.clusterPair, '--to', 'B', '--wait']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${env.namespace}/site-07: already on B, not patched`);
    expect(again.stdout).not.toContain('spec.primarySide=B');
  }, 300_000);
});
