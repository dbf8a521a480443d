// One catalogue of the outbox's typed errors, each with a stable `code`.

export class OutboxError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The size bound is reached and only warning/critical records are left to keep. */
export class OutboxFullError extends OutboxError {
  constructor(message: string) {
    super('OUTBOX_FULL', message);
  }
}

/**
 * The filesystem refused the write (ENOSPC/EDQUOT). Nothing of the failed append is
 * kept; the store stays usable and the same records may be appended again.
 */
export class DiskFullError extends OutboxError {
  constructor(cause: unknown) {
    super('OUTBOX_DISK_FULL', 'no space left on the outbox filesystem', { cause });
  }
}

export class OutboxClosedError extends OutboxError {
  constructor() {
    super('OUTBOX_CLOSED', 'the outbox store is not open');
  }
}

/** `seq` must rise strictly across appends: ack and peek rely on that order. */
export class OutboxSequenceError extends OutboxError {
  constructor(message: string) {
    super('OUTBOX_SEQUENCE', message);
  }
}

export class InvalidRecordError extends OutboxError {
  constructor(message: string) {
    super('OUTBOX_INVALID_RECORD', message);
  }
}

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

export function isDiskFull(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    DISK_FULL_CODES.has(error.code)
  );
}

/** Filesystem errors of interest are re-typed; others pass through unchanged. */
export function mapWriteError(error: unknown): unknown {
  return isDiskFull(error) ? new DiskFullError(error) : error;
}
