// /healthz and /readyz on --health-probe-bind-address, answered from registered checks in the
// Kubernetes text format: `ok` when all pass, otherwise 503 with `[-]name failed: reason` lines.
// Readiness must not depend on leadership (standbys stay Ready) nor on Element reachability.
import type { Logger } from 'pino';
import { parseBindAddress } from './bind-address.ts';
import { startHttpServer } from './http-server.ts';
import type { HttpReply, RouteHandler, RunningHttpServer } from './http-server.ts';
import { scrubText } from './redact.ts';

export interface CheckResult {
  ok: boolean;
  /** Why it failed; shown in the probe body and logged, so no secrets (it is scrubbed anyway). */
  reason?: string;
}

export type Check = () => CheckResult | Promise<CheckResult>;
export type ProbeKind = 'healthz' | 'readyz';

export interface CheckOutcome {
  name: string;
  ok: boolean;
  reason?: string;
}

export interface ProbeReport {
  ok: boolean;
  checks: CheckOutcome[];
}

const CHECK_TIMEOUT_MS = 5_000;

export class HealthChecks {
  private readonly registered: Record<ProbeKind, Map<string, Check>> = {
    healthz: new Map([['ping', () => ({ ok: true })]]),
    readyz: new Map(),
  };

  /** A liveness check (a failing one gets the pod restarted: keep these to "the process works"). */
  addHealthCheck(name: string, check: Check): void {
    this.add('healthz', name, check);
  }

  /** A readiness check, e.g. "informer caches synced". */
  addReadinessCheck(name: string, check: Check): void {
    this.add('readyz', name, check);
  }

  has(kind: ProbeKind, name: string): boolean {
    return this.registered[kind].has(name);
  }

  /** Runs all checks of a kind (or only `only`) concurrently; a throwing or hanging check fails. */
  async run(kind: ProbeKind, only?: string): Promise<ProbeReport> {
    const entries = [...this.registered[kind]].filter(([name]) => only === undefined || name === only);
    const checks = await Promise.all(entries.map(([name, check]) => runCheck(name, check)));
    return { ok: checks.every((c) => c.ok), checks };
  }

  private add(kind: ProbeKind, name: string, check: Check): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`invalid ${kind} check name "${name}"`);
    if (this.registered[kind].has(name)) throw new Error(`${kind} check "${name}" is already registered`);
    this.registered[kind].set(name, check);
  }
}

async function runCheck(name: string, check: Check): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'check timed out' }), CHECK_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(check), timeout]);
    return result.ok ? { name, ok: true } : { name, ok: false, reason: scrubText(result.reason ?? 'not ok') };
  } catch (err) {
    return { name, ok: false, reason: scrubText(err instanceof Error ? err.message : String(err)) };
  } finally {
    clearTimeout(timer);
  }
}

/** The probe answer: 200 `ok` (or the per-check list with ?verbose), 503 with every check listed. */
export function renderProbeReport(kind: ProbeKind, report: ProbeReport, verbose: boolean): HttpReply {
  const contentType = 'text/plain; charset=utf-8';
  if (report.ok && !verbose) return { status: 200, contentType, body: 'ok\n' };
  const lines = report.checks.map((c) => (c.ok ? `[+]${c.name} ok` : `[-]${c.name} failed: ${c.reason ?? 'not ok'}`));
  lines.push(`${kind} check ${report.ok ? 'passed' : 'failed'}`);
  return { status: report.ok ? 200 : 503, contentType, body: `${lines.join('\n')}\n` };
}

export interface ProbeServerOptions {
  /** --health-probe-bind-address: `:8081`, `127.0.0.1:0`, or `0` to disable. */
  bindAddress: string;
  checks: HealthChecks;
  log: Logger;
}

/** Starts the probe server, or returns undefined when the address is `0`. */
export async function startProbeServer(options: ProbeServerOptions): Promise<RunningHttpServer | undefined> {
  const address = parseBindAddress(options.bindAddress);
  if (!address) return undefined;
  const { checks, log } = options;
  const failures = new Map<string, string>();

  const probe = (kind: ProbeKind, only?: string): RouteHandler => async (url) => {
    const report = await checks.run(kind, only);
    // Log a failing probe once per change of its failure text, not at every kubelet poll.
    const failing = report.checks.filter((c) => !c.ok).map((c) => c.name).join(',');
    if (failing !== (failures.get(kind) ?? '')) {
      if (failing) log.warn({ probe: kind, failing: report.checks.filter((c) => !c.ok) }, 'probe failing');
      else log.info({ probe: kind }, 'probe passing');
      failures.set(kind, failing);
    }
    return renderProbeReport(kind, report, url.searchParams.has('verbose'));
  };

  return startHttpServer('probe', address, (pathname) => {
    const [, kind, name, ...rest] = pathname.split('/');
    if ((kind !== 'healthz' && kind !== 'readyz') || rest.length > 0) return undefined;
    if (name === undefined || name === '') return probe(kind);
    return checks.has(kind, name) ? probe(kind, name) : undefined;
  }, log);
}
