// A deliberately tiny raw HTTPS JSON-RPC client for the simulator's own tests: it shows exactly
// what goes over the wire (status, headers, body) so wire-shape tests stay independent of the
// project's Element client.
import { request } from 'node:https';
import type { Agent } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { ClusterEndpoint } from '../admin-schema.ts';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RawOptions {
  ca: string;
  method?: string;
  /** Basic credentials; null sends no Authorization header. */
  auth?: { username: string; password: string } | null;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Connection reuse; default none (a fresh connection per call, so faults hit every call). */
  agent?: Agent;
}

export function rawRequest(url: string, body: string | Buffer | undefined, options: RawOptions): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth) headers.Authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', ca: options.ca, headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.timeoutMs !== undefined) req.setTimeout(options.timeoutMs, () => req.destroy(new Error('client timeout')));
    req.end(body);
  });
}

export class RpcError extends Error {
  readonly code: number;
  readonly rpcName: string;
  constructor(error: { code: number; name: string; message: string }) {
    super(`${error.name}: ${error.message}`);
    this.code = error.code;
    this.rpcName = error.name;
  }
}

/** JSON-RPC over rawRequest: returns `result`, throws RpcError for an `error` member. */
export class RawRpc {
  readonly endpoint: ClusterEndpoint;
  readonly #ca: string;
  readonly #agent: Agent | undefined;
  #id = 0;

  constructor(endpoint: ClusterEndpoint, ca: string, agent?: Agent) {
    this.endpoint = endpoint;
    this.#ca = ca;
    this.#agent = agent;
  }

  async envelope(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown>> {
    const id = this.#id++;
    const { username, password } = this.endpoint;
    const res = await rawRequest(this.endpoint.url, JSON.stringify({ method, params, id }), {
      ca: this.#ca,
      auth: { username, password },
      timeoutMs,
      agent: this.#agent,
    });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.text}`);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    if (body.id !== id) throw new Error(`id ${String(body.id)} does not echo ${id}`);
    return body;
  }

  // Results are loosely typed on purpose: tests assert on shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async call(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<any> {
    const body = await this.envelope(method, params, timeoutMs);
    if (body.error) throw new RpcError(body.error as { code: number; name: string; message: string });
    return body.result;
  }

  /** The Element error name of a failing call (fails the test if the call succeeds). */
  async errorName(method: string, params?: Record<string, unknown>): Promise<string> {
    const body = await this.envelope(method, params);
    const error = body.error as { code: number; name: string } | undefined;
    if (!error) throw new Error(`${method} succeeded, an error was expected`);
    if (error.code !== 500) throw new Error(`error code ${error.code}, expected 500`);
    return error.name;
  }
}
