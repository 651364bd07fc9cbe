// Command-line parsing with kubectl's conventions (pure): flags may come before or after the
// command, `--flag value` and `--flag=value`, short forms `-n`, `-A`, `-l`, `-o`, `-f`. Anything
// the parser does not know is a UsageError, which the entry point prints as one line (exit 2).

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type FlagKind = 'boolean' | 'string' | 'strings';

export interface FlagSpec {
  /** Long name without dashes, e.g. `all-namespaces`. */
  name: string;
  short?: string;
  kind: FlagKind;
  help: string;
  /** Allowed values of a string flag. */
  choices?: readonly string[];
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  command: string | undefined;
  flags: FlagValues;
  positionals: string[];
}

/** kubectl's flags every command takes. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'kubeconfig', kind: 'string', help: 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).' },
  { name: 'context', kind: 'string', help: 'The kubeconfig context to use.' },
  { name: 'namespace', short: 'n', kind: 'string', help: "Namespace of VolumePairs (default: the context's namespace, else default)." },
  { name: 'all-namespaces', short: 'A', kind: 'boolean', help: 'VolumePairs of every namespace.' },
  { name: 'selector', short: 'l', kind: 'string', help: 'Label selector, e.g. app=db (=, ==, !=, in, notin, exists).' },
  { name: 'operator-namespace', kind: 'string', help: 'Namespace of the operator (Lease, default for Secret references). Default: elementrepl-system.' },
  { name: 'output', short: 'o', kind: 'string', choices: ['table', 'json', 'yaml'], help: 'Output format: table, json or yaml.' },
  { name: 'help', short: 'h', kind: 'boolean', help: 'Show help.' },
];

function findFlag(specs: readonly FlagSpec[], token: string): FlagSpec | undefined {
  if (token.startsWith('--')) return specs.find((s) => s.name === token.slice(2));
  return specs.find((s) => s.short !== undefined && s.short === token.slice(1));
}

/**
 * Parses `argv` (without node and the script). `commandFlags(command)` gives the flags of a known
 * command, or undefined for an unknown one.
 */
export function parseArgs(argv: readonly string[], commandFlags: (command: string) => readonly FlagSpec[] | undefined): ParsedArgs {
  // The command is the first token that is neither a flag nor a flag's value; find it first so
  // that its own flags are known wherever they stand.
  let command: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] as string;
    if (token === '--') break;
    if (!token.startsWith('-') || token === '-') {
      command = token;
      break;
    }
    const spec = findFlag(GLOBAL_FLAGS, token.split('=')[0] as string);
    if (spec !== undefined && spec.kind !== 'boolean' && !token.includes('=')) i += 1;
  }
  const own = command === undefined ? [] : commandFlags(command);
  if (command !== undefined && own === undefined) throw new UsageError(`unknown command "${command}"; see --help`);
  const specs = [...GLOBAL_FLAGS, ...(own ?? [])];

  const flags: FlagValues = {};
  const positionals: string[] = [];
  let commandSeen = false;
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] as string;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      if (!commandSeen && token === command) commandSeen = true;
      else positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = eq === -1 ? token : token.slice(0, eq);
    const spec = findFlag(specs, name);
    if (spec === undefined) throw new UsageError(`unknown flag ${name}${command === undefined ? '' : ` for "${command}"`}; see --help`);
    if (spec.kind === 'boolean') {
      if (eq !== -1) {
        const raw = token.slice(eq + 1);
        if (raw !== 'true' && raw !== 'false') throw new UsageError(`flag ${name} takes true or false, not "${raw}"`);
        flags[spec.name] = raw === 'true';
      } else {
        flags[spec.name] = true;
      }
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      value = argv[i + 1];
      i += 1;
    }
    if (value === undefined || value === '') throw new UsageError(`flag ${name} needs a value`);
    if (spec.choices !== undefined && !spec.choices.includes(value)) throw new UsageError(`flag ${name} must be one of ${spec.choices.join(', ')}, not "${value}"`);
    if (spec.kind === 'strings') flags[spec.name] = [...((flags[spec.name] as string[] | undefined) ?? []), value];
    else flags[spec.name] = value;
  }
  return { command, flags, positionals };
}

export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanFlag(flags: FlagValues, name: string): boolean {
  return flags[name] === true;
}

export function stringsFlag(flags: FlagValues, name: string): string[] {
  const value = flags[name];
  return Array.isArray(value) ? value : [];
}

export type OutputFormat = 'table' | 'json' | 'yaml';

export function outputFormat(flags: FlagValues): OutputFormat {
  return (stringFlag(flags, 'output') ?? 'table') as OutputFormat;
}
