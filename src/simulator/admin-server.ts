// The admin API: plain HTTP on loopback, JSON in and out, never on a JSON-RPC port. Endpoints are
// listed in README.md; SimulatorAdmin (admin-client.ts) wraps them.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BulkVolumesRequest, DownRequest, DropRequest, ErrorRequest, LatencyRequest, LinkRequest } from './admin-schema.ts';
import { HttpError, cluster } from './admin-http.ts';
import type { Route, SimulatorControl } from './admin-http.ts';
import { replicationRoutes } from './admin-replication.ts';
import { applyBehaviourPatch } from './behaviour.ts';
import { SimError } from './errors.ts';
import { addAccountRecord } from './methods-accounts.ts';
import type { ClusterRecord } from './model.ts';
import { settleCluster } from './replication.ts';
import { createVolumeRecord } from './volumes.ts';
import { MVIP_HOST } from './world.ts';
import type { SimWorld } from './world.ts';



function checkTarget(control: SimulatorControl, target: { cluster?: string }): void {
  if (target.cluster !== undefined) cluster(control, target.cluster);
}

const ROUTES: Array<[string, RegExp, Route]> = [
  ['GET', /^\/admin\/health$/, () => ({ ok: true })],
  ['GET', /^\/admin\/clusters$/, (c) => ({ clusters: c.clusterDetails() })],
  ['GET', /^\/admin\/behaviour$/, (c) => c.world.behaviour],
  ['PATCH', /^\/admin\/behaviour$/, (c, body) => {
    c.world.behaviour = applyBehaviourPatch(c.world.behaviour, body);
    c.world.changed();
    return c.world.behaviour;
  }],
  ['GET', /^\/admin\/faults$/, (c) => c.faults.rules()],
  ['DELETE', /^\/admin\/faults$/, (c) => (c.faults.clearRules(), {})],
  ['POST', /^\/admin\/faults\/latency$/, (c, body) => {
    const { ms, ...target } = LatencyRequest.parse(body);
    checkTarget(c, target);
    c.faults.setLatency(target, ms);
    return {};
  }],
  ['POST', /^\/admin\/faults\/errors$/, (c, body) => {
    const rule = ErrorRequest.parse(body);
    checkTarget(c, rule);
    return c.faults.addError(rule);
  }],
  ['POST', /^\/admin\/faults\/drop-response$/, (c, body) => {
    const { count, ...target } = DropRequest.parse(body);
    checkTarget(c, target);
    return c.faults.addDrop({ ...target, count: count ?? 1 });
  }],
  ['POST', /^\/admin\/clusters\/([^/]+)\/down$/, async (c, body, m) => {
    const { mode } = DownRequest.parse(body ?? {});
    await c.setDown(cluster(c, m[1]).name, mode ?? 'refuse');
    return {};
  }],
  ['POST', /^\/admin\/clusters\/([^/]+)\/up$/, async (c, _body, m) => {
    await c.setDown(cluster(c, m[1]).name, undefined);
    return {};
  }],
  ['GET', /^\/admin\/links$/, (c) => ({ cut: [...c.world.cutLinks].map((key) => key.split('\u0000')) })],
  ['POST', /^\/admin\/links\/(cut|restore)$/, (c, body, m) => {
    const { a, b } = LinkRequest.parse(body);
    const [ca, cb] = [cluster(c, a), cluster(c, b)];
    if (m[1] === 'cut') {
      // Pairs that were Active keep what they had synced (replication.ts).
      settleCluster(c.world, ca);
      settleCluster(c.world, cb);
      c.world.cutLink(ca.name, cb.name);
    } else c.world.restoreLink(ca.name, cb.name);
    return {};
  }],
  ...replicationRoutes,
  ['POST', /^\/admin\/clusters\/([^/]+)\/volumes\/bulk$/, (c, body, m) => bulkVolumes(c.world, cluster(c, m[1]), BulkVolumesRequest.parse(body))],
  ['POST', /^\/admin\/reset$/, async (c) => (await c.reset(), {})],
  ['GET', /^\/admin\/counters$/, (c) => c.faults.counters()],
  ['DELETE', /^\/admin\/counters$/, (c) => (c.faults.resetCounters(), {})],
];

function bulkVolumes(world: SimWorld, target: ClusterRecord, request: BulkVolumesRequest): { accountID: number; volumeIDs: number[] } {
  let accountID = request.accountID;
  if (accountID === undefined) {
    const existing = [...target.accounts.values()].find((a) => a.username === 'sim-bulk');
    accountID = (existing ?? addAccountRecord(target, 'sim-bulk')).accountID;
  }
  const prefix = request.namePrefix ?? 'vol';
  const volumeIDs: number[] = [];
  for (let i = 0; i < request.count; i++) {
    const volume = createVolumeRecord(world, target, {
      name: `${prefix}-${target.nextVolumeID}`,
      accountID,
      totalSize: request.totalSize ?? 1024 ** 3,
      access: request.access,
      enable512e: request.enable512e,
    });
    volumeIDs.push(volume.volumeID);
  }
  world.changed();
  return { accountID, volumeIDs };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function handle(control: SimulatorControl, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const path = url.pathname;
  const candidates = ROUTES.filter(([, pattern]) => pattern.test(path));
  if (candidates.length === 0) return send(res, 404, { error: `no admin endpoint ${path}` });
  const route = candidates.find(([method]) => method === req.method);
  if (!route) return send(res, 405, { error: `${req.method} not allowed on ${path}` });
  try {
    const body = await readJson(req);
    send(res, 200, await route[2](control, body, route[1].exec(path)!, url.searchParams));
  } catch (error) {
    if (error instanceof HttpError) return send(res, error.status, { error: error.message });
    if (error instanceof z.ZodError) return send(res, 400, { error: z.prettifyError(error) });
    if (error instanceof SimError) return send(res, 400, { error: `${error.name}: ${error.message}` });
    throw error;
  }
}

export type { SimulatorControl } from './admin-http.ts';

export async function startAdminServer(control: SimulatorControl, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    handle(control, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, MVIP_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
