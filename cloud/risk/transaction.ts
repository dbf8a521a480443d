import type { Prisma, PrismaClient } from '../db/generated/client.ts';
import type { PostCommit } from './post-commit.ts';

export type Tx = Prisma.TransactionClient;

// Prisma's defaults (2 s to get a connection, 5 s to finish) are sized for a quiet
// database; a burst of concurrent pledges queues behind the pool (and, on PGlite,
// behind its single connection) for longer than that while each transaction itself
// stays short. The row locks taken inside still serialise what must be serialised.
const OPTIONS = { maxWait: 60_000, timeout: 60_000 } as const;

/** Runs `fn` in one interactive transaction. */
export function inTransaction<T>(prisma: PrismaClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(fn, OPTIONS);
}

/** The transaction of one collateral change: `fn`, then its audit entries, then commit. */
export function inChange<T>(prisma: PrismaClient, events: PostCommit, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(prisma, async (tx) => {
    const result = await fn(tx);
    await events.flushAudit(tx);
    return result;
  });
}

interface DriverErrorShape {
  meta?: { driverAdapterError?: { cause?: { originalCode?: string; originalMessage?: string } } };
}

/**
 * The name of the unique constraint or index a statement violated (SQLSTATE 23505), as
 * both driver adapters (pg and PGlite) report it; undefined for any other error.
 */
export function uniqueViolation(error: unknown): string | undefined {
  const cause = (error as DriverErrorShape | null)?.meta?.driverAdapterError?.cause;
  if (cause?.originalCode !== '23505') return undefined;
  return /unique constraint "([^"]+)"/.exec(cause.originalMessage ?? '')?.[1] ?? 'unknown';
}
