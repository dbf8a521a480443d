import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from './database.ts';

/**
 * A throw-away, migrated database for tests and benchmarks: a fresh in-memory PGlite,
 * or, given a PostgreSQL URL, a fresh schema on that server (named `prefix` and random
 * hex) that is dropped on close, so concurrent runs never see each other's rows.
 */
export async function openScratchDatabase(options: { url?: string | undefined; prefix: string }): Promise<Database> {
  if (!options.url) return openDatabase();
  const schema = `${options.prefix}_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase({ url: options.url, schema });
  return {
    ...db,
    close: async () => {
      // Best effort: a schema left behind costs disk, not correctness.
      await db.sql.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
      await db.close();
    },
  };
}
