// Runs the planner against a small model of two Element clusters, executing each step the way the
// shell would, and crashes the operator at every point of DESIGN §3 step 4: after the step ran on
// Element but before the status was written (also what a dropped response looks like), and inside
// startPairing between Start and storing the key. Every run must end in exactly one pair, no
// pending pair, no key Secret and no intent.
import { describe, expect, it } from 'vitest';
import { planClusterPair } from './plan.ts';
import { clusterA, clusterB, half, input, pending } from './plan-fixtures.ts';
import type { KeySecretView, ObservedClusterPair, ObservedClusterPairStatus, StepKind } from './plan-types.ts';

interface World {
  A: ObservedClusterPair[];
  B: ObservedClusterPair[];
  next: { A: number; B: number; uuid: number };
  status: ObservedClusterPairStatus;
  key?: KeySecretView;
  finalizer: boolean;
  deleting: boolean;
}

type Crash = { at: StepKind; point: 'afterStep' | 'midStep' } | undefined;

const newWorld = (): World => ({ A: [], B: [], next: { A: 10, B: 20, uuid: 1 }, status: {}, finalizer: false, deleting: false });

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** Applies one step to the model; returns false when the crash cut it short. */
function execute(world: World, step: ReturnType<typeof planClusterPair>['step'], mid: boolean): void {
  const remove = (side: 'A' | 'B', id: number) => {
    world[side] = world[side].filter((p) => p.clusterPairID !== id);
  };
  switch (step.kind) {
    case 'addFinalizer': world.finalizer = true; break;
    case 'dropFinalizer': world.finalizer = false; break;
    case 'startPairing': {
      const id = world.next.A++;
      const u = uuid(world.next.uuid++);
      world.A.push(pending(id, u));
      if (!mid) world.key = { clusterPairUUID: u, clusterPairIDOnA: id };
      break;
    }
    case 'completePairing': {
      const p = world.A.find((x) => x.clusterPairID === world.key?.clusterPairIDOnA);
      if (!p) throw new Error('complete without a pending pair');
      Object.assign(p, half(p.clusterPairID, step.clusterPairUUID, clusterB));
      world.B.push(half(world.next.B++, step.clusterPairUUID, clusterA));
      break;
    }
    case 'deleteKeySecret': world.key = undefined; break;
    case 'removePendingPair': case 'removeHalf': remove(step.side, step.clusterPairID); break;
    case 'removeBoth':
      if (step.clusterPairIDs.A !== undefined) remove('A', step.clusterPairIDs.A);
      if (!mid && step.clusterPairIDs.B !== undefined) remove('B', step.clusterPairIDs.B);
      break;
    case 'none': case 'writeIntent': case 'clearIntent': break;
  }
}

/** Reconciles until nothing is left to do; each crash fires once, at its first chance. */
function run(world: World, crash: Crash, stopBefore?: StepKind): { steps: StepKind[]; crashed: boolean } {
  const steps: StepKind[] = [];
  let crashed = false;
  for (let i = 0; i < 40; i += 1) {
    const base = input({ a: world.A, b: world.B }, world.key ? { keySecret: world.key } : {});
    const plan = planClusterPair({ ...base, pair: { ...base.pair, status: world.status, hasFinalizer: world.finalizer, deleting: world.deleting } });
    if (plan.step.kind === 'none' || plan.step.kind === stopBefore) return { steps, crashed };
    steps.push(plan.step.kind);
    const crashNow = !crashed && crash?.at === plan.step.kind;
    execute(world, plan.step, crashNow && crash?.point === 'midStep');
    if (crashNow) {
      crashed = true;
      continue; // the process died: the status of this reconcile is never written
    }
    const { observedGeneration: _g, conditions: _c, ...fields } = plan.status;
    world.status = fields;
    if (plan.step.kind === 'dropFinalizer') return { steps, crashed };
  }
  throw new Error(`no convergence: ${steps.join(' → ')}`);
}

function expectPairedCleanly(world: World): void {
  expect(world.A).toHaveLength(1);
  expect(world.B).toHaveLength(1);
  expect(world.A[0]?.clusterPairUUID).toBe(world.B[0]?.clusterPairUUID);
  expect(world.A.concat(world.B).some((p) => p.status === 'Unconfigured')).toBe(false);
  expect(world.key).toBeUndefined();
  expect(world.status.pairing).toBeUndefined();
  expect(world.status.clusterPairUUID).toBe(world.A[0]?.clusterPairUUID);
}

const pairingSteps: StepKind[] = ['addFinalizer', 'writeIntent', 'startPairing', 'completePairing', 'deleteKeySecret', 'clearIntent'];

describe('pairing converges from every crash point', () => {
  it('without a crash, in the designed order', () => {
    const world = newWorld();
    expect(run(world, undefined).steps).toEqual(pairingSteps);
    expectPairedCleanly(world);
  });

  it.each(pairingSteps)('crash right after %s (or its response dropped)', (at) => {
    const world = newWorld();
    expect(run(world, { at, point: 'afterStep' }).crashed).toBe(true);
    expectPairedCleanly(world);
  });

  it('crash inside startPairing, between Start and storing the key', () => {
    const world = newWorld();
    const { steps, crashed } = run(world, { at: 'startPairing', point: 'midStep' });
    expect(crashed).toBe(true);
    expect(steps).toContain('removePendingPair');
    expectPairedCleanly(world);
    expect(world.A[0]?.clusterPairID).toBe(11); // the first Start's pair 10 was removed
  });
});

describe('deletion converges from every crash point', () => {
  const pairedWorld = (): World => {
    const world = newWorld();
    run(world, undefined);
    world.deleting = true;
    return world;
  };

  it.each([
    [undefined],
    [{ at: 'removeBoth', point: 'afterStep' }],
    [{ at: 'removeBoth', point: 'midStep' }],
  ] as [Crash][])('crash %o', (crash) => {
    const world = pairedWorld();
    run(world, crash);
    expect(world.A).toEqual([]);
    expect(world.B).toEqual([]);
    expect(world.finalizer).toBe(false);
  });

  it('deleting in the middle of a pairing leaves nothing behind', () => {
    const world = newWorld();
    run(world, undefined, 'completePairing');
    expect(world.key).toBeDefined();
    world.deleting = true;
    run(world, undefined);
    expect(world.A).toEqual([]);
    expect(world.key).toBeUndefined();
    expect(world.finalizer).toBe(false);
  });
});
