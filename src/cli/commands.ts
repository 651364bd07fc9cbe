// The commands of kubectl-elementrepl: one entry each (name, flags, run).
import { APPROVE_RESYNC_FLAGS, runApproveResync } from './approve-resync.ts';
import type { FlagSpec } from './args.ts';
import { GLOBAL_FLAGS } from './args.ts';
import type { CliContext } from './context.ts';
import { DOCTOR_FLAGS, runDoctor } from './doctor.ts';
import { PLAN_FLAGS, runPlan } from './plan.ts';
import { STATUS_FLAGS, runStatus } from './status.ts';
import { DR_FLAGS, drCommand } from './switchover.ts';

export interface Command {
  summary: string;
  usage: string;
  flags: readonly FlagSpec[];
  /** Resolves to the exit code. */
  run(context: CliContext): Promise<number>;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  status: {
    summary: 'Every ClusterPair and VolumePair: primary side, mode, state, lag, Ready and why.',
    usage: 'status [clusterpairs|volumepairs] [-A] [-n NS] [-l SELECTOR] [-w] [-o table|json|yaml]',
    flags: STATUS_FLAGS,
    run: runStatus,
  },
  plan: {
    summary: 'What the operator would do to Element for the pairs in these files (read-only; exit 3 if one would stall).',
    usage: 'plan -f FILE|DIR [-f …] [-n NS] [--credentials EC=NS/SECRET …] [-o table|json|yaml]',
    flags: PLAN_FLAGS,
    run: runPlan,
  },
  doctor: {
    summary: 'Check the install: CRDs, operator leader, ElementClusters, Secret access and annotations.',
    usage: 'doctor [--operator-namespace NS] [--operator-service-account SA | --operator-user USER] [-l SELECTOR]',
    flags: DOCTOR_FLAGS,
    run: runDoctor,
  },
  switchover: {
    summary: 'Planned switchover: make side A or B the primary of these VolumePairs (no write lost).',
    usage: 'switchover VOLUMEPAIR… | --cluster-pair NAME [-n NS] --to A|B [--wait [--timeout DUR]] [--force]',
    flags: DR_FLAGS,
    run: drCommand('Planned'),
  },
  failover: {
    summary: 'Forced failover for a lost site: promote side A or B now (unreplicated writes are lost).',
    usage: 'failover VOLUMEPAIR… | --cluster-pair NAME [-n NS] --to A|B [--wait [--timeout DUR]] [--force]',
    flags: DR_FLAGS,
    run: drCommand('Forced'),
  },
  'approve-resync': {
    summary: 'Show what a ResyncRequired resync overwrites, confirm, and write the approval.',
    usage: 'approve-resync VOLUMEPAIR [-n NS] [--yes]',
    flags: APPROVE_RESYNC_FLAGS,
    run: runApproveResync,
  },
};

function flagLine(f: FlagSpec): string {
  const names = `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.kind === 'boolean' ? '' : ' VALUE'}`;
  return `  ${names.padEnd(34)} ${f.help}`;
}

export function helpText(command?: string): string {
  const program = 'kubectl elementrepl';
  const entry = command === undefined ? undefined : COMMANDS[command];
  if (entry !== undefined) {
    return `${entry.summary}\n\nUsage:\n  ${program} ${entry.usage}\n\nFlags:\n${[...entry.flags, ...GLOBAL_FLAGS].map(flagLine).join('\n')}\n`;
  }
  const list = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(15)} ${c.summary}`).join('\n');
  return (
    `Element replication at a glance, a read-only plan, health checks, and disaster recovery.\n\nUsage:\n  ${program} COMMAND [flags]\n\nCommands:\n${list}\n\n` +
    `Global flags:\n${GLOBAL_FLAGS.map(flagLine).join('\n')}\n\nExit codes: 0 ok, 1 failed, 2 bad usage, 3 plan found a resource that would stall.\n`
  );
}
