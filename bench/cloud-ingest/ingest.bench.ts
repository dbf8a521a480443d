// Ingestion benchmark (issue 8): `npx tsx bench/cloud-ingest/ingest.bench.ts`.
// Signed, chained batches go through the real route, POST /api/v1/gateways/{id}/events
// (JSON parsing, schema validation, gateway token, hash and Ed25519 check of every
// event, chain and sequence against the stored head, the append-only insert, and the
// bus listeners of collateral and alerts that follow), several gateways at once as a
// site's gateways would. The baseline inserts the very same rows with the same
// multi-row INSERT and nothing else, into a fresh schema of the same database in the
// same run. PostgreSQL when DATABASE_URL is set, PGlite otherwise; BENCH_SCALE=small
// runs 2 %. Target: >= 5,000 events/s verified into PostgreSQL. Last line: JSON summary.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { generateGatewayKeys, type VerificationEvent } from '../../protocol/index.ts';
import { createLogger } from '../../infra/logger.ts';
import { buildCloudApp } from '../../cloud/app.ts';
import { loadCloudConfig } from '../../cloud/config.ts';
import type { Database } from '../../cloud/db/database.ts';
import { createDomainEventBus } from '../../cloud/domain-events/domain-event-bus.ts';
import { createGatewayRepository } from '../../cloud/gateways/gateway-repository.ts';
import { insertEventRows } from '../../cloud/events/event-rows.ts';
import { benchScale } from '../bench-scale.ts';
import { openBenchDatabase } from '../cloud/bench-database.ts';
import { ROUTINE, WITH_VERIFICATIONS, signedBatches, type BenchEventType } from './signed-batches.ts';

export interface IngestBenchOptions {
  /** Multiplies the event count; default BENCH_SCALE. */
  readonly scale?: number;
  /** Events in all, split evenly over the gateways; default 200,000 × scale. */
  readonly events?: number;
  readonly batchSize?: number;
  /** Gateways delivering concurrently, each its own ordered chain; default 4. */
  readonly gateways?: number;
  readonly log?: (line: string) => void;
}

