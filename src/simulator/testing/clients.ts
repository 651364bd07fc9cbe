// ElementClient instances (the project's real client, src/element) pointed at a running simulator,
// plus the polling helpers the end-to-end tests use with them.
import { ElementClient } from '../../element/client.ts';
import type { ElementClientOptions } from '../../element/types.ts';
import type { RunningSimulator } from '../simulator.ts';
import { waitFor } from './fixtures.ts';

export function elementClient(sim: RunningSimulator, name: string, extra: Partial<ElementClientOptions> = {}): ElementClient {
  const endpoint = sim.clusters.find((c) => c.name === name);
  if (!endpoint) throw new Error(`no cluster ${name}`);
  return new ElementClient({
    mvip: endpoint.mvip,
    username: endpoint.username,
    password: endpoint.password,
    tls: { caPem: sim.caPem },
    ...extra,
  });
}

export async function stateOf(client: ElementClient, volumeID: number): Promise<string | undefined> {
  const [volume] = await client.listVolumes({ volumeIDs: [volumeID] });
  return volume?.volumePairs[0]?.remoteReplication?.state;
}

export async function untilState(client: ElementClient, volumeID: number, state: string): Promise<void> {
  await waitFor(() => stateOf(client, volumeID), (s) => s === state, `volume ${volumeID} ${state}`);
}

export async function untilConnected(client: ElementClient, clusterPairID: number): Promise<void> {
  const connected = (pairs: Awaited<ReturnType<ElementClient['listClusterPairs']>>) =>
    pairs.some((p) => p.clusterPairID === clusterPairID && p.status === 'Connected');
  await waitFor(() => client.listClusterPairs(), connected, `cluster pair ${clusterPairID} Connected`);
}

/** The expected outcome of a failing call: the error it threw. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
