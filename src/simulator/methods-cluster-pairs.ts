// Cluster pairing: StartClusterPairing, CompleteClusterPairing, ListClusterPairs, RemoveClusterPair
// (element-api.md §3.2). IDs come from per-cluster counters and are never reused; the UUID is shared.
import { SimError } from './errors.ts';
import { decodeKey, encodeKey, newPairingPassword, newPairingUsername, newRpcConnectionID, newUuid } from './identity.ts';
import type { CallContext, MethodTable } from './method-types.ts';
import type { ClusterPairRecord, ClusterRecord } from './model.ts';
import { renderClusterPair } from './render.ts';
import type { SimWorld } from './world.ts';
import { settleCluster } from './replication.ts';

interface ClusterKey {
  clusterPairID: number;
  clusterPairUUID: string;
  clusterUniqueID: string;
  mvip: string;
  name: string;
  password: string;
  rpcConnectionID: number;
  username: string;
}

function parseClusterKey(text: string): ClusterKey | undefined {
  const raw = decodeKey(text);
  if (!raw) return undefined;
  const ints = ['clusterPairID', 'rpcConnectionID'];
  const strings = ['clusterPairUUID', 'clusterUniqueID', 'mvip', 'name', 'password', 'username'];
  if (!ints.every((k) => Number.isSafeInteger(raw[k]))) return undefined;
  if (!strings.every((k) => typeof raw[k] === 'string')) return undefined;
  return raw as unknown as ClusterKey;
}

function pairCount(world: SimWorld, cluster: ClusterRecord): number {
  let count = 0;
  for (const pair of cluster.clusterPairs.values()) {
    if (pair.peer || world.behaviour.pendingClusterPairsCountTowardLimit) count++;
  }
  return count;
}

function assertBelowLimit(world: SimWorld, cluster: ClusterRecord): void {
  const { maxClusterPairs, errorNames } = world.behaviour;
  if (pairCount(world, cluster) >= maxClusterPairs) {
    throw new SimError(errorNames.clusterPairLimit, `Cluster ${cluster.name} already has the maximum of ${maxClusterPairs} cluster pairs.`);
  }
}

function hasPairWith(cluster: ClusterRecord, peerName: string): boolean {
  for (const pair of cluster.clusterPairs.values()) if (pair.peer?.clusterName === peerName) return true;
  return false;
}

function startClusterPairing({ world, cluster }: CallContext): Record<string, unknown> {
  if (world.behaviour.pendingClusterPairsCountTowardLimit) assertBelowLimit(world, cluster);
  const pair: ClusterPairRecord = {
    clusterPairID: cluster.nextClusterPairID++,
    clusterPairUUID: newUuid(),
    pairing: { username: newPairingUsername(), password: newPairingPassword(), rpcConnectionID: newRpcConnectionID() },
  };
  cluster.clusterPairs.set(pair.clusterPairID, pair);
  const clusterPairingKey = encodeKey({
    clusterPairID: pair.clusterPairID,
    clusterPairUUID: pair.clusterPairUUID,
    clusterUniqueID: cluster.uniqueID,
    mvip: world.mvipOf(cluster),
    name: cluster.name,
    password: pair.pairing!.password,
    rpcConnectionID: pair.pairing!.rpcConnectionID,
    username: pair.pairing!.username,
  });
  return { clusterPairID: pair.clusterPairID, clusterPairingKey };
}

function completeClusterPairing({ world, cluster, params }: CallContext): Record<string, unknown> {
  const text = params.string('clusterPairingKey');
  const { errorNames } = world.behaviour;
  const key = parseClusterKey(text);
  if (!key) throw new SimError(errorNames.invalidClusterKey, 'The cluster pairing key is not valid.');
  if (key.clusterUniqueID === cluster.uniqueID || key.mvip === world.mvipOf(cluster)) {
    throw new SimError('xInvalidKey', 'Pairing a cluster with itself is not permitted.');
  }
  const origin = world.clusterByMvip(key.mvip);
  if (!origin || world.isLinkCut(cluster.name, origin.name)) {
    throw new SimError(errorNames.peerUnreachable, `Unable to contact the cluster at ${key.mvip}.`);
  }
  if (hasPairWith(cluster, origin.name) || hasPairWith(origin, cluster.name)) {
    throw new SimError('xPairingAlreadyExists', `Cluster ${cluster.name} is already paired with ${origin.name}.`);
  }
  const pending = origin.clusterPairs.get(key.clusterPairID);
  const valid =
    pending !== undefined &&
    pending.peer === undefined &&
    pending.clusterPairUUID === key.clusterPairUUID &&
    pending.pairing?.username === key.username &&
    pending.pairing.password === key.password;
  if (!valid) throw new SimError(errorNames.invalidClusterKey, 'The cluster pairing key is no longer valid.');
  assertBelowLimit(world, cluster);
  if (!world.behaviour.pendingClusterPairsCountTowardLimit) assertBelowLimit(world, origin);
  const completedAt = world.now();
  pending.peer = { clusterName: cluster.name, completedAt };
  delete pending.pairing;
  const pair: ClusterPairRecord = {
    clusterPairID: cluster.nextClusterPairID++,
    clusterPairUUID: pending.clusterPairUUID,
    peer: { clusterName: origin.name, completedAt },
  };
  cluster.clusterPairs.set(pair.clusterPairID, pair);
  return { clusterPairID: pair.clusterPairID };
}

function listClusterPairs({ world, cluster }: CallContext): Record<string, unknown> {
  const pairs = [...cluster.clusterPairs.values()].sort((a, b) => a.clusterPairID - b.clusterPairID);
  return { clusterPairs: pairs.map((pair) => renderClusterPair(world, cluster, pair)) };
}

function removeClusterPair({ world, cluster, params }: CallContext): Record<string, unknown> {
  const clusterPairID = params.int('clusterPairID');
  const pair = cluster.clusterPairs.get(clusterPairID);
  if (!pair) throw new SimError('xPairingDoesNotExist', `Cluster pair ${clusterPairID} does not exist.`);
  if (world.behaviour.removeClusterPairWithVolumePairs === 'reject') {
    for (const id of cluster.paired) {
      if (cluster.volumes.get(id)?.pair?.remote?.clusterPairUUID === pair.clusterPairUUID) {
        throw new SimError(world.behaviour.errorNames.clusterPairInUse, `Cluster pair ${clusterPairID} is used by volume pairs; remove them first.`);
      }
    }
  }
  // Removal is local: the peer keeps its half, which then reads Misconfigured (or Disconnected).
  settleCluster(world, cluster);
  cluster.clusterPairs.delete(clusterPairID);
  return {};
}

export const clusterPairMethods: MethodTable = {
  StartClusterPairing: { since: '6.0', mutating: true, handler: startClusterPairing },
  CompleteClusterPairing: { since: '6.0', mutating: true, handler: completeClusterPairing },
  ListClusterPairs: { since: '6.0', mutating: false, handler: listClusterPairs },
  RemoveClusterPair: { since: '6.0', mutating: true, handler: removeClusterPair },
};
