// Logging: JSON lines on stderr for the CLI (stdout carries only the ready line), silent in-process.
import { pino } from 'pino';
import type { Logger, LevelWithSilent } from 'pino';

export function createLogger(level: LevelWithSilent): Logger {
  return pino({ name: 'element-sim', level }, pino.destination(2));
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
