// kstatus through the real library (issue 15): the operator itself as a process against the
// Element simulator; live objects read from the API server are given to sigs.k8s.io/cli-utils'
// status.Compute (test/kstatus, built and cached by test/kstatus/build.sh), the code Flux's health
// checks run. Each test watches one object through its phases and checks, for every status the
// operator wrote, that the library's verdict is the reading src/api/kstatus.ts documents for that
// Ready reason; and that the phases that matter were seen: InProgress while working, Current when
// Ready, Failed when Stalled. The simulator stretches Connecting and the initial sync so that the
// in-progress phases last several polls. Waits have generous deadlines; speed is never asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_MVIPS_ANNOTATION, PAUSED_ANNOTATION } from '../src/api/annotations.ts';
import type { Kind } from '../src/api/group.ts';
import { kstatusReading, type KstatusReading } from '../src/api/kstatus.ts';
import type { KubeObject } from '../src/controller/object.ts';
import { SECRETS, type KubeClient, type ResourceType } from '../src/kube/client.ts';
import type { RunningSimulator } from '../src/simulator/simulator.ts';
import {
  CLUSTER_PAIRS, ELEMENT_CLUSTERS, operatorElementCluster, sleep, startOperatorProcess, startTestSimulator, suffix, testKubeClient,
} from './helpers/cluster-pair-env.ts';
import { createTestNamespace } from './helpers/kube.ts';
import { kstatusBinary, liveKstatus, type KstatusSnapshot, type KstatusStatus } from './helpers/kstatus.ts';
import type { OperatorProcess } from './helpers/operator-process.ts';
import { VOLUME_PAIRS } from './helpers/volume-pair-resources.ts';

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
type Obj = KubeObject & { status?: { observedGeneration?: number; conditions?: Condition[] } };
type Snapshot = KstatusSnapshot<Obj>;

/**
 * What the library says for a Ready condition, given our table's reading of its reason. Reconciling
 * and Stalled decide first. With neither, cli-utils v0.37.2 falls back to Ready (checkReadyCondition
 * in status.go): True is Current, False or Unknown is InProgress. So a reason our table reads as
 * Neither (Degraded, Drifted, Disconnected, ReconcilePaused, FailedOver: Ready=False, nothing in
 * progress, nothing stalled) is InProgress in the real library, as src/api/kstatus.ts and
 * docs/reference.md say.
 */
function libraryStatus(reading: KstatusReading, ready: Condition): KstatusStatus {
  if (reading === 'Reconciling' || reading === 'Neither') return 'InProgress';
  if (reading === 'Stalled') return 'Failed';
  return ready.status === 'True' ? 'Current' : 'InProgress';
}
const DEADLINE_MS = 90_000;

let kube: KubeClient;
let sim: RunningSimulator;
let op: OperatorProcess;
let operatorNs = '';
let appNs = '';
const run = suffix();
const ec = { PROD: `ec-ks-prod-${run}`, DR: `ec-ks-dr-${run}`, LOCKED: `ec-ks-locked-${run}`, SPARE: `ec-ks-spare-${run}` };
const cp = { pair: `cp-ks-${run}`, limited: `cp-ks-limited-${run}` };
const created: { resource: ResourceType; name: string; namespace?: string }[] = [];

const cond = (o: Obj | null | undefined, type: string) => o?.status?.conditions?.find((c) => c.type === type);
const endpoint = (name: string) => sim.clusters.find((c) => c.name === name) as RunningSimulator['clusters'][number];

async function create(resource: ResourceType, object: Obj): Promise<void> {
  await kube.create(resource, object);
  created.push({ resource, name: object.metadata.name, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}) });
}

/**
 * Reads the object (and the library's verdict on exactly what was read) until `done` holds; returns
 * every distinct version seen. Fails after a generous deadline with what was seen and the
 * operator's output.
 */
