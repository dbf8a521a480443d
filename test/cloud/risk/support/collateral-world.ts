import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse as InjectResponse } from 'fastify';
import type { Database } from '../../../../cloud/db/database.ts';
import type { CloudDomainEvents, DomainEventBus } from '../../../../cloud/domain-events/domain-event-bus.ts';
import type { Role } from '../../../../cloud/auth/principal.ts';
import { startTestCloud, TEST_TENANTS, type TestSite } from '../../../support/cloud-app.ts';

export interface Caller {
  get(url: string): Promise<InjectResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<InjectResponse>;
  put(url: string, body?: unknown): Promise<InjectResponse>;
  del(url: string): Promise<InjectResponse>;
}

export interface CollateralWorld {
  app: FastifyInstance;
  db: Database;
  bus: DomainEventBus;
  /** collateral.changed events seen so far. */
  changes: CloudDomainEvents['collateral.changed'][];
  operator: Caller;
  otherOperator: Caller;
  lender: Caller;
  risk: Caller;
  investigator: Caller;
  otherLender: Caller;
  admin: Caller;
  as(tenantId: string, role: Role): Caller;
  close(): Promise<void>;
}

const SITES: readonly TestSite[] = [
  { id: 's-a1', tenantId: 'wh-a', name: 'A1', timezone: 'UTC' },
  { id: 's-a2', tenantId: 'wh-a', name: 'A2', timezone: 'UTC' },
  { id: 's-b1', tenantId: 'wh-b', name: 'B1', timezone: 'UTC' },
];

/**
 * The real cloud on an isolated database with two banks, two warehouse operators (three
 * sites) and callers holding tokens minted directly (no login round trip).
 */
export async function startCollateralWorld(options: { now?: () => Date; env?: NodeJS.ProcessEnv } = {}): Promise<CollateralWorld> {
  const cloud = await startTestCloud({ name: 'collateral-test', tenants: TEST_TENANTS, sites: SITES, ...options });
  const { app, db, bus } = cloud;
  const changes: CloudDomainEvents['collateral.changed'][] = [];
  bus.on('collateral.changed', 'test', (payload) => {
    changes.push(payload);
  });

  const as = (tenantId: string, role: Role): Caller => {
    const user = cloud.tokenHolder(tenantId, role);
    const headers = { authorization: `Bearer ${user.token}` };
    // The account is created on the caller's first request, so `as` can stay synchronous.
    const inject = async (options: InjectOptions) => {
      await user.ready();
      return app.inject(options);
    };
    return {
      get: (url) => inject({ method: 'GET', url, headers }),
      post: (url, body, extra = {}) => inject({ method: 'POST', url, headers: { ...headers, ...extra }, ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }) }),
      put: (url, body) => inject({ method: 'PUT', url, headers, payload: (body ?? {}) as object }),
      del: (url) => inject({ method: 'DELETE', url, headers }),
    };
  };

  return {
    app,
    db,
    bus,
    changes,
    operator: as('wh-a', 'warehouse_operator'),
    otherOperator: as('wh-b', 'warehouse_operator'),
    lender: as('bank-a', 'lender'),
    risk: as('bank-a', 'risk_officer'),
    investigator: as('bank-a', 'branch_investigator'),
    otherLender: as('bank-b', 'lender'),
    admin: as('platform', 'admin'),
    as,
    close: cloud.close,
  };
}

/** Fails with the response body, so a wrong status says why. */
export function expectStatus(res: InjectResponse, status: number): Record<string, unknown> {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res.statusCode === 204 || res.body === '' ? {} : (res.json() as Record<string, unknown>);
}

let lotCounter = 0;

export function receiptBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  lotCounter += 1;
  return {
    siteId: 's-a1',
    zone: 'Z1',
    lotId: `LOT-${lotCounter}`,
    commodity: 'copper',
    grade: 'Grade A',
    quantity: { value: '100', unit: 't' },
    epcs: [],
    depositor: { ref: 'BORROWER-1', name: 'Borrower One' },
    validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
    ...overrides,
  };
}

export function facilityBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    reference: `F-${randomUUID().slice(0, 8)}`,
    borrower: { ref: 'BORROWER-1', name: 'Borrower One' },
    limit: { amount: '10000000', currency: 'USD' },
    validFrom: new Date(Date.now() - 86_400_000).toISOString(),
    validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    annualRate: '0.08',
    ...overrides,
  };
}

export function epcsFor(prefix: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `3074257BF7194E40${prefix.toString(16).padStart(4, '0').toUpperCase()}${i.toString(16).padStart(4, '0').toUpperCase()}`);
}

/** Daily closes, one tick a day at 16:00 UTC, ending yesterday, so the EWMA has completed days. */
export async function seedCloses(caller: Caller, commodity: string, prices: readonly string[], currency = 'USD', unit = 't'): Promise<void> {
  const lastDay = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - 86_400_000;
  const csv = ['commodity,price,currency,ts,unit', ...prices.map((p, i) => `${commodity},${p},${currency},${new Date(lastDay - (prices.length - 1 - i) * 86_400_000 + 16 * 3_600_000).toISOString()},${unit}`)].join('\n');
  expectStatus(await caller.post('/api/v1/prices/import', csv, { 'content-type': 'text/csv' }), 200);
}

/** A value inside a JSON body by dotted path ("figures.ltv", "items.0.status"); undefined when absent. */
export function field(body: unknown, path: string): unknown {
  let value: unknown = body;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export const text = (body: unknown, path: string): string => String(field(body, path));
export const num = (body: unknown, path: string): number => Number(field(body, path));
export const list = (body: unknown, path: string): unknown[] => {
  const value = field(body, path);
  return Array.isArray(value) ? value : [];
};
