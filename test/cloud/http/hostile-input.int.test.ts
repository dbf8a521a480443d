import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, generateGatewayKeys, loadPrivateKey, sealEvent, type VerificationEvent } from '../../../protocol/index.ts';
import { createGatewayRepository } from '../../../cloud/gateways/gateway-repository.ts';
import { startTestCloud, type TestCloud, type TokenHolder } from '../../support/cloud-app.ts';

const TOKEN = 'hostile-input-token-0123456789';

/** Answers 400 with the API's error shape, naming no more than the problem. */
function expectBadRequest(res: { statusCode: number; json(): unknown }, what: string): void {
  expect(res.statusCode, what).toBe(400);
  expect(res.json(), what).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
}

/** JSON text nested `depth` objects deep (JSON.stringify itself would overflow the stack). */
const nestedJson = (depth: number): string => `${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;

describe('hostile input is a 400, never a 500 (issue 17)', () => {
  let cloud: TestCloud;
  let admin: TokenHolder;
  const keys = generateGatewayKeys();
  const gatewayAuth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    cloud = await startTestCloud({ tenants: [{ id: 'platform', kind: 'platform' }, { id: 'wh-a', kind: 'warehouse_operator' }], sites: [{ id: 's1', tenantId: 'wh-a', name: 'S1', timezone: 'UTC' }] });
    admin = cloud.tokenHolder('platform', 'admin');
    await admin.ready();
    await createGatewayRepository(cloud.db.prisma).provision({ id: 'gw-h', siteId: 's1', token: TOKEN });
    expect((await cloud.app.inject({ method: 'PUT', url: '/api/v1/gateways/gw-h/key', headers: gatewayAuth, payload: { publicKey: keys.publicKeyPem } })).statusCode).toBe(200);
  });
  afterAll(() => cloud.close());

  const asAdmin = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    cloud.app.inject({ method, url, headers: { authorization: `Bearer ${admin.token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

  const seal = (seq: number, prevHash: string, evidence: Record<string, unknown>): VerificationEvent =>
    sealEvent({ id: randomUUID(), site: 's1', gatewayId: 'gw-h', seq, ts: '2026-01-01T00:00:00.000Z', type: 'device.online', severity: 'info', evidence }, prevHash, loadPrivateKey(keys.privateKeyPem));
  const ingest = (events: unknown[]) => cloud.app.inject({ method: 'POST', url: '/api/v1/gateways/gw-h/events', headers: gatewayAuth, payload: { events } });

  it('refuses NUL and lone surrogates in query strings and JSON bodies', async () => {
    expectBadRequest(await asAdmin('GET', '/api/v1/audit?actor=user%00x'), 'NUL in an audit filter');
    const tick = { commodity: 'copper', price: { amount: '8500', currency: 'USD' }, unit: 't', ts: '2026-01-01T00:00:00Z' };
    expectBadRequest(await asAdmin('POST', '/api/v1/prices', { ...tick, source: 'LME\u0000' }), 'NUL in a price source');
    expectBadRequest(await asAdmin('POST', '/api/v1/prices', { ...tick, source: 'LME\ud800' }), 'a lone surrogate in a price source');
    expectBadRequest(
      await cloud.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a\u0000@b.example', password: 'x' }, remoteAddress: '10.7.0.1' }),
      'NUL in a login email',
    );
    // A well-formed pair is text like any other.
    expect((await asAdmin('POST', '/api/v1/prices', { ...tick, source: 'LME \ud83d\udce6' })).statusCode).toBe(201);
  });

  it('refuses integers and dates beyond what the store holds', async () => {
    expectBadRequest(await asAdmin('GET', '/api/v1/audit?beforeSeq=4294967296'), 'beforeSeq above 32 bits');
    expectBadRequest(await asAdmin('GET', '/api/v1/reports/sites/s1/daily?date=9999-12-31'), 'a report date in year 9999');
  });

  it('stores events past seq 2^31 and refuses seq past 2^53 or hostile evidence', async () => {
    const high = 2 ** 31 + 5;
    const first = seal(high, GENESIS_HASH, { device: 's1/rfid/rd-a' });
    const stored = await ingest([first]);
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({ accepted: 1, head: { seq: high } });
    const next = seal(high + 1, first.hash, { device: 's1/rfid/rd-a' });
    expect((await ingest([next])).json()).toMatchObject({ accepted: 1, anomalies: [], head: { seq: high + 1 } });
    const gateway = await asAdmin('GET', '/api/v1/gateways/gw-h');
    expect(gateway.json()).toMatchObject({ lastSeq: high + 1 });

    expectBadRequest(await ingest([{ ...seal(1, GENESIS_HASH, {}), seq: 2 ** 53 + 2 }]), 'seq past 2^53');
    expectBadRequest(await ingest([seal(high + 2, next.hash, { note: 'a\u0000b' })]), 'NUL in evidence');
    // No canonical JSON exists for a lone surrogate, so no gateway could seal one: only a forger sends it.
    expectBadRequest(await ingest([{ ...seal(high + 2, next.hash, {}), evidence: { note: '\udc00' } }]), 'a lone surrogate in evidence');
    const deep = JSON.stringify({ events: [{ ...seal(high + 2, next.hash, {}), evidence: { deep: '__DEEP__' } }] }).replace('"__DEEP__"', nestedJson(20_000));
    expectBadRequest(
      await cloud.app.inject({ method: 'POST', url: '/api/v1/gateways/gw-h/events', headers: { ...gatewayAuth, 'content-type': 'application/json' }, payload: deep }),
      'evidence nested 20,000 deep',
    );
  });
});