async function observe(resource: ResourceType, name: string, namespace: string | undefined, done: (s: Snapshot) => boolean, what: string): Promise<Snapshot[]> {
  const seen: Snapshot[] = [];
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const snap = await liveKstatus<Obj>(kube, resource, name, namespace);
    if (snap && snap.object.metadata.resourceVersion !== seen.at(-1)?.object.metadata.resourceVersion) seen.push(snap);
    if (snap && done(snap)) return seen;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${name}: ${what}; seen ${JSON.stringify(seen.map(summary))}\n${op.output().slice(-4_000)}`);
    }
    await sleep(250);
  }
}

function summary(s: Snapshot): string {
  const ready = cond(s.object, 'Ready');
  return `${ready ? `Ready=${ready.status}/${ready.reason}` : 'no Ready'} gen=${s.object.metadata.generation}/${s.object.status?.observedGeneration} → ${s.kstatus.status}`;
}

/**
 * The library agrees with our table (read through libraryStatus) on every version the operator had reconciled (observedGeneration
 * current). Versions before the first status write are left out: with no observedGeneration and no
 * conditions the library reads any custom resource as Current (see test/kstatus/README.md).
 */
function expectAgreement(kind: Kind, seen: Snapshot[]): void {
  const judged = seen.filter((s) => s.object.status?.observedGeneration === s.object.metadata.generation && cond(s.object, 'Ready'));
  expect(judged.length).toBeGreaterThan(0);
  for (const s of judged) {
    const ready = cond(s.object, 'Ready')!;
    const reading = kstatusReading(kind, ready as Parameters<typeof kstatusReading>[1]);
    expect({ reason: ready.reason, kstatus: s.kstatus.status }).toEqual({ reason: ready.reason, kstatus: libraryStatus(reading, ready) });
  }
}

const readyIs = (reason: string) => (s: Snapshot) => cond(s.object, 'Ready')?.reason === reason && s.object.status?.observedGeneration === s.object.metadata.generation;
const readyTrue = (s: Snapshot) => cond(s.object, 'Ready')?.status === 'True' && s.object.status?.observedGeneration === s.object.metadata.generation;

/** Versions whose Ready reason is one of `reasons` (the operator's own write, for this generation). */
const inPhase = (seen: Snapshot[], ...reasons: string[]) => seen.filter((s) => reasons.includes(cond(s.object, 'Ready')?.reason ?? '') && s.object.status?.observedGeneration === s.object.metadata.generation);

beforeAll(async () => {
  // First: a cold build takes a minute or two; from the cache it is instant.
  await kstatusBinary();
  kube = testKubeClient();
  operatorNs = await createTestNamespace('ksop');
  appNs = await createTestNamespace('ks');
  sim = await startTestSimulator(['PROD', 'DR', 'LOCKED', 'SPARE']);
  // Connecting after a cluster pairing, and the Resuming* phase of a new volume pair, each last
  // several operator polls (2 s), so that the in-progress phases are seen.
  await sim.admin.setBehaviour({ connectDelayMs: 8_000, resumeDelayMs: 12_000 });
  await operatorElementCluster(kube, sim, ec.DR, 'DR', operatorNs);
  // PROD's credentials Secret is created by the ElementCluster test (missing until then).
  await kube.create(SECRETS, { metadata: { name: `${ec.PROD}-ca`, namespace: operatorNs }, stringData: { 'ca.crt': sim.caPem } } as KubeObject);
  await create(ELEMENT_CLUSTERS, {
    metadata: { name: ec.PROD },
    spec: { mvip: endpoint('PROD').mvip, credentialsSecretRef: { name: `${ec.PROD}-admin` }, tls: { caSecretRef: { name: `${ec.PROD}-ca`, key: 'ca.crt' } } },
  } as Obj);
  created.push({ resource: ELEMENT_CLUSTERS, name: ec.DR });
  op = startOperatorProcess({ operatorNamespace: operatorNs });
});

afterAll(async () => {
  // The operator first, then the objects without their finalizers: nothing on Element matters
  // once the simulator stops, and the cluster-scoped kinds must not outlive this file.
  await op?.stop();
  for (const { resource, name, namespace } of created.reverse()) {
    await kube.mergePatch(resource, name, { metadata: { finalizers: null } }, { namespace }).catch(() => undefined);
    await kube.delete(resource, name, { namespace }).catch(() => undefined);
  }
  await sim?.stop();
});

/** PROD's admin credentials (idempotent), so that its ElementCluster can become Ready. */
async function prodCredentials(): Promise<void> {
  const secret = { metadata: { name: `${ec.PROD}-admin`, namespace: operatorNs, annotations: { [ALLOWED_MVIPS_ANNOTATION]: endpoint('PROD').mvip } }, stringData: { username: endpoint('PROD').username, password: endpoint('PROD').password } };
  await kube.create(SECRETS, secret as KubeObject).catch((error: unknown) => {
    if (!String(error).includes('409') && !String(error).includes('already exists')) throw error;
  });
}

describe('ElementCluster', () => {
  it('InProgress while its credentials Secret is missing, Current once it is there and Ready', async () => {
    const waiting = await observe(ELEMENT_CLUSTERS, ec.PROD, undefined, readyIs('SecretNotFound'), 'Ready=False SecretNotFound');
    expect(cond(waiting.at(-1)!.object, 'Reconciling')).toMatchObject({ status: 'True', reason: 'SecretNotFound' });
    expect(waiting.at(-1)!.kstatus.status).toBe('InProgress');

    await prodCredentials();
    const connecting = await observe(ELEMENT_CLUSTERS, ec.PROD, undefined, readyTrue, 'Ready');
    expect(connecting.at(-1)!.kstatus.status).toBe('Current');
    expectAgreement('ElementCluster', [...waiting, ...connecting]);
  });

  it('Failed when Stalled: a Secret that does not allow the MVIP (SecretNotAllowed)', async () => {
    const secret = `${ec.LOCKED}-admin`;
    await kube.create(SECRETS, { metadata: { name: secret, namespace: operatorNs, annotations: { [ALLOWED_MVIPS_ANNOTATION]: endpoint('PROD').mvip } }, stringData: { username: 'u', password: 'p' } } as KubeObject);
    await create(ELEMENT_CLUSTERS, { metadata: { name: ec.LOCKED }, spec: { mvip: endpoint('LOCKED').mvip, credentialsSecretRef: { name: secret } } } as Obj);
    const seen = await observe(ELEMENT_CLUSTERS, ec.LOCKED, undefined, readyIs('SecretNotAllowed'), 'Ready=False SecretNotAllowed');
    const last = seen.at(-1)!;
    expect(cond(last.object, 'Stalled')).toMatchObject({ status: 'True', reason: 'SecretNotAllowed' });
    expect(last.kstatus).toEqual({ status: 'Failed', message: cond(last.object, 'Stalled')!.message });
    expectAgreement('ElementCluster', seen);
  });
});

describe('ClusterPair', () => {
  it('InProgress while pairing and connecting, Current when Paired', async () => {
    await prodCredentials();
    await create(CLUSTER_PAIRS, { metadata: { name: cp.pair }, spec: { clusterARef: { name: ec.PROD }, clusterBRef: { name: ec.DR }, allowedNamespaces: [appNs] } } as Obj);
    const seen = await observe(CLUSTER_PAIRS, cp.pair, undefined, readyTrue, 'Ready (Paired)');
    expect(cond(seen.at(-1)!.object, 'Ready')?.reason).toBe('Paired');
    expect(seen.at(-1)!.kstatus.status).toBe('Current');
    // Connecting lasts 8 s in the simulator: the operator reports it, and the library reads it as work in progress.
    const working = inPhase(seen, 'Pairing', 'Connecting');
    expect(working.map((s) => cond(s.object, 'Ready')?.reason)).toContain('Connecting');
    for (const s of working) {
      expect(s.kstatus.status).toBe('InProgress');
      // Ready=False alone would read InProgress too (the library's fallback): Reconciling must say it.
      expect(cond(s.object, 'Reconciling')?.status).toBe('True');
    }
    expectAgreement('ClusterPair', seen);
  });

  it('Failed when Stalled: a cluster at its pair limit (PairLimitReached)', async () => {
    // DR already has the pair above; with a limit of one pair per cluster a second one cannot start.
    await operatorElementCluster(kube, sim, ec.SPARE, 'SPARE', operatorNs);
    created.push({ resource: ELEMENT_CLUSTERS, name: ec.SPARE });
    await observe(ELEMENT_CLUSTERS, ec.SPARE, undefined, readyTrue, 'Ready');
    await sim.admin.setBehaviour({ maxClusterPairs: 1 });
    try {
      await create(CLUSTER_PAIRS, { metadata: { name: cp.limited }, spec: { clusterARef: { name: ec.SPARE }, clusterBRef: { name: ec.DR } } } as Obj);
      const seen = await observe(CLUSTER_PAIRS, cp.limited, undefined, readyIs('PairLimitReached'), 'Ready=False PairLimitReached');
      const last = seen.at(-1)!;
      expect(cond(last.object, 'Stalled')).toMatchObject({ status: 'True', reason: 'PairLimitReached' });
      expect(last.kstatus).toEqual({ status: 'Failed', message: cond(last.object, 'Stalled')!.message });
      expectAgreement('ClusterPair', seen);
    } finally {
      await sim.admin.setBehaviour({ maxClusterPairs: 4 });
    }
  });
});

describe('VolumePair', () => {
  let volumes: { PROD: number[]; DR: number[] };

  beforeAll(async () => {
    // The pair of clusters from the ClusterPair tests (created here when those did not run).
    if (!created.some((c) => c.name === cp.pair)) {
      await prodCredentials();
      await create(CLUSTER_PAIRS, { metadata: { name: cp.pair }, spec: { clusterARef: { name: ec.PROD }, clusterBRef: { name: ec.DR }, allowedNamespaces: [appNs] } } as Obj);
    }
    await observe(CLUSTER_PAIRS, cp.pair, undefined, readyTrue, 'Ready (Paired)');
    volumes = {
      PROD: (await sim.admin.createVolumes('PROD', { count: 2, namePrefix: `ks${run}` })).volumeIDs,
      DR: (await sim.admin.createVolumes('DR', { count: 2, namePrefix: `ks${run}` })).volumeIDs,
    };
  });

  const volumePair = (name: string, src: number, dst: number): Obj =>
    ({ metadata: { name, namespace: appNs }, spec: { clusterPairRef: { name: cp.pair }, sideA: { volumeID: src }, sideB: { volumeID: dst } } }) as Obj;

  it('InProgress while pairing and during the initial sync, Current when Active', async () => {
    await create(VOLUME_PAIRS, volumePair('synced', volumes.PROD[0]!, volumes.DR[0]!));
    const seen = await observe(VOLUME_PAIRS, 'synced', appNs, readyTrue, 'Ready (Active)');
    expect(cond(seen.at(-1)!.object, 'Ready')?.reason).toBe('Active');
    expect(seen.at(-1)!.kstatus.status).toBe('Current');
    // The initial sync (Resuming*) lasts 12 s in the simulator: reported as Syncing, read as in progress.
    const working = inPhase(seen, 'Pairing', 'Syncing', 'ClusterPairNotReady');
    expect(working.map((s) => cond(s.object, 'Ready')?.reason)).toContain('Syncing');
    for (const s of working) {
      expect(s.kstatus.status).toBe('InProgress');
      expect(cond(s.object, 'Reconciling')?.status).toBe('True');
    }
    expectAgreement('VolumePair', seen);
  });

  it('Failed when Stalled: a target volume that is in use (TargetInUse)', async () => {
    const [src, dst] = [volumes.PROD[1]!, volumes.DR[1]!];
    await sim.admin.simulateIo('DR', dst);
    await create(VOLUME_PAIRS, volumePair('used-target', src, dst));
    const seen = await observe(VOLUME_PAIRS, 'used-target', appNs, readyIs('TargetInUse'), 'Ready=False TargetInUse');
    const last = seen.at(-1)!;
    expect(cond(last.object, 'Stalled')).toMatchObject({ status: 'True', reason: 'TargetInUse' });
    expect(last.kstatus).toEqual({ status: 'Failed', message: cond(last.object, 'Stalled')!.message });
    expectAgreement('VolumePair', seen);
  });

  it('paused (neither Reconciling nor Stalled, Ready=False ReconcilePaused): InProgress, because the library falls back to Ready', async () => {
    await kube.mergePatch(VOLUME_PAIRS, 'synced', { metadata: { annotations: { [PAUSED_ANNOTATION]: 'true' } } }, { namespace: appNs });
    const seen = await observe(VOLUME_PAIRS, 'synced', appNs, readyIs('ReconcilePaused'), 'Ready=False ReconcilePaused');
    const last = seen.at(-1)!;
    expect(cond(last.object, 'Reconciling')).toMatchObject({ status: 'False', reason: 'ReconcilePaused' });
    expect(cond(last.object, 'Stalled')).toMatchObject({ status: 'False', reason: 'ReconcilePaused' });
    // Our table says Neither (not Ready, nothing in progress, nothing stalled); the real library reads its Ready=False as InProgress.
    expect(kstatusReading('VolumePair', cond(last.object, 'Ready') as Parameters<typeof kstatusReading>[1])).toBe('Neither');
    expect(last.kstatus).toEqual({ status: 'InProgress', message: cond(last.object, 'Ready')!.message });
    expectAgreement('VolumePair', seen);
  });
});
