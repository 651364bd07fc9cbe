// The operator's pino logger: JSON lines by default, pretty on a developer's terminal, and secrets
// scrubbed twice — by field path (pino `redact`) and, as the last step before a line is written,
// by content (pairing keys, Basic/Bearer credentials, password=… in messages, error messages and
// stacks, at any depth).
import { createRequire } from 'node:module';
import pino from 'pino';
import type { DestinationStream, LevelWithSilent, Logger } from 'pino';
import { REDACTED, scrubText, scrubValue } from './redact.ts';

export type { Logger } from 'pino';
export type LogLevel = LevelWithSilent;

export interface LoggerOptions {
  level: LogLevel;
  /** true: pretty when pino-pretty is installed; false: JSON; absent: pretty only when stdout is a TTY. */
  pretty?: boolean;
  /** Where lines go (tests capture them here); stdout when absent. Never prettified. */
  destination?: DestinationStream;
}

// Structured redaction by path. @pinojs/redact matches `*` one level at a time, so the common
// depths are spelled out; deeper fields are caught by the content scrubber below.
const SECRET_FIELDS = ['password', 'clusterPairingKey', 'volumePairingKey', 'pairingKey', 'authorization', 'token', 'secret'];
const HEADER_HOLDERS = ['headers', 'req.headers', 'request.headers', 'options.headers'];

export const redactPaths: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  ...HEADER_HOLDERS.flatMap((holder) => [`${holder}.authorization`, `${holder}.Authorization`, `*.${holder}.authorization`]),
];

export function createLogger(options: LoggerOptions): Logger {
  const stream = options.destination ?? prettyStream(options.pretty);
  return pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      redact: { paths: [...redactPaths], censor: REDACTED },
      // streamWrite sees the finished line: message, bindings, serialized errors (message, stack,
      // cause) and every nested field, which `formatters.log`/`logMethod` would each miss a part of.
      hooks: { streamWrite: scrubLine },
    },
    stream,
  );
}

/**
 * The logger of one reconcile. Every line carries `controller`, `key` (the resource key,
 * `namespace/name` or `name`) and `reconcileID`, as controller-runtime's do, so one reconcile can
 * be followed with a single query. Messages stay static; put data in fields:
 * `reconcileLogger(log, 'volumepair', 'db/pair-1', randomUUID()).info({ step }, 'running step')`.
 */
export function reconcileLogger(base: Logger, controller: string, key: string, reconcileID: string): Logger {
  return base.child({ controller, key, reconcileID });
}

function scrubLine(line: string): string {
  try {
    return `${JSON.stringify(scrubValue(JSON.parse(line)))}\n`;
  } catch {
    // Not JSON (should not happen): the text patterns still apply.
    return scrubText(line);
  }
}

// pino-pretty is a devDependency: absent from the production image, where this falls back to JSON.
// It runs as an in-process synchronous stream (no worker thread), so the scrub hook applies to it.
function prettyStream(pretty: boolean | undefined): DestinationStream | undefined {
  if (!(pretty ?? process.stdout.isTTY === true)) return undefined;
  try {
    const load = createRequire(import.meta.url);
    const build = load('pino-pretty') as (options: object) => DestinationStream;
    return build({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return undefined;
  }
}
