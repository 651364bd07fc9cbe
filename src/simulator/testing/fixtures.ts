// Shared helpers for simulator tests: a running simulator with short delays, raw clients for its
// clusters, generous polling, and the common pairing sequences.
import { Agent } from 'node:https';
import { startSimulator } from '../simulator.ts';
import type { RunningSimulator, SimulatorOptions } from '../simulator.ts';
import { RawRpc } from './rpc.ts';

export interface TestSim {
  sim: RunningSimulator;
  rpc: Record<string, RawRpc>;
  stop(): Promise<void>;
}

/**
 * Starts a simulator with short delays. `keepAlive: false` opens a fresh connection per call, for
 * tests where every call must meet a fault (cluster down) on its own connection.
 */
export async function startTestSim(options: SimulatorOptions = {}, keepAlive = true): Promise<TestSim> {
  const sim = await startSimulator({ connectDelayMs: 50, resumeDelayMs: 150, ...options });
  const agent = keepAlive ? new Agent({ keepAlive: true, maxSockets: 8 }) : undefined;
  const rpc: Record<string, RawRpc> = {};
  for (const endpoint of sim.clusters) rpc[endpoint.name] = new RawRpc(endpoint, sim.caPem, agent);
  return {
    sim,
    rpc,
    stop: async () => {
      agent?.destroy();
      await sim.stop();
    },
  };
}

/** Polls `read` until `done` holds; fails after a generous deadline (no timing is asserted). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export async function clusterPairs(rpc: RawRpc): Promise<Any[]> {
  return (await rpc.call('ListClusterPairs')).clusterPairs;
}

/** Start on `a`, complete on `b`, wait until both sides are Connected. */
export async function pairClusters(a: RawRpc, b: RawRpc): Promise<{ aID: number; bID: number; uuid: string }> {
  const started = await a.call('StartClusterPairing');
  const completed = await b.call('CompleteClusterPairing', { clusterPairingKey: started.clusterPairingKey });
  for (const [rpc, id] of [[a, started.clusterPairID], [b, completed.clusterPairID]] as const) {
    await waitFor(() => clusterPairs(rpc), (pairs) => pairs.some((p) => p.clusterPairID === id && p.status === 'Connected'), 'Connected');
  }
  const uuid = (await clusterPairs(a)).find((p) => p.clusterPairID === started.clusterPairID).clusterPairUUID;
  return { aID: started.clusterPairID, bID: completed.clusterPairID, uuid };
}

export async function ensureAccount(rpc: RawRpc): Promise<number> {
  const { accounts } = await rpc.call('ListAccounts');
  if (accounts.length > 0) return accounts[0].accountID;
  return (await rpc.call('AddAccount', { username: 'tenant' })).accountID;
}

export async function createVolume(rpc: RawRpc, name: string, extra: Record<string, unknown> = {}): Promise<Any> {
  const accountID = await ensureAccount(rpc);
  return (await rpc.call('CreateVolume', { name, accountID, totalSize: 2_000_000_000, enable512e: true, ...extra })).volume;
}

export async function getVolume(rpc: RawRpc, volumeID: number): Promise<Any> {
  const { volumes } = await rpc.call('ListVolumes', { volumeIDs: [volumeID] });
  return volumes[0];
}

export async function pairState(rpc: RawRpc, volumeID: number): Promise<string | undefined> {
  return (await getVolume(rpc, volumeID))?.volumePairs[0]?.remoteReplication.state;
}

export async function waitForPairState(rpc: RawRpc, volumeID: number, state: string): Promise<void> {
  await waitFor(() => pairState(rpc, volumeID), (s) => s === state, `volume ${volumeID} pair state ${state}`);
}

/** Source volume on `a`, target on `b` (made replicationTarget first), paired and Active. */
export async function pairVolumes(a: RawRpc, b: RawRpc, name: string, mode = 'Async'): Promise<{ src: number; dst: number }> {
  const src = (await createVolume(a, name)).volumeID;
  const dst = (await createVolume(b, `${name}-r`)).volumeID;
  await b.call('ModifyVolume', { volumeID: dst, access: 'replicationTarget' });
  const { volumePairingKey } = await a.call('StartVolumePairing', { volumeID: src, mode });
  await b.call('CompleteVolumePairing', { volumeID: dst, volumePairingKey });
  await waitForPairState(a, src, 'Active');
  await waitForPairState(b, dst, 'Active');
  return { src, dst };
}
