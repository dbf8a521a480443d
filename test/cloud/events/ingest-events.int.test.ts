import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  generateGatewayKeys,
  loadPrivateKey,
  sealEvent,
  verifyChain,
  loadPublicKey,
  type VerificationEvent,
} from '../../../protocol/index.ts';
import { createGatewayRepository } from '../../../cloud/gateways/gateway-repository.ts';
import { startTestCloud, type TestCloud } from '../../support/cloud-app.ts';

const TOKEN = 'test-token-0123456789';

function chain(count: number, keyPem: string, start = { seq: 0, hash: GENESIS_HASH }, gatewayId = 'gw-1'): VerificationEvent[] {
  const key = loadPrivateKey(keyPem);
  const events: VerificationEvent[] = [];
  let head = start;
  for (let i = 0; i < count; i++) {
    const event = sealEvent(
      {
        id: randomUUID(),
        site: 's1',
        gatewayId,
        seq: head.seq + 1,
        ts: new Date(Date.UTC(2026, 0, 1, 0, 0, head.seq)).toISOString(),
        type: 'device.online',
        severity: 'info',
        evidence: { device: 's1/rfid/rd-a', reason: 'activity' },
      },
      head.hash,
      key,
    );
    events.push(event);
    head = { seq: event.seq, hash: event.hash };
  }
  return events;
}

describe('POST /api/v1/gateways/:id/events', () => {
  let cloud: TestCloud;
  const keys = generateGatewayKeys();
  const auth = { authorization: `Bearer ${TOKEN}` };
  let all: VerificationEvent[];

  beforeAll(async () => {
    cloud = await startTestCloud();
    await createGatewayRepository(cloud.db.prisma).provision({ id: 'gw-1', siteId: 's1', token: TOKEN });
    const reg = await cloud.app.inject({ method: 'PUT', url: '/api/v1/gateways/gw-1/key', headers: auth, payload: { publicKey: keys.publicKeyPem } });
    expect(reg.statusCode).toBe(200);
    all = chain(12, keys.privateKeyPem);
  });
  afterAll(() => cloud.close());

  const post = (events: unknown[], headers: Record<string, string> = auth, id = 'gw-1') =>
    cloud.app.inject({ method: 'POST', url: `/api/v1/gateways/${id}/events`, headers, payload: { events } });

  it('serves the registered key publicly and refuses a different one', async () => {
    const key = await cloud.app.inject({ method: 'GET', url: '/api/v1/gateways/gw-1/key' });
    expect(key.json().publicKey).toBe(keys.publicKeyPem);
    const other = generateGatewayKeys();
    const conflict = await cloud.app.inject({ method: 'PUT', url: '/api/v1/gateways/gw-1/key', headers: auth, payload: { publicKey: other.publicKeyPem } });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ statusCode: 409, error: 'Conflict' });
  });

  it('requires the gateway token', async () => {
    expect((await post(all.slice(0, 1), {})).statusCode).toBe(401);
    expect((await post(all.slice(0, 1), { authorization: 'Bearer wrong' })).statusCode).toBe(401);
    const unknown = await post(all.slice(0, 1), auth, 'gw-unknown');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().message).toMatch(/invalid gateway credentials/);
  });

  it('accepts a batch, then treats its retry as duplicates', async () => {
    const first = await post(all.slice(0, 5));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ accepted: 5, duplicates: 0, rejected: [], anomalies: [], head: { seq: 5, hash: all[4]?.hash } });
    const retry = await post(all.slice(0, 5));
    expect(retry.json()).toMatchObject({ accepted: 0, duplicates: 5, rejected: [] });
  });

  it('rejects a forged signature and an altered field', async () => {
    const next = all[5] as VerificationEvent;
    const forged = { ...next, sig: Buffer.alloc(64, 7).toString('base64') };
    const altered = { ...next, severity: 'critical' as const };
    const res = await post([forged]);
    expect(res.json().accepted).toBe(0);
    expect(res.json().rejected[0]).toMatchObject({ seq: 6 });
    const res2 = await post([altered]);
    expect(res2.json().accepted).toBe(0);
    expect(res2.json().rejected[0].reason).toMatch(/hash/);
  });

  it('rejects a replay: an old seq with different content, even correctly signed', async () => {
    const fork = chain(1, keys.privateKeyPem, { seq: 2, hash: all[1]?.hash ?? '' });
    const res = await post(fork);
    expect(res.json().accepted).toBe(0);
    expect(res.json().rejected[0].reason).toMatch(/replay/);
  });

  it('accepts across a sequence gap and reports it', async () => {
    const res = await post(all.slice(7, 9)); // seq 8, 9: 6 and 7 missing
    expect(res.json()).toMatchObject({ accepted: 2, anomalies: [{ kind: 'gap', from: 6, to: 7 }] });
  });

  it('refuses malformed bodies with 400', async () => {
    const res = await post([{ ...all[9], seq: 'ten' }]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('lists stored events newest first, exactly as signed, with paging', async () => {
    // The log is read with a user token; an administrator sees every site's events.
    // Tokens must name an existing, enabled user: auth checks the account on every request.
    const adminId = randomUUID();
    await cloud.db.prisma.tenant.upsert({ where: { id: 'platform' }, create: { id: 'platform', name: 'Platform', kind: 'platform' }, update: {} });
    await cloud.db.prisma.user.create({ data: { id: adminId, tenantId: 'platform', email: 'admin@platform.test', name: 'Admin', role: 'admin', passwordHash: 'unusable' } });
    const admin = { authorization: `Bearer ${cloud.app.jwt.sign({ sub: adminId, tid: 'platform', role: 'admin', email: 'admin@platform.test' })}` };
    expect((await cloud.app.inject({ method: 'GET', url: '/api/v1/events?gatewayId=gw-1&limit=4' })).statusCode).toBe(401);
    const page1 = await cloud.app.inject({ method: 'GET', url: '/api/v1/events?gatewayId=gw-1&limit=4', headers: admin });
    expect(page1.statusCode).toBe(200);
    const body = page1.json() as { items: { event: VerificationEvent }[]; nextCursor: string | null };
    expect(body.items.map((i) => i.event.seq)).toEqual([9, 8, 5, 4]);
    const page2 = await cloud.app.inject({ method: 'GET', url: `/api/v1/events?gatewayId=gw-1&limit=4&cursor=${body.nextCursor}`, headers: admin });
    const rest = (page2.json() as { items: { event: VerificationEvent }[] }).items.map((i) => i.event);
    expect(rest.map((e) => e.seq)).toEqual([3, 2, 1]);
    // What the API returns still verifies as a chain against the public key.
    const stored = [...rest.reverse(), ...body.items.map((i) => i.event).reverse().slice(0, 2)];
    expect(verifyChain(stored, loadPublicKey(keys.publicKeyPem))).toMatchObject({ ok: true });
    expect((await cloud.app.inject({ method: 'GET', url: '/api/v1/events?cursor=bogus', headers: admin })).statusCode).toBe(400);
  });
});
