import { evidenceOf } from '../../support/evidence-examples.ts';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { GENESIS_HASH, encodeSgtin96, generateGatewayKeys, loadPrivateKey, sealEvent, type UnsealedEvent } from '../../../protocol/index.ts';
import { createLogger } from '../../../infra/logger.ts';
import { loadCloudConfig } from '../../../cloud/config.ts';
import { startCloud, type CloudHandle } from '../../../cloud/start-cloud.ts';
import { createUserRepository } from '../../../cloud/auth/user-repository.ts';
import { createGatewayRepository } from '../../../cloud/gateways/gateway-repository.ts';
import { createDomainEventBus, type DomainEventBus } from '../../../cloud/domain-events/domain-event-bus.ts';
import { seedDemoCollateral } from '../../../demo/demo-collateral.ts';
import { openTestDatabase } from '../../support/test-database.ts';
import { browserAvailable, launchBrowser, seriousAxeViolations, signInToDashboard } from '../../support/browser.ts';

/**
 * The dashboard in Debian's Chromium, per role, against the real cloud: the borrower
 * draws and repays and the lender sees it live; a night theft reported by the gateway
 * (through the real, signed ingest API) opens a case that appears live for head office,
 * who assigns it; the branch investigates and resolves it on a 390 px phone; another
 * bank sees none of it; every page passes axe-core (no serious or critical violation)
 * in English and Chinese. Screenshots go to test/artifacts/ (not committed).
 */
const ARTIFACTS = new URL('../../artifacts/', import.meta.url);
const PASSWORD = 'pw-dashboard-1';


