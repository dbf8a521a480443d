import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../support/test-database.ts';
import type { Database } from '../../../cloud/db/database.ts';
import { migrate } from '../../../cloud/db/migrate.ts';

/**
 * The SQL migrations create the tables; cloud/db/schema/*.prisma describes them to the client.
 * This keeps the two honest: every scalar field of every model must be a column of the
 * migrated database with a compatible type and nullability, and every table must be a model.
 */
interface PrismaField {
  model: string;
  table: string;
  column: string;
  type: string;
  optional: boolean;
}

const SCALAR_SQL_TYPES: Record<string, string[]> = {
  String: ['text', 'character varying', 'uuid'],
  Int: ['integer'],
  BigInt: ['bigint'],
  Boolean: ['boolean'],
  DateTime: ['timestamp with time zone', 'timestamp without time zone', 'date'],
  Json: ['jsonb', 'json'],
  Decimal: ['numeric'],
  Float: ['double precision'],
  Bytes: ['bytea'],
};

async function prismaFields(): Promise<{ fields: PrismaField[]; tables: Set<string> }> {
  const dir = new URL('../../../cloud/db/schema/', import.meta.url);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.prisma'));
  const text = (await Promise.all(files.map((f) => readFile(new URL(f, dir), 'utf8')))).join('\n');
  const enums = new Set([...text.matchAll(/^enum\s+(\w+)\s*\{/gm)].map((m) => m[1] ?? ''));
  const fields: PrismaField[] = [];
  const tables = new Set<string>();
  for (const block of text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const model = block[1] ?? '';
    const body = block[2] ?? '';
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? model;
    tables.add(table);
    for (const line of body.split('\n')) {
      const m = /^\s*(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!m || line.trim().startsWith('//') || line.trim().startsWith('@@')) continue;
      const [, name = '', type = '', list, optional, rest = ''] = m;
      if (!(type in SCALAR_SQL_TYPES) && !enums.has(type)) continue; // relation field
      if (list) continue;
      const column = /@map\("([^"]+)"\)/.exec(rest)?.[1] ?? name;
      fields.push({ model, table, column, type: enums.has(type) ? 'enum' : type, optional: optional === '?' });
    }
  }
  return { fields, tables };
}

describe('database schema', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it('matches the Prisma schema column by column', async () => {
    const { fields, tables } = await prismaFields();
    const columns = await db.sql.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = current_schema()`,
    );
    const byKey = new Map(columns.map((c) => [`${c.table_name}.${c.column_name}`, c]));
    expect(fields.length).toBeGreaterThan(10);
    for (const f of fields) {
      const column = byKey.get(`${f.table}.${f.column}`);
      expect(column, `${f.model}.${f.column} (table ${f.table}) is missing from the migrations`).toBeDefined();
      if (!column) continue;
      if (f.type !== 'enum') {
        expect(SCALAR_SQL_TYPES[f.type], `${f.table}.${f.column}: ${column.data_type} for Prisma ${f.type}`).toContain(column.data_type);
      }
      expect(column.is_nullable === 'YES', `${f.table}.${f.column} nullability`).toBe(f.optional);
    }
    const migratedTables = new Set(columns.map((c) => c.table_name).filter((t) => t !== 'schema_migrations'));
    expect([...migratedTables].sort()).toEqual([...tables].sort());
  });

  it('applies each migration once, also when asked again', async () => {
    const again = await migrate(db.sql);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThan(0);
  });

  it('keeps the event log append-only', async () => {
    await db.sql.exec(`INSERT INTO gateway (id, site_id, token_hash) VALUES ('gw-x', 's1', 'x')`);
    await db.sql.exec(`INSERT INTO event (id, gateway_id, seq, site, ts, type, severity, body, prev_hash, hash, sig)
      VALUES ('00000000-0000-4000-8000-000000000001', 'gw-x', 1, 's1', now(), 'device.online', 'info', '{}', 'p', 'h', 's')`);
    await expect(db.sql.exec(`UPDATE event SET severity = 'critical'`)).rejects.toThrow(/append-only/);
    await expect(db.sql.exec(`DELETE FROM event`)).rejects.toThrow(/append-only/);
  });
});
