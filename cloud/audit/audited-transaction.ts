import type { Prisma, PrismaClient } from '../db/generated/client.ts';

export type Tx = Prisma.TransactionClient;

// Every audited change takes the audit head's row lock, so under load changes queue
// behind each other (and on PGlite behind its single connection) for longer than
// Prisma's defaults of 2 s to start and 5 s to finish, while each one stays short.
const OPTIONS = { maxWait: 60_000, timeout: 60_000 } as const;

/** One interactive transaction: the change and its audit entries commit together. */
export function inAuditedTransaction<T>(prisma: PrismaClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(fn, OPTIONS);
}

interface DriverErrorShape {
  meta?: { driverAdapterError?: { cause?: { originalCode?: string; originalMessage?: string } } };
  code?: string;
}

/** The unique constraint a statement violated (SQLSTATE 23505) as pg and PGlite report it. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  const shape = error as DriverErrorShape | null;
  const cause = shape?.meta?.driverAdapterError?.cause;
  if (cause?.originalCode === '23505') return /unique constraint "([^"]+)"/.exec(cause.originalMessage ?? '')?.[1] ?? 'unknown';
  if (shape?.code === 'P2002') return 'unknown';
  return undefined;
}
