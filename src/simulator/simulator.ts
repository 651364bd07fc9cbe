// In-process entry point: startSimulator() runs several clusters, the admin API and (optionally)
// persistence, and returns what a test or the CLI needs to reach them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createCa, createLeaf } from '../pki/certs.ts';
import type { Pem } from '../pki/certs.ts';
import { SimulatorAdmin } from './admin-client.ts';
import type { ClusterDetails, ClusterEndpoint } from './admin-schema.ts';
import { startAdminServer } from './admin-server.ts';
import { applyBehaviourPatch, defaultBehaviour } from './behaviour.ts';
import type { BehaviourPatch } from './behaviour.ts';
import { FaultStore } from './faults.ts';
import { silentLogger } from './log.ts';
import { DEFAULT_ELEMENT_VERSION, clearClusterObjects, newClusterRecord } from './model.ts';
import { StateSaver, loadState, restoreCluster, restoreLinks, snapshot } from './persistence.ts';
import { ClusterServer } from './rpc-server.ts';
import type { DownMode } from './rpc-server.ts';
import { MVIP_HOST, SimWorld } from './world.ts';

export interface SimulatorClusterSpec {
  name: string;
  /** Full Element version, e.g. "12.5.0.897"; the API version is its major.minor. */
  elementVersion?: string;
}

export interface SimulatorOptions {
  /** Default ["PROD", "DR"] when there is no saved state. */
  clusters?: Array<string | SimulatorClusterSpec>;
  username?: string;
  password?: string;
  latencyMs?: number;
  resumeDelayMs?: number;
  connectDelayMs?: number;
  behaviour?: BehaviourPatch;
  stateDir?: string;
  adminPort?: number;
  logger?: Logger;
}

export interface RunningSimulator {
  adminUrl: string;
  caFile: string;
  caPem: string;
  clusters: ClusterEndpoint[];
  admin: SimulatorAdmin;
  stop(): Promise<void>;
}

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

async function newLeaf(ca: Pem, name: string): Promise<Pem> {
  return createLeaf(ca, { commonName: name, organization: ['element-sim'], dnsNames: ['localhost'], ipAddresses: [MVIP_HOST], usage: 'server' });
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const log = options.logger ?? silentLogger();
  const saved = options.stateDir ? loadState(options.stateDir) : undefined;
  const username = options.username ?? saved?.username ?? 'admin';
  const password = options.password ?? saved?.password ?? 'admin';
  const ca = saved?.ca ?? (await createCa('element-sim CA'));
  const cliPatch: BehaviourPatch = {
    ...options.behaviour,
    ...(options.resumeDelayMs !== undefined && { resumeDelayMs: options.resumeDelayMs }),
    ...(options.connectDelayMs !== undefined && { connectDelayMs: options.connectDelayMs }),
  };
  const initialBehaviour = applyBehaviourPatch(saved?.behaviour ?? defaultBehaviour(), cliPatch);
  const world = new SimWorld(initialBehaviour);
  const faults = new FaultStore(options.latencyMs ?? 0);
  const servers = new Map<string, ClusterServer>();
  const deps = { world, faults, log };
  const credentials = () => ({ username, password });

  try {
    if (saved) restoreLinks(world, saved);
    for (const stored of saved?.clusters ?? []) {
      const record = restoreCluster(stored);
      world.clusters.set(record.name, record);
      const server = new ClusterServer(deps, record, credentials);
      servers.set(record.name, server);
      await server.listen(record.port);
    }
    const requested = (options.clusters ?? (saved ? [] : ['PROD', 'DR'])).map((c) => (typeof c === 'string' ? { name: c } : c));
    for (const spec of requested) {
      if (!CLUSTER_NAME.test(spec.name)) throw new Error(`invalid cluster name '${spec.name}'`);
      if (world.clusters.has(spec.name)) continue;
      const cert = await newLeaf(ca, spec.name);
      const record = newClusterRecord(spec.name, spec.elementVersion ?? DEFAULT_ELEMENT_VERSION, 0, cert, world.clusters.size);
      const server = new ClusterServer(deps, record, credentials);
      record.port = await server.listen(0);
      world.clusters.set(record.name, record);
      servers.set(record.name, server);
    }
  } catch (error) {
    await Promise.all([...servers.values()].map((s) => s.close()));
    throw error;
  }

  const endpoint = (name: string): ClusterEndpoint => {
    const record = world.clusters.get(name)!;
    const mvip = world.mvipOf(record);
    return { name, mvip, url: `https://${mvip}/json-rpc/${record.apiVersion}`, username, password };
  };
  const clusterDetails = (): ClusterDetails[] =>
    [...world.clusters.values()].map((r) => ({
      ...endpoint(r.name),
      uniqueID: r.uniqueID,
      uuid: r.uuid,
      elementVersion: r.elementVersion,
      apiVersion: r.apiVersion,
      down: servers.get(r.name)?.down ?? null,
    }));
  const setDown = async (name: string, mode: DownMode | undefined) => {
    await servers.get(name)?.setDown(mode);
  };
  const reset = async () => {
    for (const record of world.clusters.values()) clearClusterObjects(record);
    world.cutLinks.clear();
    world.linkRestoredAt.clear();
    world.accessChanges.length = 0;
    world.behaviour = initialBehaviour;
    faults.clearRules();
    faults.resetCounters();
    for (const server of servers.values()) await server.setDown(undefined);
    world.changed();
  };

  let admin: Server;
  try {
    admin = await startAdminServer({ world, faults, clusterDetails, setDown, reset }, options.adminPort ?? saved?.adminPort ?? 0);
  } catch (error) {
    await Promise.all([...servers.values()].map((s) => s.close()));
    throw error;
  }
  const adminAddress = admin.address();
  const adminPort = typeof adminAddress === 'object' && adminAddress ? adminAddress.port : 0;
  const adminUrl = `http://${MVIP_HOST}:${adminPort}`;

  const tempDir = options.stateDir ? undefined : mkdtempSync(join(tmpdir(), 'element-sim-'));
  if (options.stateDir) mkdirSync(options.stateDir, { recursive: true }); // a new --state-dir is fine
  const caFile = join(options.stateDir ?? tempDir!, 'ca.pem');
  writeFileSync(caFile, ca.cert);
  let saver: StateSaver | undefined;
  if (options.stateDir) {
    saver = new StateSaver(options.stateDir, () => snapshot(world, { adminPort, username, password, ca }));
    world.onChange(() => saver?.schedule());
    await saver.flush();
  }
  log.info({ adminUrl, clusters: [...world.clusters.keys()] }, 'simulator ready');

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await Promise.all([...servers.values()].map((s) => s.close()));
      admin.closeAllConnections();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
      await saver?.flush();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      log.info('simulator stopped');
    })());

  return {
    adminUrl,
    caFile,
    caPem: ca.cert,
    clusters: [...world.clusters.keys()].map(endpoint),
    admin: new SimulatorAdmin(adminUrl),
    stop,
  };
}
