import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { GENESIS_HASH, generateGatewayKeys, loadPrivateKey, sealEvent, type UnsealedEvent, type VerificationEvent } from '../../../protocol/index.ts';
import { createLogger } from '../../../infra/logger.ts';
import { loadCloudConfig } from '../../../cloud/config.ts';
import { startCloud, type CloudHandle } from '../../../cloud/start-cloud.ts';
import { createUserRepository } from '../../../cloud/auth/user-repository.ts';
import { createGatewayRepository } from '../../../cloud/gateways/gateway-repository.ts';
import { openTestDatabase } from '../../support/test-database.ts';
import { createDomainEventBus, type DomainEventBus } from '../../../cloud/domain-events/domain-event-bus.ts';
import { seedDemoCollateral } from '../../../cloud/risk/demo-collateral.ts';
import { encodeSgtin96 } from '../../../protocol/index.ts';
import { launchBrowser } from '../../support/browser.ts';

describe('lender dashboard in a browser', () => {
  let cloud: CloudHandle;
  let browser: Browser;
  let bus: DomainEventBus;
  let lenderId: string;

  beforeAll(async () => {
    const db = await openTestDatabase();
    bus = createDomainEventBus(createLogger('dashboard-test'));
    // Live streams re-check their viewer's account on every heartbeat; 100 ms keeps the last test short.
    cloud = await startCloud({ ...loadCloudConfig({ LIVE_HEARTBEAT_MS: '100' }), port: 0 }, createLogger('dashboard-test'), db, bus);
    const users = createUserRepository(db.prisma);
    await users.upsertTenant({ id: 'bank-a', name: 'Bank A', kind: 'bank' });
    await users.upsertTenant({ id: 'wh-a', name: 'Warehouse A', kind: 'warehouse_operator' });
    await users.upsertTenant({ id: 'platform', name: 'Platform', kind: 'platform' });
    lenderId = await users.upsertUser({ tenantId: 'bank-a', email: 'lender@a.example', name: 'L', role: 'lender', password: 'pw-lender' });
    await users.upsertUser({ tenantId: 'platform', email: 'admin@platform.example', name: 'A', role: 'admin', password: 'pw-admin' });
    await users.upsertSite({ id: 's1', tenantId: 'wh-a', name: 'Site 1', timezone: 'UTC' });
    const epcs = Array.from({ length: 80 }, (_, i) => encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: i + 1 }));
    await seedDemoCollateral(db, {
      site: 's1',
      operatorTenantId: 'wh-a',
      bankTenantId: 'bank-a',
      lots: [{ lotId: 'LOT-S1-0001', zone: 'bay-a', commodity: 'coffee', quantity: '4800', unit: 'kg', epcs }],
      bus,
    });
    const token = 'gw-token-dashboard';
    await createGatewayRepository(db.prisma).provision({ id: 'gw-1', siteId: 's1', token });
    const keys = generateGatewayKeys();
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await fetch(`${cloud.url}/api/v1/gateways/gw-1/key`, { method: 'PUT', headers: auth, body: JSON.stringify({ publicKey: keys.publicKeyPem }) });
    const drafts: Omit<UnsealedEvent, 'id' | 'site' | 'gatewayId' | 'seq'>[] = [
      { ts: '2026-01-01T10:00:00.000Z', type: 'lot.verified', severity: 'info', lotId: 'LOT-S1-0001', zone: 'bay-a', evidence: { expected: 80, present: 80, missing: 0, foreign: 0 } },
      { ts: '2026-01-01T22:10:00.000Z', type: 'tags.missing', severity: 'critical', lotId: 'LOT-S1-0001', zone: 'bay-a', evidence: { count: 12 } },
      { ts: '2026-01-01T22:11:00.000Z', type: 'lot.state', severity: 'critical', lotId: 'LOT-S1-0001', zone: 'bay-a', evidence: { state: 'breached', previous: 'verified' } },
    ];
    const events: VerificationEvent[] = [];
    let head = { seq: 0, hash: GENESIS_HASH };
    for (const d of drafts) {
      const e = sealEvent({ ...d, id: randomUUID(), site: 's1', gatewayId: 'gw-1', seq: head.seq + 1 }, head.hash, loadPrivateKey(keys.privateKeyPem));
      events.push(e);
      head = { seq: e.seq, hash: e.hash };
    }
    const res = await fetch(`${cloud.url}/api/v1/gateways/gw-1/events`, { method: 'POST', headers: auth, body: JSON.stringify({ events }) });
    expect(res.status).toBe(200);
    await bus.idle();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('signs a lender in and shows the facility frozen by the breached lot, the lot, prices and the event feed', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${cloud.url}/`);
    await page.fill('input[name=password]', 'wrong');
    await page.fill('input[name=email]', 'lender@a.example');
    await page.click('button[type=submit]');
    // Login verifies an scrypt hash on purpose (slow); a loaded machine needs more than the default second.
    await expect.poll(() => page.textContent('#login-error'), { timeout: 10_000 }).toMatch(/invalid email or password/);

    await page.fill('input[name=password]', 'pw-lender');
    await page.click('button[type=submit]');
    await page.waitForSelector('#lots tbody tr');
    const row = await page.textContent('#lots tbody tr');
    expect(row).toContain('LOT-S1-0001');
    expect(row).toContain('breached');
    expect(row).toContain('coffee');
    const facility = await page.textContent('.facility');
    expect(facility).toContain('drawdowns frozen');
    expect(facility).toMatch(/Collateral value\s*[\d,]+ USD/);
    await page.waitForSelector('#prices svg.spark path');
    expect(await page.textContent('#prices')).toContain('coffee');
    expect(await page.textContent('#who')).toContain('lender@a.example');
    expect(await page.textContent('#events')).toContain('tags.missing');
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
  });

  it('sends a lender whose account is disabled back to the sign-in, saying why', async () => {
    const page = await browser.newPage();
    await page.goto(`${cloud.url}/`);
    await page.fill('input[name=email]', 'lender@a.example');
    await page.fill('input[name=password]', 'pw-lender');
    await page.click('button[type=submit]');
    await page.waitForSelector('#live.on');

    const login = await fetch(`${cloud.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@platform.example', password: 'pw-admin' }),
    });
    const { token } = (await login.json()) as { token: string };
    const disabled = await fetch(`${cloud.url}/api/v1/users/${lenderId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ disabled: true }),
    });
    expect(disabled.status).toBe(200);

    await page.waitForSelector('#login-view:not([hidden])');
    expect(await page.textContent('#login-error')).toContain('the account is disabled');
    expect(await page.isHidden('#app-view')).toBe(true);
  });
});
