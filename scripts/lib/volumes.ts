// The volumes of the demo: for each planned pair, a readWrite source on side A's cluster and a
// never-accessed target of the same size on side B's cluster, in one account per cluster. Created
// through the Element API itself (AddAccount, CreateVolume), as an admin would.
import { ElementClient } from '../../src/element/client.ts';
import type { ReplicationMode } from '../../src/api/common.ts';
import type { ClusterEndpoint } from '../../src/simulator/admin-schema.ts';

const GiB = 1024 ** 3;

/** One VolumePair to create, selected by volume ID or by volume name within the account. */
export interface PlannedPair {
  name: string;
  selectBy: 'id' | 'name';
  sourceVolume: string;
  targetVolume: string;
  sizeGiB: number;
  /** Overrides the sample's mode. */
  mode?: ReplicationMode;
}

/** `test` and `db-data` are the names of the samples in deploy/samples/; the others are copies. */
export const DEMO_PAIRS: readonly PlannedPair[] = [
  { name: 'test', selectBy: 'id', sourceVolume: 'test', targetVolume: 'testr', sizeGiB: 10 },
  { name: 'web', selectBy: 'id', sourceVolume: 'web', targetVolume: 'web-replica', sizeGiB: 20, mode: 'Sync' },
  { name: 'db-data', selectBy: 'name', sourceVolume: 'db-data', targetVolume: 'db-data-replica', sizeGiB: 50 },
  { name: 'db-logs', selectBy: 'name', sourceVolume: 'db-logs', targetVolume: 'db-logs-replica', sizeGiB: 5, mode: 'Async' },
];

export interface CreatedVolume {
  volumeID: number;
  volumeName: string;
  accountID: number;
}

export interface CreatedPair extends PlannedPair {
  source: CreatedVolume;
  target: CreatedVolume;
}

function clientFor(cluster: ClusterEndpoint, caPem: string): ElementClient {
  return new ElementClient({ mvip: cluster.mvip, username: cluster.username, password: cluster.password, tls: { caPem } });
}

async function createVolumes(client: ElementClient, account: string, volumes: { name: string; sizeGiB: number }[]): Promise<CreatedVolume[]> {
  const { accountID } = await client.addAccount({ username: account });
  const created: CreatedVolume[] = [];
  for (const volume of volumes) {
    // CreateVolume makes readWrite volumes that were never accessed: fine as sources and as targets.
    const { volumeID } = await client.createVolume({ name: volume.name, accountID, totalSize: volume.sizeGiB * GiB, enable512e: true });
    created.push({ volumeID, volumeName: volume.name, accountID });
  }
  return created;
}

export async function createDemoVolumes(options: {
  sideA: ClusterEndpoint;
  sideB: ClusterEndpoint;
  caPem: string;
  pairs: readonly PlannedPair[];
  account?: string;
}): Promise<CreatedPair[]> {
  const account = options.account ?? 'demo';
  const a = clientFor(options.sideA, options.caPem);
  const b = clientFor(options.sideB, options.caPem);
  try {
    const [sources, targets] = await Promise.all([
      createVolumes(a, account, options.pairs.map((p) => ({ name: p.sourceVolume, sizeGiB: p.sizeGiB }))),
      createVolumes(b, account, options.pairs.map((p) => ({ name: p.targetVolume, sizeGiB: p.sizeGiB }))),
    ]);
    return options.pairs.map((pair, i) => ({ ...pair, source: sources[i]!, target: targets[i]! }));
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}
