// Fault injection and call accounting for the JSON-RPC side: latency, injected Element errors,
// "apply then drop the response", and per-cluster per-method call counters. Rules match a cluster
// and/or a method; an omitted field matches everything.
import { SimError } from './errors.ts';

export interface RuleTarget {
  cluster?: string;
  method?: string;
}

export interface ErrorRule extends RuleTarget {
  id: number;
  name: string;
  message?: string;
  /** Inject this many times, then drop the rule. */
  count?: number;
  /** Inject with this probability (0–1) on each matching call (with count: until count injections). Neither: always. */
  rate?: number;
}

export interface DropRule extends RuleTarget {
  id: number;
  /** Drop this many responses (default 1). */
  count: number;
}

export type CallCounters = Record<string, Record<string, number>>;

const matches = (rule: RuleTarget, cluster: string, method: string): boolean =>
  (rule.cluster === undefined || rule.cluster === cluster) && (rule.method === undefined || rule.method === method);

export class FaultStore {
  baseLatencyMs: number;
  readonly #latency = new Map<string, number>();
  #errors: ErrorRule[] = [];
  #drops: DropRule[] = [];
  #nextId = 1;
  readonly #counters = new Map<string, Map<string, number>>();
  readonly #random: () => number;

  constructor(baseLatencyMs = 0, random: () => number = Math.random) {
    this.baseLatencyMs = baseLatencyMs;
    this.#random = random;
  }

  setLatency(target: RuleTarget, ms: number): void {
    this.#latency.set(`${target.cluster ?? '*'}/${target.method ?? '*'}`, ms);
  }

  /** Most specific rule wins: cluster+method, cluster, method, all, then the CLI default. */
  latencyFor(cluster: string, method: string): number {
    for (const key of [`${cluster}/${method}`, `${cluster}/*`, `*/${method}`, '*/*']) {
      const ms = this.#latency.get(key);
      if (ms !== undefined) return ms;
    }
    return this.baseLatencyMs;
  }

  addError(rule: Omit<ErrorRule, 'id'>): ErrorRule {
    const added = { ...rule, id: this.#nextId++ };
    this.#errors.push(added);
    return added;
  }

  /** The error to inject for this call, consuming one count of a counted rule. */
  takeError(cluster: string, method: string): SimError | undefined {
    for (const rule of this.#errors) {
      if (!matches(rule, cluster, method)) continue;
      if (rule.rate !== undefined && this.#random() >= rule.rate) continue;
      if (rule.count !== undefined) {
        rule.count -= 1;
        if (rule.count <= 0) this.#errors = this.#errors.filter((r) => r !== rule);
      }
      return new SimError(rule.name, rule.message ?? rule.name);
    }
    return undefined;
  }

  addDrop(rule: Omit<DropRule, 'id'>): DropRule {
    const added = { ...rule, id: this.#nextId++ };
    this.#drops.push(added);
    return added;
  }

  takeDrop(cluster: string, method: string): boolean {
    const rule = this.#drops.find((r) => matches(r, cluster, method));
    if (!rule) return false;
    rule.count -= 1;
    if (rule.count <= 0) this.#drops = this.#drops.filter((r) => r !== rule);
    return true;
  }

  rules(): { latency: Record<string, number>; errors: ErrorRule[]; drops: DropRule[] } {
    return { latency: Object.fromEntries(this.#latency), errors: [...this.#errors], drops: [...this.#drops] };
  }

  /** Removes latency, error and drop rules (the CLI's base latency stays). */
  clearRules(): void {
    this.#latency.clear();
    this.#errors = [];
    this.#drops = [];
  }

  count(cluster: string, method: string): void {
    let perCluster = this.#counters.get(cluster);
    if (!perCluster) this.#counters.set(cluster, (perCluster = new Map()));
    perCluster.set(method, (perCluster.get(method) ?? 0) + 1);
  }

  counters(): CallCounters {
    const out: CallCounters = {};
    for (const [cluster, methods] of this.#counters) out[cluster] = Object.fromEntries(methods);
    return out;
  }

  resetCounters(): void {
    this.#counters.clear();
  }
}
