import type { Database } from '../../cloud/db/database.ts';
import { openScratchDatabase } from '../../cloud/db/scratch-database.ts';

/**
 * The database a cloud bench measures: PostgreSQL when DATABASE_URL is set (in a schema
 * of its own, dropped afterwards, so runs never see each other's rows), else an
 * in-memory PGlite.
 */
export function openBenchDatabase(url = process.env.DATABASE_URL): Promise<Database> {
  return openScratchDatabase({ url, prefix: 'bench' });
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
