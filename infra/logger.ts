import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * One structured logger per process; components take a child with their name.
 * LOG_LEVEL picks the level; tests default to `silent` so their output stays readable.
 */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const fallback = process.env.VITEST ? 'silent' : 'info';
  return pino({ name, level: process.env.LOG_LEVEL ?? fallback, ...options });
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
