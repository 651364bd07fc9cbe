// A minimal node:http server for the operator's read-only endpoints (/metrics, /healthz, /readyz):
// GET/HEAD only, handlers return a reply instead of writing to the socket, and close() ends
// keep-alive connections (Prometheus keeps them open) so shutdown never hangs.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { formatHostPort } from './bind-address.ts';
import type { BindAddress } from './bind-address.ts';

export interface HttpReply {
  status: number;
  contentType: string;
  body: string;
}

export type RouteHandler = (url: URL) => HttpReply | Promise<HttpReply>;

/** Maps a request path to its handler; undefined → 404. */
export type Router = (pathname: string) => RouteHandler | undefined;

export interface RunningHttpServer {
  /** The bound address (the real port when 0 was asked for). */
  readonly host: string;
  readonly port: number;
  /** http://host:port, with a loopback host when bound to all interfaces. */
  readonly url: string;
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 2_000;

export async function startHttpServer(name: string, address: BindAddress, router: Router, log: Logger): Promise<RunningHttpServer> {
  const server = createServer((req, res) => {
    void serve(req, res, router).catch((err: unknown) => {
      log.error({ err, server: name }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address.host, port: address.port }, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    const where = formatHostPort(address.host ?? '', address.port);
    throw new Error(`${name} server cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  server.on('error', (err) => log.error({ err, server: name }, 'http server error'));

  const bound = server.address() as AddressInfo;
  const urlHost = address.host === undefined ? '127.0.0.1' : bound.address;
  log.info({ server: name, address: formatHostPort(bound.address, bound.port) }, 'http server listening');
  let closing: Promise<void> | undefined;
  return {
    host: bound.address,
    port: bound.port,
    url: `http://${formatHostPort(urlHost, bound.port)}`,
    close: () => (closing ??= closeServer(server)),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, router: Router): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const handler = router(url.pathname);
  if (!handler) return send(res, req, { status: 404, contentType: 'text/plain; charset=utf-8', body: 'not found\n' });
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, req, { status: 405, contentType: 'text/plain; charset=utf-8', body: 'method not allowed\n' });
  }
  send(res, req, await handler(url));
}

function send(res: ServerResponse, req: IncomingMessage, reply: HttpReply): void {
  res.writeHead(reply.status, {
    'content-type': reply.contentType,
    'content-length': Buffer.byteLength(reply.body),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : reply.body);
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
