import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { GENESIS_HASH, generateGatewayKeys, loadPrivateKey, sealEvent, type TypedEvidence, type UnsealedEvent, type VerificationEvent } from '../../../../protocol/index.ts';
import type { Database } from '../../../../cloud/db/database.ts';
import type { DomainEventBus } from '../../../../cloud/domain-events/domain-event-bus.ts';
import { createGatewayRepository } from '../../../../cloud/gateways/gateway-repository.ts';
import type { Role } from '../../../../cloud/auth/principal.ts';
import { startTestCloud, TEST_TENANTS, type TestSite } from '../../../support/cloud-app.ts';

export interface Caller {
  readonly token: string;
  readonly userId: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

/** A draft whose evidence fits its type (protocol/evidence), as a real gateway's does. */
export type EventDraft = Omit<UnsealedEvent, 'id' | 'site' | 'gatewayId' | 'seq' | 'ts' | 'type' | 'evidence'> & TypedEvidence & { ts?: string };
/** A draft with evidence of any shape, for tests of what the cloud does with evidence that does not fit. */
export type LooseEventDraft = Omit<UnsealedEvent, 'id' | 'site' | 'gatewayId' | 'seq' | 'ts'> & { ts?: string };

export interface TestGateway {
  readonly id: string;
  readonly site: string;
  readonly token: string;
  readonly privateKeyPem: string;
  /** Seals drafts onto this gateway's chain (advancing it) without sending them. */
  seal(drafts: readonly (EventDraft | LooseEventDraft)[]): VerificationEvent[];
  /** Seals and delivers; waits until every bus listener is done. */
  send(drafts: readonly EventDraft[]): Promise<Record<string, unknown>>;
  deliver(events: readonly unknown[]): Promise<LightMyRequestResponse>;
  /** Skips seq numbers, as a gateway that lost events would. */
  skip(count: number): void;
}

export interface MonitoringWorld {
  app: FastifyInstance;
  db: Database;
  bus: DomainEventBus;
  /** A user created in app_user, with a token minted directly (no login round trip). */
  as(tenantId: string, role: Role, options?: { email?: string }): Promise<Caller>;
  gateway(site: string, id?: string): Promise<TestGateway>;
  /** Issues a receipt for the lot (warehouse operator) and pledges it to a new facility of `bank`. */
  pledgeLot(input: { site: string; lotId: string; bank: string; operator: string; quantity?: string; unit?: string }): Promise<{ receiptId: string; facilityId: string; pledgeId: string }>;
  /** Starts listening on a free loopback port (for streaming clients); returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Fails with the response body, so a wrong status says why. */
export function expectStatus(res: LightMyRequestResponse, status: number): Record<string, unknown> {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res.body === '' ? {} : (res.json() as Record<string, unknown>);
}

const SITES: readonly TestSite[] = [
  { id: 's-a', tenantId: 'wh-a', name: 'Site A', timezone: 'Europe/Zurich' },
  { id: 's-b', tenantId: 'wh-b', name: 'Site B', timezone: 'UTC' },
];

/**
 * The real cloud on an isolated database: banks bank-a and bank-b, warehouse operators
 * wh-a (site s-a) and wh-b (site s-b), the platform; callers hold tokens minted
 * directly; gateways deliver genuinely signed chains.
 */
export async function startMonitoringWorld(options: { env?: NodeJS.ProcessEnv } = {}): Promise<MonitoringWorld> {
  const cloud = await startTestCloud({ name: 'monitoring-test', tenants: TEST_TENANTS, sites: SITES, ...options });
  const { app, db, bus } = cloud;
  const prisma = db.prisma;

  const callerFor = (token: string, userId: string): Caller => {
    const headers = { authorization: `Bearer ${token}` };
    const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
      app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
    return {
      token,
      userId,
      get: (url) => send('GET', url),
      post: (url, body) => send('POST', url, body ?? {}),
      patch: (url, body) => send('PATCH', url, body ?? {}),
      del: (url) => send('DELETE', url),
    };
  };

  let users = 0;
  const as = async (tenantId: string, role: Role, options: { email?: string } = {}): Promise<Caller> => {
    users += 1;
    const user = cloud.tokenHolder(tenantId, role, { email: options.email ?? `${role}-${users}@${tenantId}.test` });
    await user.ready();
    return callerFor(user.token, user.userId);
  };

  const gateway = async (site: string, id = `gw-${site}`): Promise<TestGateway> => {
    const token = `token-${id}-${randomUUID()}`;
    await createGatewayRepository(prisma).provision({ id, siteId: site, token });
    const keys = generateGatewayKeys();
    const headers = { authorization: `Bearer ${token}` };
    expectStatus(await app.inject({ method: 'PUT', url: `/api/v1/gateways/${id}/key`, headers, payload: { publicKey: keys.publicKeyPem } }), 200);
    const key = loadPrivateKey(keys.privateKeyPem);
    let head = { seq: 0, hash: GENESIS_HASH };
    let clock = Date.parse('2026-03-02T08:00:00.000Z');
    const seal = (drafts: readonly (EventDraft | LooseEventDraft)[]): VerificationEvent[] =>
      drafts.map((d) => {
        clock += 1000;
        const event = sealEvent({ ...d, ts: d.ts ?? new Date(clock).toISOString(), id: randomUUID(), site, gatewayId: id, seq: head.seq + 1 }, head.hash, key);
        head = { seq: event.seq, hash: event.hash };
        return event;
      });
    const deliver = (events: readonly unknown[]) => app.inject({ method: 'POST', url: `/api/v1/gateways/${id}/events`, headers, payload: { events } });
    return {
      id,
      site,
      token,
      privateKeyPem: keys.privateKeyPem,
      seal,
      deliver,
      skip(count) {
        head = { seq: head.seq + count, hash: head.hash };
      },
      async send(drafts) {
        const body = expectStatus(await deliver(seal(drafts)), 200);
        await bus.idle();
        return body;
      },
    };
  };

  let receipts = 0;
  const pledgeLot: MonitoringWorld['pledgeLot'] = async (input) => {
    receipts += 1;
    const operator = await as(input.operator, 'warehouse_operator');
    const lender = await as(input.bank, 'lender');
    const receipt = expectStatus(
      await operator.post('/api/v1/receipts', {
        siteId: input.site,
        zone: 'Z1',
        lotId: input.lotId,
        commodity: 'copper',
        grade: 'Grade A',
        quantity: { value: input.quantity ?? '100', unit: input.unit ?? 't' },
        epcs: [],
        depositor: { ref: `DEP-${input.bank}`, name: 'Depositor' },
        validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
      }),
      201,
    );
    const facility = expectStatus(
      await lender.post('/api/v1/facilities', {
        reference: `F-${receipts}-${randomUUID().slice(0, 6)}`,
        borrower: { ref: `DEP-${input.bank}`, name: 'Depositor' },
        limit: { amount: '1000000', currency: 'USD' },
        validFrom: new Date(Date.now() - 86_400_000).toISOString(),
        validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        annualRate: '0.08',
      }),
      201,
    );
    const pledge = expectStatus(await lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId: facility.id }), 201);
    await bus.idle();
    return { receiptId: String(receipt.id), facilityId: String(facility.id), pledgeId: String((pledge.pledge as { id?: string } | undefined)?.id ?? pledge.id) };
  };

  return {
    app,
    db,
    bus,
    as,
    gateway,
    pledgeLot,
    listen: () => app.listen({ host: '127.0.0.1', port: 0 }),
    close: cloud.close,
  };
}
