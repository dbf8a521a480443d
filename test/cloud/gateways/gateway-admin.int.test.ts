import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, generateGatewayKeys, loadPrivateKey, sealEvent } from '../../../protocol/index.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld } from '../alerts/support/monitoring-world.ts';

describe('gateway provisioning', () => {
  let w: MonitoringWorld;
  let admin: Caller;
  let operator: Caller;
  let otherOperator: Caller;
  let token = '';

  beforeAll(async () => {
    w = await startMonitoringWorld();
    admin = await w.as('platform', 'admin');
    operator = await w.as('wh-a', 'warehouse_operator');
    otherOperator = await w.as('wh-b', 'warehouse_operator');
  });
  afterAll(() => w.close());

  const asGateway = (method: 'PUT' | 'POST', url: string, payload: object, bearer = token) =>
    w.app.inject({ method, url, headers: { authorization: `Bearer ${bearer}` }, payload });

  it('provisions a gateway for a site and answers its token once', async () => {
    const created = expectStatus(await admin.post('/api/v1/gateways', { id: 'gw-new', siteId: 's-a' }), 201) as { token: string; gateway: Record<string, unknown> };
    expect(created.gateway).toMatchObject({ id: 'gw-new', siteId: 's-a', hasKey: false, lastSeq: 0, lastHash: GENESIS_HASH });
    expect(created.token.length).toBeGreaterThanOrEqual(43);
    token = created.token;
    expect(JSON.stringify(expectStatus(await admin.get('/api/v1/gateways/gw-new'), 200))).not.toContain(token);
    expect((await admin.post('/api/v1/gateways', { id: 'gw-new', siteId: 's-a' })).statusCode).toBe(409);
    expect((await admin.post('/api/v1/gateways', { id: 'gw-x', siteId: 'nowhere' })).statusCode).toBe(404);
    expect((await operator.post('/api/v1/gateways', { id: 'gw-y', siteId: 's-a' })).statusCode).toBe(403);
  });

  it('lets the provisioned gateway register its key and deliver signed events', async () => {
    const keys = generateGatewayKeys();
    expectStatus(await asGateway('PUT', '/api/v1/gateways/gw-new/key', { publicKey: keys.publicKeyPem }), 200);
    const event = sealEvent({ id: crypto.randomUUID(), site: 's-a', gatewayId: 'gw-new', seq: 1, ts: '2026-03-02T08:00:00.000Z', type: 'device.online', severity: 'info', evidence: { device: 's-a/rfid/rd-a', reason: 'status' } }, GENESIS_HASH, loadPrivateKey(keys.privateKeyPem));
    expect(expectStatus(await asGateway('POST', '/api/v1/gateways/gw-new/events', { events: [event] }), 200)).toMatchObject({ accepted: 1 });
    expect(expectStatus(await operator.get('/api/v1/gateways/gw-new'), 200)).toMatchObject({ hasKey: true, lastSeq: 1, keyFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) as string });
  });

  it('rotates the token (the old one stops working) and resets the key for a replaced device', async () => {
    const old = token;
    const rotated = expectStatus(await admin.post('/api/v1/gateways/gw-new/token'), 200) as { token: string };
    expect(rotated.token).not.toBe(old);
    expect((await asGateway('PUT', '/api/v1/gateways/gw-new/key', { publicKey: generateGatewayKeys().publicKeyPem }, old)).statusCode).toBe(401);
    token = rotated.token;
    expect((await asGateway('PUT', '/api/v1/gateways/gw-new/key', { publicKey: generateGatewayKeys().publicKeyPem })).statusCode).toBe(409);
    expect(expectStatus(await admin.del('/api/v1/gateways/gw-new/key'), 200)).toMatchObject({ hasKey: false, lastSeq: 1 });
    expect(expectStatus(await asGateway('PUT', '/api/v1/gateways/gw-new/key', { publicKey: generateGatewayKeys().publicKeyPem }), 200)).toMatchObject({ status: 'registered' });
    const trail = expectStatus(await admin.get('/api/v1/audit?entityType=gateway&entityId=gw-new'), 200).items as { action: string; tenantId: string }[];
    expect(trail.map((t) => t.action)).toEqual(['gateway.key_reset', 'gateway.token_rotated', 'gateway.provisioned']);
    expect(trail.every((t) => t.tenantId === 'wh-a')).toBe(true);
  });

  it('lists gateways by the sites the caller sees', async () => {
    expect((expectStatus(await operator.get('/api/v1/gateways'), 200).items as { id: string }[]).map((g) => g.id)).toEqual(['gw-new']);
    expect(expectStatus(await otherOperator.get('/api/v1/gateways'), 200).items).toEqual([]);
    expect((await otherOperator.get('/api/v1/gateways/gw-new')).statusCode).toBe(404);
    const lender = await w.as('bank-a', 'lender');
    expect(expectStatus(await lender.get('/api/v1/gateways'), 200).items).toEqual([]);
    await w.pledgeLot({ site: 's-a', lotId: 'LOT-1', bank: 'bank-a', operator: 'wh-a' });
    expect((expectStatus(await lender.get('/api/v1/gateways'), 200).items as unknown[]).length).toBe(1);
  });
});
