import type { Database } from '../../cloud/db/database.ts';
import { openScratchDatabase } from '../../cloud/db/scratch-database.ts';

/**
 * An isolated, migrated database per test file: a fresh in-memory PGlite, or, when
 * DATABASE_URL is set, a fresh schema on that PostgreSQL server, dropped on close.
 */
export function openTestDatabase(): Promise<Database> {
  return openScratchDatabase({ url: process.env.DATABASE_URL, prefix: 't' });
}
