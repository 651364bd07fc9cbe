// A minimal mTLS HTTPS client for the test API server: enough for readiness polling, CRD
// installation and tests that need raw requests or a watch. (Only src/kube/ uses client-node.)
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ApiCredentials {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface ApiResponse {
  status: number;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: unknown;
}

export interface WatchEvent {
  type: string;
  object: Record<string, unknown>;
}

export interface ApiClient {
  readonly credentials: ApiCredentials;
  request(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<ApiResponse>;
  /** Streams watch events of `path` (add `?watch=true&resourceVersion=…` yourself). */
  watch(path: string, onEvent: (event: WatchEvent) => void): { close(): void; done: Promise<void> };
}

function tlsOptions(credentials: ApiCredentials, method: string, timeoutMs: number | undefined): https.RequestOptions {
  return {
    method,
    ca: credentials.caPem,
    cert: credentials.certPem,
    key: credentials.keyPem,
    agent: false, // no keep-alive pool that would outlive the test or the plane
    ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
  };
}

export function createApiClient(credentials: ApiCredentials): ApiClient {
  const url = (path: string) => new URL(path, credentials.server);
  return {
    credentials,
    request(method, path, body, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = https.request(url(path), tlsOptions(credentials, method, timeoutMs), (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('error', reject);
          res.on('end', () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, text, body: parsed });
          });
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out after ${timeoutMs} ms`)));
        req.on('error', reject);
        if (payload !== undefined) req.setHeader('content-type', 'application/json');
        req.end(payload);
      });
    },
    watch(path, onEvent) {
      let closed = false;
      let req: ReturnType<typeof https.request> | undefined;
      const done = new Promise<void>((resolve, reject) => {
        req = https.request(url(path), tlsOptions(credentials, 'GET', undefined), (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
            res.resume();
            return;
          }
          let buffer = '';
          res.setEncoding('utf8').on('data', (chunk: string) => {
            buffer += chunk;
            let newline: number;
            while ((newline = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, newline).trim();
              buffer = buffer.slice(newline + 1);
              if (line) onEvent(JSON.parse(line) as WatchEvent);
            }
          });
          res.on('end', resolve);
          res.on('error', (error) => (closed ? resolve() : reject(error)));
        });
        req.on('error', (error) => (closed ? resolve() : reject(error)));
        req.end();
      });
      return {
        done,
        close() {
          closed = true;
          req?.destroy();
        },
      };
    },
  };
}

interface KubeconfigFile {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

const fromBase64 = (value: string) => Buffer.from(value, 'base64').toString('utf8');

/** Reads a kubeconfig written by this harness (inline base64 data, one cluster, one user). */
export function credentialsFromKubeconfig(file: string): ApiCredentials {
  const config = parse(readFileSync(file, 'utf8')) as KubeconfigFile;
  const cluster = config.clusters[0]?.cluster;
  const user = config.users[0]?.user;
  if (!cluster || !user) throw new Error(`${file}: expected one cluster and one user with inline data`);
  return {
    server: cluster.server,
    caPem: fromBase64(cluster['certificate-authority-data']),
    certPem: fromBase64(user['client-certificate-data']),
    keyPem: fromBase64(user['client-key-data']),
  };
}
