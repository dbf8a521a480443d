interface DriverErrorShape {
  meta?: { driverAdapterError?: { cause?: { originalCode?: string; originalMessage?: string } } };
  code?: string;
}

/**
 * The name of the unique constraint or index a statement violated (SQLSTATE 23505), as
 * both driver adapters (pg and PGlite) report it, or 'unknown' for Prisma's own P2002;
 * undefined for any other error.
 */
export function uniqueViolation(error: unknown): string | undefined {
  const shape = error as DriverErrorShape | null;
  const cause = shape?.meta?.driverAdapterError?.cause;
  if (cause?.originalCode === '23505') return /unique constraint "([^"]+)"/.exec(cause.originalMessage ?? '')?.[1] ?? 'unknown';
  if (shape?.code === 'P2002') return 'unknown';
  return undefined;
}
