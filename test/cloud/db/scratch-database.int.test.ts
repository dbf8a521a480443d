import { describe, expect, it } from 'vitest';
import { openScratchDatabase } from '../../../cloud/db/scratch-database.ts';

describe('openScratchDatabase (tests and benches share it)', () => {
  it('opens migrated databases that do not see each other’s rows', async () => {
    const url = process.env.DATABASE_URL;
    const [a, b] = await Promise.all([openScratchDatabase({ url, prefix: 'scratch' }), openScratchDatabase({ url, prefix: 'scratch' })]);
    try {
      await a.prisma.tenant.create({ data: { id: 'only-in-a', name: 'A', kind: 'bank' } });
      expect(await b.prisma.tenant.count({ where: { id: 'only-in-a' } })).toBe(0);
      expect(a.kind).toBe(url ? 'postgresql' : 'pglite');
    } finally {
      await b.close();
    }
    if (url) {
      const schema = (await a.sql.query<{ schema: string }>('SELECT current_schema() AS schema'))[0]?.schema ?? '';
      expect(schema).toMatch(/^scratch_[0-9a-f]{12}$/);
      await a.close();
      // Dropped on close: nothing is left behind on the shared server.
      const probe = await openScratchDatabase({ url, prefix: 'scratch' });
      try {
        expect(await probe.sql.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])).toEqual([]);
      } finally {
        await probe.close();
      }
    } else {
      await a.close();
    }
  });
});
