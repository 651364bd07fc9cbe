// CPU time and memory of one process (the operator) from /proc: utime+stime of /proc/<pid>/stat,
// VmRSS and VmHWM (the kernel's own peak RSS) of /proc/<pid>/status. A sampler also records the RSS
// once a second, so the report can say when memory grew (while converging, or steadily).
import { readFileSync } from 'node:fs';

// USER_HZ: the unit of utime/stime; 100 on every Linux architecture Node runs on.
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessStats {
  /** User + system CPU seconds since the process started. */
  cpuSeconds: number;
  rssMb: number;
  /** Peak RSS since the process started. */
  peakRssMb: number;
}

/** utime + stime in seconds, from the text of /proc/<pid>/stat. Pure. */
export function cpuSecondsFromStat(stat: string): number {
  // The command name (field 2) is in parentheses and may contain spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unexpected /proc/<pid>/stat: ${stat.slice(0, 80)}`);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** A `Vm…: N kB` line of /proc/<pid>/status in MB (MiB). Pure. */
export function statusFieldMb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match) throw new Error(`/proc/<pid>/status has no ${field}`);
  return Number(match[1]) / 1024;
}

export function readProcessStats(pid: number): ProcessStats {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { cpuSeconds: cpuSecondsFromStat(stat), rssMb: statusFieldMb(status, 'VmRSS'), peakRssMb: statusFieldMb(status, 'VmHWM') };
}

export interface RssPoint {
  /** Seconds since the sampler started. */
  t: number;
  rssMb: number;
  cpuSeconds: number;
}

export class ProcessSampler {
  readonly pid: number;
  readonly points: RssPoint[] = [];
  readonly #began = Date.now();
  #timer: NodeJS.Timeout | undefined;

  constructor(pid: number, intervalMs = 1000) {
    this.pid = pid;
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  /** Reads the stats now (and records them); undefined once the process is gone. */
  sample(): ProcessStats | undefined {
    try {
      const stats = readProcessStats(this.pid);
      this.points.push({ t: (Date.now() - this.#began) / 1000, rssMb: stats.rssMb, cpuSeconds: stats.cpuSeconds });
      return stats;
    } catch {
      return undefined;
    }
  }

  /** Like sample(), but the process must be alive. */
  now(): ProcessStats {
    const stats = this.sample();
    if (!stats) throw new Error(`process ${this.pid} is gone`);
    return stats;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** CPU seconds so far of each named process that is still running (and of this process, as `bench`). */
export function cpuSecondsOf(processes: readonly { name: string; pid: number | undefined }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { name, pid } of processes) {
    if (pid === undefined) continue;
    try {
      out[name] = cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      // gone
    }
  }
  const own = process.cpuUsage();
  out['bench'] = (own.user + own.system) / 1e6;
  return out;
}

/** `after - before` per process. Pure. */
export function cpuBetween(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).filter(([name]) => name in before).map(([name, seconds]) => [name, Number((seconds - before[name]!).toFixed(2))]));
}
