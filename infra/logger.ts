import { pino, type Logger, type LoggerOptions } from 'pino';
import { ConfigError } from './config-error.ts';

export type { Logger };

/**
 * How log lines are written: JSON lines for machines (a file, a pipe, a log shipper), or
 * one readable coloured line per entry for a person at a terminal. LOG_FORMAT chooses;
 * by default a terminal gets `pretty` and anything else `json`.
 */
export function logFormat(env: NodeJS.ProcessEnv = process.env, isTerminal = process.stdout.isTTY === true): 'json' | 'pretty' {
  const chosen = env.LOG_FORMAT?.trim();
  if (chosen === undefined || chosen === '') return isTerminal && !env.VITEST ? 'pretty' : 'json';
  if (chosen === 'json' || chosen === 'pretty') return chosen;
  throw new ConfigError('LOG_FORMAT', `must be json or pretty, got "${chosen}"`);
}

/**
 * One structured logger per process; components take a child with their name.
 * LOG_LEVEL picks the level; tests default to `silent` so their output stays readable.
 * Pretty printing runs in pino's transport worker thread, off the event loop.
 */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const fallback = process.env.VITEST ? 'silent' : 'info';
  const settings: LoggerOptions = { name, level: process.env.LOG_LEVEL ?? fallback, ...options };
  if (logFormat() === 'json') return pino(settings);
  return pino(settings, pino.transport({ target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } }));
}

/**
 * Bad input from devices can arrive thousands of times a second; logging each one would
 * drown the log and the disk. This logs the first occurrence per key per window and
 * counts the rest, so the log still says how much was dropped.
 */
export function createRateLimitedLog(log: Logger, windowMs = 60_000, now: () => number = Date.now) {
  const lastLogged = new Map<string, { at: number; suppressed: number }>();
  return (key: string, message: string, fields: Record<string, unknown> = {}): void => {
    const t = now();
    const entry = lastLogged.get(key);
    if (entry && t - entry.at < windowMs) {
      entry.suppressed += 1;
      return;
    }
    const suppressed = entry?.suppressed ?? 0;
    lastLogged.set(key, { at: t, suppressed: 0 });
    log.warn({ ...fields, key, suppressedSinceLast: suppressed }, message);
  };
}
