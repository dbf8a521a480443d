import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCloudApp } from '../../../cloud/app.ts';
import { loadCloudConfig } from '../../../cloud/config.ts';
import { openDatabase, type Database } from '../../../cloud/db/database.ts';
import { createDomainEventBus, type DomainEventBus } from '../../../cloud/domain-events/domain-event-bus.ts';
import { createLogger } from '../../../infra/logger.ts';
import { seedTenants, TEST_TENANTS, tokenHolder } from '../../support/cloud-app.ts';
import { openSse, type SseStream } from '../../support/sse-client.ts';

interface Replica {
  app: FastifyInstance;
  bus: DomainEventBus;
  url: string;
}

// Two cloud replicas on one database (issue 20): what one publishes reaches the live
// streams of the other through PostgreSQL (LISTEN/NOTIFY and live_message), and a viewer
// may resume on either with the id the other gave. On PostgreSQL (DATABASE_URL) each
// replica has its own pool and listening connection on one schema; embedded, both share
// the one PGlite database, as two processes cannot.
describe('live updates across two cloud replicas', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const databases: Database[] = [];
  const replicas: Replica[] = [];
  const streams: SseStream[] = [];
  let token = '';
  let otherToken = '';

  const open = async (replica: Replica, bearer: string, lastEventId?: string) => {
    const stream = await openSse(`${replica.url}/api/v1/live`, { authorization: `Bearer ${bearer}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) });
    streams.push(stream);
    await stream.next((e) => e.event === 'ready');
    return stream;
  };
  const change = (reason: string, tenantId = 'bank-a') => ({ tenantId, facilityId: null, receiptId: null, reason, detail: {} });

  beforeAll(async () => {
    const url = process.env.DATABASE_URL;
    for (let i = 0; i < 2; i += 1) {
      const db = url ? await openDatabase({ url, schema }) : (databases[0] ?? (await openDatabase()));
      if (!databases.includes(db)) databases.push(db);
      const log = createLogger(`replica-${i}`);
      const bus = createDomainEventBus(log);
      const config = loadCloudConfig({ JOB_POLL_MS: '0', JWT_SECRET: 'replicas-share-this-secret-0123456789abcdef' });
      const app = await buildCloudApp({ db, log, bus, config });
      replicas.push({ app, bus, url: await app.listen({ host: '127.0.0.1', port: 0 }) });
    }
    const [a] = replicas;
    const [db] = databases;
    if (a === undefined || db === undefined) throw new Error('no replica');
    await seedTenants(db, TEST_TENANTS);
    const lender = tokenHolder(a.app, db, 'bank-a', 'lender');
    const other = tokenHolder(a.app, db, 'bank-b', 'lender');
    await lender.ready();
    await other.ready();
    token = lender.token;
    otherToken = other.token;
  }, 180_000);

  afterAll(async () => {
    for (const s of streams) s.close();
    for (const r of replicas) {
      await r.bus.idle();
      await r.app.close();
    }
    if (process.env.DATABASE_URL) await databases[0]?.sql.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    for (const db of databases) await db.close();
  });

  it("delivers what replica A publishes to a lender's stream on replica B, and only to that bank", async () => {
    const [a, b] = replicas as [Replica, Replica];
    const onB = await open(b, token);
    const otherOnB = await open(b, otherToken);
    a.bus.emit('collateral.changed', change('drawdown on A'));
    const got = await onB.next((e) => e.event === 'collateral.changed');
    expect(got.data).toMatchObject({ tenantId: 'bank-a', reason: 'drawdown on A' });
    a.bus.emit('collateral.changed', change('for bank-b', 'bank-b'));
    await otherOnB.next((e) => e.event === 'collateral.changed');
    expect(otherOnB.received.filter((e) => e.event === 'collateral.changed').map((e) => (e.data as { reason: string }).reason)).toEqual(['for bank-b']);
  });

  it('gives both replicas one order and one id for each message, so a viewer resumes on the other', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const onA = await open(a, token);
    const onB = await open(b, token);
    a.bus.emit('collateral.changed', change('first'));
    b.bus.emit('collateral.changed', change('second'));
    const firstOnA = await onA.next((e) => e.event === 'collateral.changed' && (e.data as { reason: string }).reason === 'first');
    const firstOnB = await onB.next((e) => e.event === 'collateral.changed' && (e.data as { reason: string }).reason === 'first');
    expect(firstOnB.id).toBe(firstOnA.id);
    await onA.next((e) => (e.data as { reason?: string } | null)?.reason === 'second');
    await onB.next((e) => (e.data as { reason?: string } | null)?.reason === 'second');
    onB.close();

    // Missed while away from B: replayed by A from the id B gave.
    b.bus.emit('collateral.changed', change('while away'));
    await onA.next((e) => (e.data as { reason?: string } | null)?.reason === 'while away');
    const resumed = await open(a, token, firstOnB.id);
    const replayed = await resumed.next((e) => (e.data as { reason?: string } | null)?.reason === 'while away');
    expect(resumed.received.filter((e) => e.event === 'collateral.changed').map((e) => (e.data as { reason: string }).reason)).toEqual(['second', 'while away']);
    expect(replayed.id).toMatch(/^[0-9a-f]{8}\.\d+$/);
  });
});
