import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../cloud/db/database.ts';

/**
 * The database a cloud bench measures: PostgreSQL when DATABASE_URL is set (in a schema
 * of its own, dropped afterwards, so runs never see each other's rows), else an
 * in-memory PGlite.
 */
export async function openBenchDatabase(url = process.env.DATABASE_URL): Promise<Database> {
  if (!url) return openDatabase();
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const db = await openDatabase({ url, schema });
  return {
    ...db,
    close: async () => {
      await db.sql.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
      await db.close();
    },
  };
}

export function benchScale(): number {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === '') return 1;
  if (raw === 'small') return 0.1;
  const scale = Number(raw);
  if (!(scale > 0)) throw new RangeError(`BENCH_SCALE must be "small" or a positive number, got ${raw}`);
  return scale;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