export interface IngestBenchSummary {
  readonly bench: 'cloud-ingest';
  readonly database: 'pglite' | 'postgresql';
  readonly scale: number;
  readonly events: number;
  readonly batchSize: number;
  readonly gateways: number;
  /** Routine traffic through the HTTP route with every check, listeners done. */
  readonly verifiedEventsPerSec: number;
  /** A third of the events `lot.verified`, which collateral follows with one receipt lookup per batch. */
  readonly withVerificationsEventsPerSec: number;
  /** The same rows, the same INSERT per batch, no checks. */
  readonly unverifiedEventsPerSec: number;
  /** verified / unverified: the share of raw insert speed that verification leaves. */
  readonly ratio: number;
  /** Signing on the gateway side (not part of ingestion), for scale. */
  readonly signingEventsPerSec: number;
  readonly target: { readonly verifiedEventsPerSec: 5000; readonly database: 'postgresql' };
  readonly targetMet: boolean;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

async function provision(app: FastifyInstance, db: Database, gatewayId: string, site: string): Promise<{ token: string; privateKeyPem: string }> {
  const token = `bench-token-${gatewayId}`;
  await createGatewayRepository(db.prisma).provision({ id: gatewayId, siteId: site, token });
  const keys = generateGatewayKeys();
  const res = await app.inject({ method: 'PUT', url: `/api/v1/gateways/${gatewayId}/key`, headers: { authorization: `Bearer ${token}` }, payload: { publicKey: keys.publicKeyPem } });
  if (res.statusCode !== 200) throw new Error(`key registration failed: ${res.body}`);
  return { token, privateKeyPem: keys.privateKeyPem };
}

async function verified(input: { gateways: number; perGateway: number; batchSize: number; types: readonly BenchEventType[] }) {
  const db = await openBenchDatabase();
  const log = createLogger('ingest-bench');
  const bus = createDomainEventBus(log);
  const app = await buildCloudApp({ db, log, bus, config: { ...loadCloudConfig({}), bodyLimitBytes: 64 * 1024 * 1024 } });
  await app.ready();
  try {
    const feeds: { id: string; token: string; batches: VerificationEvent[][] }[] = [];
    let signingMs = 0;
    for (let g = 0; g < input.gateways; g++) {
      const id = `gw-bench-${g}`;
      const { token, privateKeyPem } = await provision(app, db, id, `s-bench-${g}`);
      const started = performance.now();
      feeds.push({ id, token, batches: signedBatches({ gatewayId: id, site: `s-bench-${g}`, privateKeyPem, count: input.perGateway, batchSize: input.batchSize, types: input.types }) });
      signingMs += performance.now() - started;
    }
    // Warm-up: one batch per gateway, not timed (JIT, connection pool, prepared statements).
    const deliver = async (feed: (typeof feeds)[number], batch: VerificationEvent[]) => {
      const res = await app.inject({ method: 'POST', url: `/api/v1/gateways/${feed.id}/events`, headers: { authorization: `Bearer ${feed.token}` }, payload: { events: batch } });
      const body = res.json() as { accepted?: number };
      if (res.statusCode !== 200 || body.accepted !== batch.length) throw new Error(`batch not accepted: ${res.statusCode} ${res.body.slice(0, 300)}`);
    };
    await Promise.all(feeds.map((f) => deliver(f, f.batches[0] ?? [])));
    await bus.idle();
    const timed = feeds.map((f) => ({ ...f, batches: f.batches.slice(1) }));
    const count = timed.reduce((n, f) => n + f.batches.reduce((m, b) => m + b.length, 0), 0);
    const started = performance.now();
    await Promise.all(
      timed.map(async (feed) => {
        for (const batch of feed.batches) await deliver(feed, batch);
      }),
    );
    await bus.idle();
    const seconds = (performance.now() - started) / 1000;
    const rows = feeds.flatMap((f) => f.batches.slice(1));
    return { db: db.kind, eventsPerSec: count / seconds, signingEventsPerSec: (input.gateways * input.perGateway) / (signingMs / 1000), rows, count, feeds: feeds.map((f) => f.id) };
  } finally {
    await app.close();
    await db.close();
  }
}

/** The same rows with the same INSERT statement ingestion uses, into a fresh schema, as many writers, nothing else. */
async function unverified(input: { feeds: string[]; rows: VerificationEvent[][] }) {
  const db = await openBenchDatabase();
  try {
    for (const id of input.feeds) await db.prisma.gateway.create({ data: { id, siteId: id, tokenHash: 'x' } });
    const byGateway = new Map<string, VerificationEvent[][]>();
    for (const batch of input.rows) {
      const gw = batch[0]?.gatewayId ?? '';
      byGateway.set(gw, [...(byGateway.get(gw) ?? []), batch]);
    }
    const count = input.rows.reduce((n, b) => n + b.length, 0);
    const started = performance.now();
    await Promise.all(
      [...byGateway.values()].map(async (batches) => {
        for (const batch of batches) await insertEventRows(db.prisma, batch);
      }),
    );
    return { eventsPerSec: count / ((performance.now() - started) / 1000) };
  } finally {
    await db.close();
  }
}

export async function run(options: IngestBenchOptions = {}): Promise<IngestBenchSummary> {
  const scale = options.scale ?? benchScale();
  const log = options.log ?? ((line: string) => console.log(line));
  const gateways = options.gateways ?? 4;
  const batchSize = options.batchSize ?? 1_000;
  const events = options.events ?? Math.max(gateways * batchSize * 2, Math.round(200_000 * scale));
  const perGateway = Math.ceil(events / gateways);

  const v = await verified({ gateways, perGateway, batchSize, types: ROUTINE });
  log(`verified ingestion (${v.db}): ${int(v.count)} routine events in batches of ${batchSize} from ${gateways} gateways at once: ${int(v.eventsPerSec)} events/s (signing on the gateways side: ${int(v.signingEventsPerSec)} events/s)`);
  const withVerifications = await verified({ gateways, perGateway: Math.max(2 * batchSize, Math.ceil(perGateway / 2)), batchSize, types: WITH_VERIFICATIONS });
  log(`the same with a third lot.verified (collateral looks up their receipts once per batch): ${int(withVerifications.eventsPerSec)} events/s`);
  const u = await unverified({ feeds: v.feeds, rows: v.rows });
  log(`unverified INSERT of the same rows (${v.db}): ${int(u.eventsPerSec)} events/s; ratio ${(v.eventsPerSec / u.eventsPerSec).toFixed(2)}`);

  const summary: IngestBenchSummary = {
    bench: 'cloud-ingest',
    database: v.db,
    scale,
    events: v.count,
    batchSize,
    gateways,
    verifiedEventsPerSec: Math.round(v.eventsPerSec),
    withVerificationsEventsPerSec: Math.round(withVerifications.eventsPerSec),
    unverifiedEventsPerSec: Math.round(u.eventsPerSec),
    ratio: Number((v.eventsPerSec / u.eventsPerSec).toFixed(3)),
    signingEventsPerSec: Math.round(v.signingEventsPerSec),
    target: { verifiedEventsPerSec: 5000, database: 'postgresql' },
    targetMet: v.db === 'postgresql' && v.eventsPerSec >= 5000,
  };
  log(JSON.stringify(summary));
  return summary;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await run();
