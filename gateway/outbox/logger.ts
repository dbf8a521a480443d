// The slice of a pino logger the outbox uses, so any pino child logger fits and
// tests can pass a silent one.

export interface OutboxLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const ignore = (): void => undefined;

export const silentLogger: OutboxLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/** Calls a user callback without letting its failure break the caller. */
export function callSafely<T>(logger: OutboxLogger, name: string, callback: ((value: T) => void) | undefined, value: T): void {
  if (callback === undefined) return;
  try {
    callback(value);
  } catch (error) {
    logger.error({ err: error, callback: name }, 'outbox callback threw');
  }
}
