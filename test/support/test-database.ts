import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../cloud/db/database.ts';

/**
 * An isolated, migrated database per test file: a fresh in-memory PGlite, or, when
 * DATABASE_URL is set, a fresh schema on that PostgreSQL server, dropped on close.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase({ url, schema });
  return {
    ...db,
    close: async () => {
      await db.sql.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
      await db.close();
    },
  };
}
