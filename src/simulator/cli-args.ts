// Command-line parsing for element-sim. Errors name the offending flag.
import { parseArgs } from 'node:util';
import type { LevelWithSilent } from 'pino';
import { applyBehaviourPatch, defaultBehaviour, patchFromAssignment } from './behaviour.ts';
import type { BehaviourPatch } from './behaviour.ts';
import type { SimulatorClusterSpec, SimulatorOptions } from './simulator.ts';

export const USAGE = `Usage: element-sim [options]

Starts simulated NetApp Element clusters on 127.0.0.1 and prints one JSON line:
  {"adminUrl": ..., "caFile": ..., "clusters": [{"name", "mvip", "url", "username", "password"}]}

Options:
  --clusters A,B[@VERSION]  cluster names, optionally with an Element version (default PROD,DR)
  --username NAME           API user of every cluster (default admin)
  --password PASS           API password of every cluster (default admin)
  --latency-ms N            latency added to every JSON-RPC call (default 0)
  --resume-delay-ms N       length of the Resuming* phase before Active (default 300)
  --connect-delay-ms N      Connecting → Connected delay of cluster pairs (default 500)
  --state-dir DIR           keep state, ports and CA in DIR across restarts
  --admin-port N            port of the admin API (default: any free port)
  --set KEY=VALUE           behaviour switch, e.g. --set orphanedClusterPairStatus=Disconnected
                            or --set errorNames.clusterPairLimit=xExceededLimit (repeatable)
  --log-level LEVEL         fatal|error|warn|info|debug|trace|silent (default info, on stderr)
  --help                    this text
`;

export class UsageError extends Error {}

export interface CliConfig {
  help: boolean;
  logLevel: LevelWithSilent;
  options: SimulatorOptions;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function nonNegativeInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} expects a non-negative integer, got '${value}'`);
  return Number(value);
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.length === 0) throw new UsageError(`--${flag} must not be empty`);
  return value;
}

function parseClusters(value: string | undefined): SimulatorClusterSpec[] | undefined {
  if (value === undefined) return undefined;
  const specs = value.split(',').map((item) => item.trim());
  const names = new Set<string>();
  return specs.map((item) => {
    const [name = '', elementVersion, ...rest] = item.split('@');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name) || rest.length > 0) throw new UsageError(`--clusters: invalid cluster '${item}'`);
    if (elementVersion !== undefined && !/^\d+\.\d+(\.\d+){0,2}$/.test(elementVersion)) {
      throw new UsageError(`--clusters: invalid Element version '${elementVersion}' for ${name}`);
    }
    if (names.has(name)) throw new UsageError(`--clusters: duplicate cluster '${name}'`);
    names.add(name);
    return elementVersion === undefined ? { name } : { name, elementVersion };
  });
}

export function parseCli(argv: string[]): CliConfig {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        clusters: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        'latency-ms': { type: 'string' },
        'resume-delay-ms': { type: 'string' },
        'connect-delay-ms': { type: 'string' },
        'state-dir': { type: 'string' },
        'admin-port': { type: 'string' },
        set: { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  let behaviour: BehaviourPatch = {};
  for (const assignment of v.set ?? []) {
    try {
      const patch = patchFromAssignment(assignment);
      behaviour = { ...behaviour, ...patch, errorNames: { ...behaviour.errorNames, ...patch.errorNames } };
    } catch (error) {
      throw new UsageError(`--set ${assignment}: ${(error as Error).message}`);
    }
  }
  applyBehaviourPatch(defaultBehaviour(), behaviour); // validates the combination early
  const logLevel = v['log-level'] ?? 'info';
  if (!(LEVELS as readonly string[]).includes(logLevel)) throw new UsageError(`--log-level: unknown level '${logLevel}'`);
  const adminPort = nonNegativeInt('admin-port', v['admin-port']);
  if (adminPort !== undefined && adminPort > 65535) throw new UsageError(`--admin-port: ${adminPort} is not a port`);
  const options: SimulatorOptions = {
    clusters: parseClusters(v.clusters),
    username: nonEmpty('username', v.username),
    password: nonEmpty('password', v.password),
    latencyMs: nonNegativeInt('latency-ms', v['latency-ms']),
    resumeDelayMs: nonNegativeInt('resume-delay-ms', v['resume-delay-ms']),
    connectDelayMs: nonNegativeInt('connect-delay-ms', v['connect-delay-ms']),
    stateDir: nonEmpty('state-dir', v['state-dir']),
    adminPort,
    behaviour,
  };
  return { help: v.help ?? false, logLevel: logLevel as LevelWithSilent, options };
}
