import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld } from '../alerts/support/monitoring-world.ts';

describe('sites', () => {
  let w: MonitoringWorld;
  let admin: Caller;

  beforeAll(async () => {
    w = await startMonitoringWorld();
    admin = await w.as('platform', 'admin');
  });
  afterAll(() => w.close());

  it('registers a warehouse for an operator tenant, with a real time zone', async () => {
    expect(expectStatus(await admin.post('/api/v1/sites', { id: 's-c', tenantId: 'wh-a', name: 'Site C', timezone: 'Africa/Nairobi' }), 201)).toMatchObject({ id: 's-c', tenantId: 'wh-a', timezone: 'Africa/Nairobi', gateways: [] });
    expect((await admin.post('/api/v1/sites', { id: 's-c', tenantId: 'wh-a', name: 'again' })).statusCode).toBe(409);
    expect((await admin.post('/api/v1/sites', { id: 's-d', tenantId: 'bank-a', name: 'D' })).statusCode).toBe(400);
    expect((await admin.post('/api/v1/sites', { id: 's-d', tenantId: 'wh-a', name: 'D', timezone: 'Mars/Olympus' })).statusCode).toBe(400);
    expect((await admin.post('/api/v1/sites', { id: 's-d', tenantId: 'nobody', name: 'D' })).statusCode).toBe(404);
    expect((await (await w.as('wh-a', 'warehouse_operator')).post('/api/v1/sites', { id: 's-e', tenantId: 'wh-a', name: 'E' })).statusCode).toBe(403);
  });

  it('shows operators their sites and banks the sites where they lend', async () => {
    const operator = await w.as('wh-a', 'warehouse_operator');
    expect((expectStatus(await operator.get('/api/v1/sites'), 200).items as { id: string }[]).map((s) => s.id)).toEqual(['s-a', 's-c']);
    expect((await operator.get('/api/v1/sites/s-b')).statusCode).toBe(404);
    const lender = await w.as('bank-a', 'lender');
    expect(expectStatus(await lender.get('/api/v1/sites'), 200).items).toEqual([]);
    await w.pledgeLot({ site: 's-a', lotId: 'LOT-1', bank: 'bank-a', operator: 'wh-a' });
    expect((expectStatus(await lender.get('/api/v1/sites'), 200).items as { id: string }[]).map((s) => s.id)).toEqual(['s-a']);
    expect(expectStatus(await lender.get('/api/v1/sites/s-a'), 200)).toMatchObject({ id: 's-a' });
    expect((await lender.get('/api/v1/sites/s-c')).statusCode).toBe(404);
    expect((expectStatus(await admin.get('/api/v1/sites'), 200).items as unknown[]).length).toBe(3);
  });
});