describe.skipIf(!browserAvailable('dashboard browser suite'))('dashboard in a browser, per role', () => {
  let cloud: CloudHandle;
  let browser: Browser;
  let bus: DomainEventBus;
  let facilityId: string;
  const gateway = { head: { seq: 0, hash: GENESIS_HASH }, key: generateGatewayKeys(), token: 'gw-token-dashboard' };

  async function sendEvents(drafts: Omit<UnsealedEvent, 'id' | 'site' | 'gatewayId' | 'seq'>[]): Promise<void> {
    const key = loadPrivateKey(gateway.key.privateKeyPem);
    const events = drafts.map((d) => {
      const e = sealEvent({ ...d, id: randomUUID(), site: 's1', gatewayId: 'gw-1', seq: gateway.head.seq + 1 }, gateway.head.hash, key);
      gateway.head = { seq: e.seq, hash: e.hash };
      return e;
    });
    const res = await fetch(`${cloud.url}/api/v1/gateways/gw-1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(200);
    await bus.idle();
  }

  async function signIn(email: string, viewport = { width: 1280, height: 900 }, locale: 'en' | 'zh-CN' = 'en'): Promise<Page> {
    return signInToDashboard(browser, cloud.url, email, PASSWORD, { viewport, locale });
  }

  /** axe-core on the page as it is: no serious or critical violation. */
  async function checkAccessibility(page: Page, name: string): Promise<void> {
    expect(await seriousAxeViolations(page, name)).toEqual([]);
  }

  async function visitAll(page: Page, role: string): Promise<void> {
    const links = await page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const locale of ['en', 'zh-CN'] as const) {
      await page.selectOption('#lang', locale);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      for (const href of [...links, `#/facility/${facilityId}`, '#/lot/s1/LOT-S1-0001']) {
        if (href.startsWith('#/facility/') && !['borrower', 'lender', 'risk_officer'].includes(role)) continue;
        await page.goto(`${cloud.url}/${href}`);
        await page.waitForSelector('#app-view .page-title');
        await page.waitForLoadState('networkidle');
        await checkAccessibility(page, `${role} ${href} ${locale}`);
        if (locale === 'zh-CN' || href === '#/cases') await page.screenshot({ path: new URL(`${role}-${href.replace(/[^a-z]+/g, '-')}-${locale}.png`, ARTIFACTS).pathname, fullPage: true });
      }
    }
    await page.selectOption('#lang', 'en');
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const db = await openTestDatabase();
    bus = createDomainEventBus(createLogger('dashboard-test'));
    cloud = await startCloud({ ...loadCloudConfig({ LIVE_HEARTBEAT_MS: '1000' }), port: 0 }, createLogger('dashboard-test'), db, bus);
    const users = createUserRepository(db.prisma);
    for (const [id, kind] of [
      ['bank-a', 'bank'],
      ['bank-b', 'bank'],
      ['wh-a', 'warehouse_operator'],
      ['borrower-a', 'borrower'],
    ] as const) {
      await users.upsertTenant({ id, name: id, kind });
    }
    for (const [email, tenantId, role] of [
      ['lender@a.example', 'bank-a', 'lender'],
      ['risk@a.example', 'bank-a', 'risk_officer'],
      ['risk2@a.example', 'bank-a', 'risk_officer'],
      ['branch@a.example', 'bank-a', 'branch_investigator'],
      ['treasurer@borrower.example', 'borrower-a', 'borrower'],
      ['operator@wh.example', 'wh-a', 'warehouse_operator'],
      ['lender@b.example', 'bank-b', 'lender'],
    ] as const) {
      await users.upsertUser({ tenantId, email, name: email, role, password: PASSWORD });
    }
    await users.upsertSite({ id: 's1', tenantId: 'wh-a', name: 'Site 1', timezone: 'Asia/Shanghai' });
    const epcs = Array.from({ length: 80 }, (_, i) => encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: i + 1 }));
    const epcs2 = Array.from({ length: 40 }, (_, i) => encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: i + 101 }));
    ({ facilityId } = await seedDemoCollateral(db, {
      site: 's1',
      operatorTenantId: 'wh-a',
      bankTenantId: 'bank-a',
      borrowerTenantId: 'borrower-a',
      lots: [
        { lotId: 'LOT-S1-0001', zone: 'bay-a', commodity: 'coffee', quantity: '4800', unit: 'kg', epcs },
        { lotId: 'LOT-S1-0002', zone: 'bay-b', commodity: 'coffee', quantity: '2400', unit: 'kg', epcs: epcs2 },
      ],
      bus,
    }));
    await createGatewayRepository(db.prisma).provision({ id: 'gw-1', siteId: 's1', token: gateway.token });
    await fetch(`${cloud.url}/api/v1/gateways/gw-1/key`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey: gateway.key.publicKeyPem }),
    });
    await sendEvents([
      { ts: new Date().toISOString(), type: 'lot.verified', severity: 'info', lotId: 'LOT-S1-0001', zone: 'bay-a', evidence: { expected: 80, present: 80, missing: 0, foreign: 0 } },
      { ts: new Date().toISOString(), type: 'lot.verified', severity: 'info', lotId: 'LOT-S1-0002', zone: 'bay-b', evidence: { expected: 40, present: 40, missing: 0, foreign: 0 } },
    ]);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('serves the page and its assets compressed, with long-lived cache for hashed assets', async () => {
    const html = await fetch(`${cloud.url}/`, { headers: { 'accept-encoding': 'br' } });
    expect(html.headers.get('content-encoding')).toBe('br');
    expect(html.headers.get('cache-control')).toBe('no-cache');
    const text = await html.text();
    const script = /src="(\/dashboard\/app\.[\w-]+\.js)"/.exec(text)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${cloud.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(js.headers.get('content-encoding')).toBe('gzip');
    const again = await fetch(`${cloud.url}${script}`, { headers: { 'if-none-match': js.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('lets the borrower draw and repay, and the lender sees it live', async () => {
    const lender = await signIn('lender@a.example');
    await lender.goto(`${cloud.url}/#/facility/${facilityId}`);
    await lender.waitForSelector('text=How drawing power adds up');
    const outstanding = lender.locator('[data-figure="Outstanding"]').first();
    await outstanding.waitFor();
    const before = await outstanding.textContent();

    const borrower = await signIn('treasurer@borrower.example');
    expect(await borrower.textContent('#app-view')).toContain('DEMO-RF-001');
    await borrower.click(`a[href="#/facility/${facilityId}"]`);
    await borrower.waitForSelector('text=How drawing power adds up');
    expect(await borrower.textContent('#app-view')).toContain('LOT-S1-0001');
    await borrower.fill('form:has(button:text("Draw")) input[name=amount]', '1000.00');
    await borrower.click('button:text("Draw")');
    await borrower.waitForSelector('.toast:has-text("Draw:")');
    await expect.poll(() => outstanding.textContent(), { timeout: 10_000 }).not.toBe(before);
    const drawn = await outstanding.textContent();
    await borrower.fill('form:has(button:text("Repay")) input[name=amount]', '400.00');
    await borrower.click('button:text("Repay")');
    await borrower.waitForSelector('.toast:has-text("Repay:")');
    await expect.poll(() => outstanding.textContent(), { timeout: 10_000 }).not.toBe(drawn);
    // And the other way: the lender draws, the borrower's page follows live.
    const borrowerOutstanding = borrower.locator('[data-figure="Outstanding"]').first();
    const seen = await borrowerOutstanding.textContent();
    await lender.fill('form:has(button:text("Draw")) input[name=amount]', '250.00');
    await lender.click('button:text("Draw")');
    await lender.waitForSelector('.toast:has-text("Draw:")');
    await expect.poll(() => borrowerOutstanding.textContent(), { timeout: 10_000 }).not.toBe(seen);
    await borrower.screenshot({ path: new URL('borrower-facility.png', ARTIFACTS).pathname, fullPage: true });
    await lender.context().close();
    await borrower.context().close();
  }, 90_000);

  let caseRef = '';
  it('shows head office the night-theft case live, who assigns it and sends the branch to count', async () => {
    const risk = await signIn('risk@a.example');
    await risk.goto(`${cloud.url}/#/cases`);
    await risk.waitForSelector('#app-view .page-title');
    await sendEvents([
      { ts: new Date().toISOString(), type: 'tags.missing', severity: 'critical', lotId: 'LOT-S1-0001', zone: 'bay-a', evidence: evidenceOf('tags.missing', { count: 12 }) },
      { ts: new Date().toISOString(), type: 'lot.state', severity: 'critical', lotId: 'LOT-S1-0001', zone: 'bay-a', evidence: evidenceOf('lot.state', { state: 'breached', previous: 'verified', reason: 'tags missing at night' }) },
    ]);
    await risk.waitForSelector('.toast');
    expect(await risk.title()).toMatch(/^\(\d+\) /);
    await risk.waitForSelector('.cases a');
    const link = risk.locator('.cases a', { hasText: 'missing' }).first();
    caseRef = ((await link.textContent()) ?? '').split(' · ')[0] ?? '';
    await link.click();
    await risk.waitForSelector('button:text("Assign")');
    expect(await risk.textContent('#app-view')).toContain('12');
    await risk.selectOption('select[name=userId]', { label: 'branch@a.example' });
    await risk.click('button:text("Assign")');
    await risk.waitForSelector('text=Assignee: branch@a.example');
    await risk.click('button:text("Acknowledge")');
    await risk.waitForSelector('.badge.status:text("acknowledged")');

    await risk.goto(`${cloud.url}/#/facility/${facilityId}`);
    await risk.waitForSelector('text=Drawdowns frozen');
    await risk.screenshot({ path: new URL('risk-facility-frozen.png', ARTIFACTS).pathname, fullPage: true });
    await risk.goto(`${cloud.url}/#/inspections`);
    await risk.click('button:text("Send the branch today")');
    await risk.waitForSelector('.cases a:has-text("s1")');
    await risk.context().close();
  }, 90_000);

  it('lets the branch investigate and resolve the case on a 390 px phone', async () => {
    const branch = await signIn('branch@a.example', { width: 390, height: 844 });
    await branch.goto(`${cloud.url}/#/cases`);
    await branch.waitForSelector('.cases a');
    expect(await branch.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const first = await branch.locator('.cases li').first().boundingBox();
    expect(first?.y ?? 9999).toBeLessThan(500);
    await branch.locator('.cases a', { hasText: caseRef }).click();
    await branch.click('button:text("Investigate")');
    await branch.waitForSelector('.badge.status:text("investigating")');
    const caseUrl = branch.url();

    // The inspection task: counted blind, lot by lot; the open case gets the result.
    await branch.goto(`${cloud.url}/#/inspections`);
    await branch.locator('.cases a', { hasText: 's1' }).first().click();
    await branch.waitForSelector('button:text("Submit counts")');
    expect(await branch.textContent('#app-view')).not.toContain('4,800');
    expect(await branch.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkAccessibility(branch, 'branch inspection count entry');
    await branch.screenshot({ path: new URL('branch-inspection-390.png', ARTIFACTS).pathname, fullPage: true });
    await branch.fill('input[name="count:LOT-S1-0001"]', '4800');
    await branch.fill('input[name="count:LOT-S1-0002"]', '2400');
    await branch.click('button:text("Submit counts")');
    await branch.waitForSelector('text=within tolerance');
    await checkAccessibility(branch, 'branch inspection result');
    await branch.goto(caseUrl);
    await branch.waitForSelector('text=counted 4800 kg');

    // A comment with a photo taken on site, shown inline in the thread.
    const photo = await branch.screenshot({ clip: { x: 0, y: 0, width: 200, height: 120 } });
    await branch.fill('textarea[name=body]', 'On site: 12 bags moved to bay C by the night shift, recounted.');
    await branch.setInputFiles('input[name=photos]', { name: 'bay-c.png', mimeType: 'image/png', buffer: photo });
    await branch.click('button:text("Add comment")');
    await branch.waitForSelector('text=recounted');
    await branch.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('.photos img')).some((img) => img.complete && img.naturalWidth > 0));
    expect(await branch.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkAccessibility(branch, 'branch case with photo');
    await branch.selectOption('select[name=finding]', 'goods_restored');
    await branch.click('button:text("Resolve")');
    await branch.waitForSelector('.badge.status:text("resolved")');
    expect(await branch.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await branch.screenshot({ path: new URL('branch-case-390.png', ARTIFACTS).pathname, fullPage: true });
    await branch.context().close();
  }, 90_000);

  it('lifts the freeze only with a second risk officer (four eyes)', async () => {
    // A second lot breached at night: its hold is critical.
    await sendEvents([{ ts: new Date().toISOString(), type: 'lot.state', severity: 'critical', lotId: 'LOT-S1-0002', zone: 'bay-b', evidence: evidenceOf('lot.state', { state: 'breached', previous: 'verified', reason: 'tags missing at night' }) }]);
    const risk = await signIn('risk@a.example');
    await risk.goto(`${cloud.url}/#/cases`);
    await risk.locator('.cases li', { hasText: 'LOT-S1-0002' }).first().locator('a').click();
    await risk.click('button:text("Acknowledge")');
    await risk.waitForSelector('.badge.status:text("acknowledged")');
    await risk.selectOption('select[name=finding]', 'false_alarm');
    await risk.click('button:text("Resolve")');
    await risk.waitForSelector('.badge.status:text("resolved")');
    await bus.idle();

    // Resolving was the first officer's request; the same officer cannot also approve it.
    await risk.goto(`${cloud.url}/#/facility/${facilityId}`);
    const mine = risk.locator('.hold', { hasText: 'LOT-S1-0002' });
    await mine.locator('.pending', { hasText: 'risk@a.example' }).waitFor();
    await checkAccessibility(risk, 'risk officer facility with pending lifts');
    await mine.locator('button:text("Approve lift")').click();
    const refused = mine.locator('.form-message.error');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/second person must approve/);
    await risk.screenshot({ path: new URL('risk-four-eyes-refused.png', ARTIFACTS).pathname, fullPage: true });

    // The second risk officer approves both pending lifts (the branch requested the other); the facility thaws.
    const second = await signIn('risk2@a.example');
    await second.goto(`${cloud.url}/#/facility/${facilityId}`);
    await second.waitForSelector('text=Drawdowns frozen');
    for (const lot of ['LOT-S1-0002', 'LOT-S1-0001']) {
      const hold = second.locator('.hold', { hasText: lot });
      await hold.locator('.pending').waitFor();
      await hold.locator('button:text("Approve lift")').click();
      await hold.waitFor({ state: 'detached' });
    }
    await second.waitForSelector('form:has(button:text("Draw"))');
    expect(await second.locator('text=Drawdowns frozen').count()).toBe(0);
    // The first officer's page follows live.
    await risk.waitForSelector('form:has(button:text("Draw"))');
    await second.screenshot({ path: new URL('risk2-facility-unfrozen.png', ARTIFACTS).pathname, fullPage: true });
    await risk.context().close();
    await second.context().close();
  }, 90_000);

  it('shows another bank none of it', async () => {
    const other = await signIn('lender@b.example');
    expect(await other.textContent('#app-view')).not.toContain('DEMO-RF-001');
    await other.goto(`${cloud.url}/#/cases`);
    await other.waitForSelector('#app-view .empty');
    expect(await other.textContent('#app-view')).not.toContain('LOT-S1-0001');
    await other.goto(`${cloud.url}/#/facility/${facilityId}`);
    await other.waitForSelector('#app-view .error');
    expect(await other.textContent('#app-view .error')).toMatch(/not found/i);
    await other.context().close();
  });

  it('ends the token on the server when the user signs out', async () => {
    const page = await signIn('lender@a.example');
    const token = await page.evaluate(() => sessionStorage.getItem('collateral-monitor-token'));
    expect(token).toBeTruthy();
    await page.click('#logout');
    await page.waitForSelector('#login-view:not([hidden])');
    await expect.poll(async () => (await fetch(`${cloud.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token ?? ''}` } })).status).toBe(401);
    await page.context().close();
  });

  it('passes axe-core on every page of every role, in English and Chinese', async () => {
    for (const [email, role] of [
      ['treasurer@borrower.example', 'borrower'],
      ['lender@a.example', 'lender'],
      ['risk@a.example', 'risk_officer'],
      ['branch@a.example', 'branch_investigator'],
      ['operator@wh.example', 'warehouse_operator'],
    ] as const) {
      const page = await signIn(email, role === 'branch_investigator' ? { width: 390, height: 844 } : undefined);
      await checkAccessibility(page, `${role} sign-in landing`);
      await visitAll(page, role);
      await page.context().close();
    }
    const login = await browser.newPage();
    await login.goto(`${cloud.url}/`);
    await checkAccessibility(login, 'sign-in');
    await login.close();
  }, 300_000);
});
