import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client.ts';
import { migrate, type MigrationResult } from './migrate.ts';
import { lockDataDir, type DataDirLock } from '../../infra/data-dir-lock.ts';
import type { SqlExecutor } from './sql-executor.ts';

export interface Database {
  readonly prisma: PrismaClient;
  readonly sql: SqlExecutor;
  readonly kind: 'pglite' | 'postgresql';
  readonly migration: MigrationResult;
  /**
   * Calls `onNotify` for every NOTIFY on `channel` (from any process on this database),
   * and once more after a lost listening connection is back, since notifications sent
   * meanwhile are gone. Resolves to a function that stops listening.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL; without it an embedded PGlite database is used. */
  url?: string | undefined;
  /** PGlite data directory; `memory://` (the default) keeps nothing on disk. */
  dataDir?: string | undefined;
  /** PostgreSQL schema to use (created if missing); lets tests share one server in isolation. */
  schema?: string | undefined;
  /** The setting that names `dataDir`, for the message when another process holds it. */
  dataDirSetting?: string | undefined;
}

/** The one factory that picks PostgreSQL (DATABASE_URL) or embedded PGlite, and migrates. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options.schema) : openPglite(options.dataDir ?? 'memory://', options.dataDirSetting ?? 'CLOUD_DATA_DIR');
}

async function openPglite(dataDir: string, setting: string): Promise<Database> {
  let lock: DataDirLock | undefined;
  if (!dataDir.startsWith('memory://')) {
    // PGlite is PostgreSQL in this process, with no postmaster to keep a second one out:
    // two processes on one directory corrupt it. The lock sits beside the directory, not
    // inside PostgreSQL's own files.
    lock = await lockDataDir({ dir: dataDir, file: `${dataDir.replace(/\/+$/, '')}.lock`, purpose: 'embedded database', setting });
    await mkdir(dataDir, { recursive: true });
  }
  let client: PGlite;
  let migration: MigrationResult;
  try {
    client = await PGlite.create(dataDir);
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const sql = pgliteExecutor(client);
  try {
    migration = await migrate(sql);
  } catch (error) {
    await client.close().catch(() => {});
    await lock?.release();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
  return {
    prisma,
    sql,
    kind: 'pglite',
    migration,
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, () => onNotify());
      return () => unlisten();
    },
    close: async () => {
      await prisma.$disconnect();
      await client.close();
      await lock?.release();
    },
  };
}

type PgliteLike = Pick<PGlite, 'exec' | 'query'> & { transaction: PGlite['transaction'] };

function pgliteExecutor(client: PgliteLike): SqlExecutor {
  return {
    exec: async (text) => {
      await client.exec(text);
    },
    query: async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
      (await client.query<Row>(text, params)).rows,
    transaction: (fn) =>
      client.transaction((tx) =>
        fn({
          exec: async (text) => {
            await tx.exec(text);
          },
          query: async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
            (await tx.query<Row>(text, params)).rows,
          transaction: () => Promise.reject(new Error('nested transactions are not supported')),
        }),
      ),
  };
}

async function openPostgres(url: string, schema: string | undefined): Promise<Database> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name: ${schema}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that loses its connection emits 'error' on the pool; without a
  // listener that would crash the process instead of failing the next query.
  pool.on('error', () => {});
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const sql = pgExecutor(pool);
  const migration = await migrate(sql);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, schema ? { schema } : undefined) });
  return {
    prisma,
    sql,
    kind: 'postgresql',
    migration,
    listen: (channel, onNotify) => listenPostgres(url, channel, onNotify),
    close: async () => {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

function pgExecutor(pool: pg.Pool): SqlExecutor {
  const onClient = (client: pg.PoolClient): SqlExecutor => ({
    exec: async (text) => {
      await client.query(text);
    },
    query: async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
      (await client.query<Row>(text, params)).rows,
    transaction: () => Promise.reject(new Error('nested transactions are not supported')),
  });
  return {
    exec: async (text) => {
      await pool.query(text);
    },
    query: async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
      (await pool.query<Row>(text, params)).rows,
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(onClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

const RELISTEN_MIN_MS = 250;
const RELISTEN_MAX_MS = 10_000;

/**
 * LISTEN needs a connection of its own for as long as it listens, outside the pool. When
 * it drops (PostgreSQL restarted, network), it is opened again with backoff and the caller
 * is told once it is back, to catch up on what it missed.
 */
async function listenPostgres(url: string, channel: string, onNotify: () => void): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid channel name: ${channel}`);
  let stopped = false;
  let current: pg.Client | undefined;
  let delay = RELISTEN_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    client.on('error', () => reconnect(client));
    client.on('end', () => reconnect(client));
    current = client;
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    delay = RELISTEN_MIN_MS;
  };
  const reconnect = (client: pg.Client): void => {
    if (stopped || current !== client || timer !== undefined) return;
    current = undefined;
    client.end().catch(() => {});
    timer = setTimeout(() => {
      timer = undefined;
      connect().then(onNotify, (error: unknown) => {
        void error;
        delay = Math.min(delay * 2, RELISTEN_MAX_MS);
        if (current !== undefined) reconnect(current);
      });
    }, delay);
    timer.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    await current?.end().catch(() => {});
  };
}
