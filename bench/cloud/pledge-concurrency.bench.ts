// Double-pledge race benchmark: `npx tsx bench/cloud/pledge-concurrency.bench.ts`.
// 1,000 pledge attempts fired at once through the HTTP API (fastify inject, JWT checked)
// on 100 receipts: every receipt offered to 10 facilities of two banks. Exactly 100 must
// succeed and the other 900 get 409; reports attempts per second. PostgreSQL when
// DATABASE_URL is set, PGlite otherwise; BENCH_SCALE=small runs a tenth. The last line
// printed is a JSON summary.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createLogger } from '../../infra/logger.ts';
import { buildCloudApp } from '../../cloud/app.ts';
import { loadCloudConfig } from '../../cloud/config.ts';
import { createUserRepository } from '../../cloud/auth/user-repository.ts';
import { createDomainEventBus } from '../../cloud/domain-events/domain-event-bus.ts';
import { benchScale, openBenchDatabase } from './bench-database.ts';

export interface PledgeBenchOptions {
  readonly receipts?: number;
  readonly facilities?: number;
  readonly log?: (line: string) => void;
}

export interface PledgeBenchSummary {
  readonly bench: 'cloud-pledge-concurrency';
  readonly database: 'pglite' | 'postgresql';
  readonly receipts: number;
  readonly attempts: number;
  readonly succeeded: number;
  readonly conflicts: number;
  readonly otherStatuses: Record<string, number>;
  readonly activePledgesInDatabase: number;
  readonly exactlyOneWinnerPerReceipt: boolean;
  readonly wallMs: number;
  readonly attemptsPerSec: number;
  /** CPU of this process (HTTP, JWT, Prisma) over the wall time: near 100 means Node, not the database, is the limit. */
  readonly nodeCpuPercent: number;
}

export async function run(options: PledgeBenchOptions = {}): Promise<PledgeBenchSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const receiptCount = options.receipts ?? Math.max(10, Math.round(100 * benchScale()));
  const facilityCount = options.facilities ?? 10;
  const db = await openBenchDatabase();
  const quiet = createLogger('bench', { level: 'silent' });
  const app = await buildCloudApp({ db, log: quiet, bus: createDomainEventBus(quiet), config: loadCloudConfig({}) });
  await app.ready();
  try {
    const users = createUserRepository(db.prisma);
    for (const [id, kind] of [['bank-1', 'bank'], ['bank-2', 'bank'], ['wh-1', 'warehouse_operator'], ['ops', 'platform']] as const) await users.upsertTenant({ id, name: id, kind });
    await users.upsertSite({ id: 'site-1', tenantId: 'wh-1', name: 'Site 1', timezone: 'UTC' });
    const caller = async (tid: string, role: 'lender' | 'warehouse_operator' | 'admin') => {
      // Tokens must name an existing, enabled user (auth checks the account per request);
      // the password hash never matches, as nobody logs in.
      const sub = randomUUID();
      const email = `${role}@${tid}.bench`;
      await db.prisma.user.create({ data: { id: sub, tenantId: tid, email, name: email, role, passwordHash: 'scrypt$16384$8$1$AA==$AA=' } });
      const token = app.jwt.sign({ sub, tid, role, email });
      return (method: 'POST' | 'GET', url: string, payload?: object) => app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    };
    const admin = await caller('ops', 'admin');
    const operator = await caller('wh-1', 'warehouse_operator');
    const lenders = [await caller('bank-1', 'lender'), await caller('bank-2', 'lender')];
    const day = 86_400_000;
    for (const [i, price] of ['8000', '8120', '7990'].entries()) {
      await admin('POST', '/api/v1/prices', { commodity: 'copper', price: { amount: price, currency: 'USD' }, unit: 't', ts: new Date(Date.now() - (3 - i) * day).toISOString() });
    }
    const validUntil = new Date(Date.now() + 365 * day).toISOString();
    const receipts: string[] = [];
    for (let i = 0; i < receiptCount; i++) {
      const res = await operator('POST', '/api/v1/receipts', {
        siteId: 'site-1', zone: 'Z', lotId: `LOT-${i}`, commodity: 'copper', grade: 'A', quantity: { value: '100', unit: 't' },
        epcs: [`30740000000000${i.toString(16).padStart(10, '0').toUpperCase()}`], depositor: { ref: 'BORROWER', name: 'Borrower' }, validUntil,
      });
      receipts.push((res.json() as { id: string }).id);
    }
    const facilities: { id: string; lender: number }[] = [];
    for (let f = 0; f < facilityCount; f++) {
      const lender = f % 2;
      const res = await lenders[lender]?.('POST', '/api/v1/facilities', {
        reference: `F-${f}`, borrower: { ref: 'BORROWER', name: 'Borrower' }, limit: { amount: '100000000', currency: 'USD' },
        validFrom: new Date(Date.now() - day).toISOString(), validUntil, annualRate: '0.08',
      });
      facilities.push({ id: (res?.json() as { id: string }).id, lender });
    }
    const attempts = receipts.flatMap((receiptId) => facilities.map((f) => ({ receiptId, ...f })));
    attempts.sort(() => Math.random() - 0.5);
    log(`${attempts.length} pledge attempts on ${receiptCount} receipts from ${facilityCount} facilities at once, on ${db.kind}`);

    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const results = await Promise.all(attempts.map(async (a) => ({ ...a, status: (await lenders[a.lender]?.('POST', '/api/v1/pledges', { receiptId: a.receiptId, facilityId: a.id }))?.statusCode ?? 0 })));
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);

    const statuses: Record<string, number> = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const winnersPerReceipt = new Map<string, number>();
    for (const r of results) if (r.status === 201) winnersPerReceipt.set(r.receiptId, (winnersPerReceipt.get(r.receiptId) ?? 0) + 1);
    const [active] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pledge WHERE status = 'active'`);
    const { 201: succeeded = 0, 409: conflicts = 0, ...otherStatuses } = statuses;
    const summary: PledgeBenchSummary = {
      bench: 'cloud-pledge-concurrency',
      database: db.kind,
      receipts: receiptCount,
      attempts: attempts.length,
      succeeded,
      conflicts,
      otherStatuses,
      activePledgesInDatabase: active?.n ?? -1,
      exactlyOneWinnerPerReceipt: receipts.every((id) => winnersPerReceipt.get(id) === 1) && active?.n === receiptCount,
      wallMs: Math.round(wallMs),
      attemptsPerSec: Math.round((attempts.length / wallMs) * 1000),
      nodeCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
    };
    log(JSON.stringify(summary));
    if (!summary.exactlyOneWinnerPerReceipt) process.exitCode = 1;
    return summary;
  } finally {
    await app.close();
    await db.close();
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await run();
