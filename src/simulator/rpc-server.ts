// The HTTPS listener of one simulated cluster: Basic auth (HTML 401), POST /json-rpc/<version>[/]
// with any or no Content-Type, 404 for unknown versions, 413 for oversized bodies, and the
// "cluster down" fault (connections refused, or accepted and left hanging).
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dispatchRpc } from './dispatch.ts';
import type { DispatchDeps } from './dispatch.ts';
import { normaliseEndpointVersion, supportedVersions } from './identity.ts';
import type { ClusterRecord } from './model.ts';
import { MVIP_HOST } from './world.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
export type DownMode = 'refuse' | 'hang';

const UNAUTHORIZED = '<html><head><title>401 Unauthorized.</title></head></html>';
const NOT_FOUND = '<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>';
const TOO_LARGE = '<html><head><title>413 Request Entity Too Large</title></head></html>';
const NOT_ALLOWED = '<html><head><title>405 Method Not Allowed</title></head></html>';

export interface Credentials {
  username: string;
  password: string;
}

function sendHtml(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function authorised(req: IncomingMessage, credentials: Credentials): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded === `${credentials.username}:${credentials.password}`;
}

export class ClusterServer {
  readonly cluster: ClusterRecord;
  readonly #deps: DispatchDeps;
  readonly #credentials: () => Credentials;
  readonly #server: Server;
  readonly #hanging = new Set<ServerResponse>();
  #down: DownMode | undefined;
  #listening = false;

  constructor(deps: DispatchDeps, cluster: ClusterRecord, credentials: () => Credentials) {
    this.#deps = deps;
    this.cluster = cluster;
    this.#credentials = credentials;
    this.#server = createServer({ cert: cluster.cert.cert, key: cluster.cert.key }, (req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        deps.log.error({ cluster: cluster.name, err }, 'request failed');
        if (!res.headersSent) sendHtml(res, 500, '<html><head><title>500 Internal Server Error</title></head></html>');
        else res.destroy();
      });
    });
    this.#server.keepAliveTimeout = 30_000;
  }

  get down(): DownMode | undefined {
    return this.#down;
  }

  /** Listens on `port` (0 = any free port) and returns the port. */
  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.#server.once('error', onError);
      this.#server.listen(port, MVIP_HOST, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    this.#listening = true;
    const address = this.#server.address();
    if (typeof address !== 'object' || address === null) throw new Error('server has no address');
    return address.port;
  }

  async setDown(mode: DownMode | undefined): Promise<void> {
    const previous = this.#down;
    this.#down = mode;
    this.#releaseHanging();
    if (mode === 'refuse' && this.#listening) await this.#closeListener();
    if (mode !== 'refuse' && previous === 'refuse' && !this.#listening) await this.listen(this.cluster.port);
  }

  async close(): Promise<void> {
    this.#down = 'refuse';
    this.#releaseHanging();
    if (this.#listening) await this.#closeListener();
  }

  async #closeListener(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    this.#listening = false;
    await closed;
  }

  #releaseHanging(): void {
    for (const res of this.#hanging) res.socket?.destroy();
    this.#hanging.clear();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.#down === 'hang') {
      this.#hanging.add(res);
      res.on('close', () => this.#hanging.delete(res));
      req.resume();
      return;
    }
    if (!authorised(req, this.#credentials())) {
      req.resume();
      sendHtml(res, 401, UNAUTHORIZED, { 'WWW-Authenticate': 'Basic realm="SolidFire"' });
      return;
    }
    const path = new URL(req.url ?? '/', 'https://sim').pathname;
    const rawVersion = /^\/json-rpc\/([^/]+)\/?$/.exec(path)?.[1];
    const version = rawVersion === undefined ? undefined : normaliseEndpointVersion(rawVersion);
    if (version === undefined || !supportedVersions(this.cluster.apiVersion).includes(version)) {
      req.resume();
      sendHtml(res, 404, NOT_FOUND);
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      sendHtml(res, 405, NOT_ALLOWED, { Allow: 'POST' });
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      sendHtml(res, 413, TOO_LARGE, { Connection: 'close' });
      return;
    }
    const outcome = await dispatchRpc(this.#deps, this.cluster, version, body);
    if (outcome.kind === 'drop' || this.#down !== undefined) {
      // The call has been applied; the client never learns the outcome.
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(outcome.body) });
    res.end(outcome.body);
  }
}

/** The request body as text, or undefined when it exceeds MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_BODY_BYTES) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(chunks).toString('utf8');
}
