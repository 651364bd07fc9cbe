// /metrics on --metrics-bind-address (Prometheus text format from the operator's Registry).
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { parseBindAddress } from './bind-address.ts';
import { startHttpServer } from './http-server.ts';
import type { RunningHttpServer } from './http-server.ts';

export interface MetricsServerOptions {
  /** --metrics-bind-address: `:8080`, `127.0.0.1:0`, or `0` to disable. */
  bindAddress: string;
  registry: Registry;
  log: Logger;
}

/** Starts the metrics server, or returns undefined when the address is `0`. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<RunningHttpServer | undefined> {
  const address = parseBindAddress(options.bindAddress);
  if (!address) return undefined;
  const { registry } = options;
  return startHttpServer('metrics', address, (pathname) => {
    if (pathname !== '/metrics') return undefined;
    return async () => ({ status: 200, contentType: registry.contentType, body: await registry.metrics() });
  }, options.log);
}
