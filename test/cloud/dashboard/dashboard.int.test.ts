import { evidenceOf } from '../../support/evidence-examples.ts';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { GENESIS_HASH, encodeSgtin96, generateGatewayKeys, loadPrivateKey, sealEvent, type UnsealedEvent } from '../../../protocol/index.ts';
import { createLogger } from '../../../infra/logger.ts';
import { loadCloudConfig } from '../../../cloud/config.ts';
import { startCloud, type CloudHandle } from '../../../cloud/start-cloud.ts';
import { createUserRepository } from '../../../cloud/auth/user-repository.ts';
import { createGatewayRepository } from '../../../cloud/gateways/gateway-repository.ts';
import { createDomainEventBus, type DomainEventBus } from '../../../cloud/domain-events/domain-event-bus.ts';
import { seedDemoCollateral } from '../../../cloud/risk/demo-collateral.ts';
import { openTestDatabase } from '../../support/test-database.ts';
import { browserAvailable, launchBrowser } from '../../support/browser.ts';

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
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

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
    const context = await browser.newContext({ viewport, locale });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.log(`${email}: page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && !message.location().url.endsWith('/favicon.ico') && console.log(`${email}: console: ${message.text()}`));
    await page.goto(`${cloud.url}/`);
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.click('#login-button');
    await page.waitForSelector('#app-view:not([hidden]) .page-title');
    return page;
  }

  /** axe-core on the page as it is: no serious or critical violation. */
  async function checkAccessibility(page: Page, name: string): Promise<void> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
      return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } })).violations;
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${name}: ${v.id} (${v.help}) at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
    expect(serious).toEqual([]);
  }

  async function visitAll(page: Page, role: string): Promise<void> {
    const links = await page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const locale of ['en', 'zh-CN'] as const) {
      await page.selectOption('#lang', locale);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      for (const href of [...links, `#/facility/${facilityId}`]) {
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
      ['branch@a.example', 'bank-a', 'branch_investigator'],
      ['treasurer@borrower.example', 'borrower-a', 'borrower'],
      ['operator@wh.example', 'wh-a', 'warehouse_operator'],
      ['lender@b.example', 'bank-b', 'lender'],
    ] as const) {
      await users.upsertUser({ tenantId, email, name: email, role, password: PASSWORD });
    }
    await users.upsertSite({ id: 's1', tenantId: 'wh-a', name: 'Site 1', timezone: 'Asia/Shanghai' });
    const epcs = Array.from({ length: 80 }, (_, i) => encodeSgtin96({ companyPrefix: '0614141', itemReference: '812345', serial: i + 1 }));
    ({ facilityId } = await seedDemoCollateral(db, {
      site: 's1',
      operatorTenantId: 'wh-a',
      bankTenantId: 'bank-a',
      borrowerTenantId: 'borrower-a',
      lots: [{ lotId: 'LOT-S1-0001', zone: 'bay-a', commodity: 'coffee', quantity: '4800', unit: 'kg', epcs }],
      bus,
    }));
    await createGatewayRepository(db.prisma).provision({ id: 'gw-1', siteId: 's1', token: gateway.token });
    await fetch(`${cloud.url}/api/v1/gateways/gw-1/key`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey: gateway.key.publicKeyPem }),
    });
    await sendEvents([{ ts: new Date().toISOString(), type: 'lot.verified', severity: 'info', lotId: 'LOT-S1-0001', zone: 'bay-a', evidence: { expected: 80, present: 80, missing: 0, foreign: 0 } }]);
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
    await borrower.screenshot({ path: new URL('borrower-facility.png', ARTIFACTS).pathname, fullPage: true });
    await lender.context().close();
    await borrower.context().close();
  }, 90_000);

  let caseRef = '';
  it('shows head office the night-theft case live, who assigns it; the freeze lift shows the server’s answer', async () => {
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
    await risk.fill('input[name=caseId]', 'C-unknown');
    await risk.click('button:text("Lift hold")');
    // Whatever the server answers (a second risk officer's approval, a refusal, done) is shown in words.
    const answer = risk.locator('.form-message.error, .toast:has-text("Done")').first();
    await answer.waitFor();
    expect((await answer.textContent())?.trim().length ?? 0).toBeGreaterThan(3);
    expect(await answer.textContent()).not.toMatch(/HTTP \d{3}|\/api\//);
    await risk.screenshot({ path: new URL('risk-facility-frozen.png', ARTIFACTS).pathname, fullPage: true });
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
    await branch.fill('textarea[name=body]', 'On site: 12 bags moved to bay C by the night shift, recounted.');
    await branch.click('button:text("Add comment")');
    await branch.waitForSelector('text=recounted');
    await branch.selectOption('select[name=finding]', 'goods_restored');
    await branch.click('button:text("Resolve")');
    await branch.waitForSelector('.badge.status:text("resolved")');
    expect(await branch.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await branch.screenshot({ path: new URL('branch-case-390.png', ARTIFACTS).pathname, fullPage: true });
    await branch.context().close();
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
