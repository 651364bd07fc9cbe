// Test-only: a tiny Element look-alike on 127.0.0.1 (HTTPS, port 0) that records every request and
// answers with canned JSON-RPC replies (element-api.md §6). Not a simulator: no state, no rules —
// the test says what each method returns. Basic auth and the version in the path are checked the
// way a cluster does it (401 HTML, 404).
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { createCa, createLeaf, type Pem } from '../../pki/certs.ts';
import { SUPPORTED_VERSIONS, UNAUTHORIZED_HTML } from './element-api-examples.ts';

export interface RecordedRequest {
  httpMethod: string;
  path: string;
  /** The version taken from `/json-rpc/<version>[/]`, if the path has that shape. */
  apiVersion: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
  /** The JSON-RPC request, when the body is a JSON object. */
  rpc: { method?: unknown; params?: unknown; id?: unknown } | undefined;
}

export type FixtureReply =
  | { result: unknown; id?: unknown }
  | { error: { name: string; message?: string; code?: number }; id?: unknown }
  | { status: number; body: string; contentType?: string }
  | { hang: true }
  /** Sends status and headers, then never finishes the body. */
  | { hangAfterHeaders: true }
  | { destroy: true };

export type FixtureHandler = (request: RecordedRequest) => FixtureReply | Promise<FixtureReply>;

export interface FixturePki {
  ca: Pem;
  /** Server certificate for 127.0.0.1 and localhost, signed by `ca`. */
  leaf: Pem;
}

export async function createFixturePki(options: { dnsNames?: string[]; ipAddresses?: string[] } = {}): Promise<FixturePki> {
  const ca = await createCa('element-fixture-ca');
  const leaf = await createLeaf(ca, {
    commonName: 'element-fixture',
    dnsNames: options.dnsNames ?? ['localhost'],
    ipAddresses: options.ipAddresses ?? ['127.0.0.1'],
    usage: 'server',
  });
  return { ca, leaf };
}

export interface FixtureServerOptions {
  /** Certificate and key the server presents. */
  leaf: Pem;
  handler: FixtureHandler;
  credentials?: { username: string; password: string };
  /** Versions served under `/json-rpc/`; others answer 404. */
  versions?: readonly string[];
}

export interface FixtureServer {
  /** `127.0.0.1:<port>`, ready for ElementClientOptions.mvip. */
  mvip: string;
  port: number;
  requests: RecordedRequest[];
  /** TLS connections accepted so far (keep-alive and connection-limit checks). */
  connectionCount(): number;
  /** The JSON-RPC requests only, in order. */
  rpcCalls(): { method: unknown; params: unknown; id: unknown; apiVersion: string | undefined }[];
  setHandler(handler: FixtureHandler): void;
  close(): Promise<void>;
}

export const FIXTURE_CREDENTIALS = { username: 'admin', password: 'fixture-Pa55word' };

/** Routes by JSON-RPC method; a list is served in order and its last entry repeats. */
export function routeByMethod(routes: Record<string, FixtureReply | FixtureReply[] | FixtureHandler>): FixtureHandler {
  const served = new Map<string, number>();
  return (request) => {
    const method = typeof request.rpc?.method === 'string' ? request.rpc.method : '';
    const route = routes[method];
    if (route === undefined) return { error: { name: 'xUnknownAPIMethod', message: `Unknown method ${method}` } };
    if (typeof route === 'function') return route(request);
    if (!Array.isArray(route)) return route;
    const index = served.get(method) ?? 0;
    served.set(method, index + 1);
    return route[Math.min(index, route.length - 1)] ?? { error: { name: 'xUnknownAPIMethod' } };
  };
}

function authorized(headers: IncomingHttpHeaders, credentials: { username: string; password: string }): boolean {
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return headers.authorization === expected;
}

function parseRpc(body: string): RecordedRequest['rpc'] {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RecordedRequest['rpc']) : undefined;
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, status: number, body: string, contentType: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

async function answer(request: RecordedRequest, response: ServerResponse, options: FixtureServerOptions, handler: FixtureHandler): Promise<void> {
  if (!authorized(request.headers, options.credentials ?? FIXTURE_CREDENTIALS)) {
    send(response, 401, UNAUTHORIZED_HTML, 'text/html');
    return;
  }
  if (request.apiVersion === undefined || !(options.versions ?? SUPPORTED_VERSIONS).includes(request.apiVersion)) {
    send(response, 404, '<html><head><title>404 Not Found</title></head></html>', 'text/html');
    return;
  }
  const reply = await handler(request);
  if ('hang' in reply) return; // never answered; close() destroys the socket
  if ('hangAfterHeaders' in reply) {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
    response.write('{"id":1,');
    return;
  }
  if ('destroy' in reply) {
    response.socket?.destroy();
    return;
  }
  if ('status' in reply) {
    send(response, reply.status, reply.body, reply.contentType ?? 'text/plain');
    return;
  }
  const id = 'id' in reply ? reply.id : (request.rpc?.id ?? null);
  const payload =
    'error' in reply
      ? { error: { code: reply.error.code ?? 500, message: reply.error.message ?? reply.error.name, name: reply.error.name }, id }
      : { id, result: reply.result };
  send(response, 200, JSON.stringify(payload), 'application/json');
}

export async function startFixtureServer(options: FixtureServerOptions): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  let handler = options.handler;
  const server: Server = createHttpsServer({ cert: options.leaf.cert, key: options.leaf.key }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '';
      const recorded: RecordedRequest = {
        httpMethod: req.method ?? '',
        path,
        apiVersion: /^\/json-rpc\/([^/]+)\/?$/.exec(path)?.[1],
        headers: req.headers,
        body,
        rpc: parseRpc(body),
      };
      requests.push(recorded);
      answer(recorded, res, options, handler).catch(() => res.socket?.destroy());
    });
  });
  let connections = 0;
  server.on('secureConnection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    mvip: `127.0.0.1:${port}`,
    port,
    requests,
    connectionCount: () => connections,
    rpcCalls: () =>
      requests.filter((r) => r.rpc !== undefined).map((r) => ({ method: r.rpc?.method, params: r.rpc?.params, id: r.rpc?.id, apiVersion: r.apiVersion })),
    setHandler: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A TCP listener that accepts and never speaks: a TLS handshake against it can only time out. */
export async function startSilentTcpServer(): Promise<{ mvip: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    mvip: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening (bound, then released). */
export async function unusedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
