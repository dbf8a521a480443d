import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createLogger } from '../../../infra/logger.ts';
import { loadCloudConfig } from '../../../cloud/config.ts';
import { startCloud, type CloudHandle } from '../../../cloud/start-cloud.ts';
import { createUserRepository } from '../../../cloud/auth/user-repository.ts';
import { createDomainEventBus } from '../../../cloud/domain-events/domain-event-bus.ts';
import { generateMerchant, type SyntheticMerchant } from '../../../firmware-sim/platform/synthetic-platform.ts';
import { merchantHealth, trainSyntheticScorecard } from '../../support/synthetic-scorecard.ts';
import { openTestDatabase } from '../../support/test-database.ts';
import { browserAvailable, launchBrowser, seriousAxeViolations, signInToDashboard } from '../../support/browser.ts';

/**
 * The credit pages in Debian's Chromium against the real cloud (issue 24): the risk
 * officer sees the active scorecard's report (version, AUC/KS/Gini, PSI of inputs and
 * score, reason-code distribution), decides a merchant from the page and reads the
 * decision with its reasons, rules and audit trail; the merchant's borrower tenant sees
 * the offer on a 390 px phone, accepts it, draws and repays on the facility it opened.
 * Both pages pass axe-core (no serious or critical violation) in English and Chinese.
 * Screenshots go to test/artifacts/.
 */
const ARTIFACTS = new URL('../../artifacts/', import.meta.url);
const PASSWORD = 'pw-credit-dashboard-1';
const MONTH = '2025-12';


describe.skipIf(!browserAvailable('credit dashboard browser suite'))('credit pages in a browser', () => {
  let cloud: CloudHandle;
  let browser: Browser;
  let strong: SyntheticMerchant;
  let version = '';

  async function api(email: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const login = await fetch(`${cloud.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${cloud.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const json = (await res.json()) as Record<string, unknown>;
    expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBeLessThan(300);
    return json;
  }

  async function signIn(email: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    return signInToDashboard(browser, cloud.url, email, PASSWORD, { viewport, timeoutMs: 15000 });
  }

  async function checkAccessibility(page: Page, name: string): Promise<void> {
    expect(await seriousAxeViolations(page, name)).toEqual([]);
  }

  /** axe in both languages with the disclosures open, then back to English. */
  async function checkBothLanguages(page: Page, name: string): Promise<void> {
    for (const locale of ['en', 'zh-CN'] as const) {
      await page.selectOption('#lang', locale);
      await page.waitForSelector(`html[lang="${locale}"]`);
      await page.waitForLoadState('networkidle');
      await page.$$eval('#app-view details', (all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      await checkAccessibility(page, `${name} ${locale}`);
      await page.screenshot({ path: new URL(`credit-${name}-${locale}.png`, ARTIFACTS).pathname, fullPage: true });
    }
    await page.selectOption('#lang', 'en');
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const db = await openTestDatabase();
    const log = createLogger('credit-dashboard-test');
    cloud = await startCloud({ ...loadCloudConfig({ LIVE_HEARTBEAT_MS: '1000', JOB_POLL_MS: '0' }), port: 0 }, log, db, createDomainEventBus(log));
    const users = createUserRepository(db.prisma);
    await users.upsertTenant({ id: 'bank-a', name: 'Bank A', kind: 'bank' });
    await users.upsertTenant({ id: 'shop-a', name: 'Shop A', kind: 'borrower' });
    for (const [email, tenantId, role] of [
      ['risk@a.example', 'bank-a', 'risk_officer'],
      ['lender@a.example', 'bank-a', 'lender'],
      ['owner@shop.example', 'shop-a', 'borrower'],
    ] as const) {
      await users.upsertUser({ tenantId, email, name: email, role, password: PASSWORD });
    }

    // A card trained on the synthetic platform, and a healthy merchant of another platform run.
    const card = trainSyntheticScorecard();
    version = card.version;
    await api('risk@a.example', 'POST', '/api/v1/credit/models?activate=true', card);
    const platform = { seed: 5, merchants: 60, start: '2025-01', months: 13, idPrefix: 'web-' };
    const healthy = Array.from({ length: platform.merchants }, (_, i) => generateMerchant(platform, i)).filter((m) => m.defaultMonth === null && m.drivers.ageAtStartMonths >= 12);
    strong = healthy.sort((a, b) => merchantHealth(b) - merchantHealth(a))[0] as SyntheticMerchant;
    await api('lender@a.example', 'POST', '/api/v1/credit/merchants', { merchants: [strong.record] });
    for (let i = 0; i < strong.transactions.length; i += 5000) await api('lender@a.example', 'POST', '/api/v1/credit/transactions', { transactions: strong.transactions.slice(i, i + 5000) });
    await api('lender@a.example', 'PUT', `/api/v1/credit/merchants/${strong.record.merchantId}/borrower-tenant`, { tenantId: 'shop-a' });
    // A month of monitoring, so the report has a stability row.
    await api('risk@a.example', 'POST', '/api/v1/credit/rescore', { month: MONTH });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('shows the risk officer the model report and a decision made from the page, with reasons and audit', async () => {
    const risk = await signIn('risk@a.example');
    await risk.click('#nav a[href="#/credit"]');
    await risk.waitForSelector('text=Model report');
    const report = (await risk.textContent('#app-view')) ?? '';
    expect(report).toContain(version);
    for (const metric of ['AUC', 'KS', 'Gini']) expect(Number(await risk.textContent(`[data-metric="${metric}"]`))).toBeGreaterThan(0.3);
    expect(report).toContain('Population stability');
    expect(report).toContain('Score PSI');
    expect(report).toContain('PSI Refund rate');
    expect(report).toContain('No decisions yet.');

    await risk.fill('input[name=merchantId]', strong.record.merchantId);
    await risk.fill('form:has(button:text("Score and decide")) input[name=month]', MONTH);
    await risk.click('button:text("Score and decide")');
    await risk.waitForSelector(`.toast:has-text("${strong.record.merchantId}: offer")`);
    const card = risk.locator(`article[data-merchant="${strong.record.merchantId}"]`);
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('offer open');
    expect(text).toMatch(/Score\s*\d{3}/);
    expect(text).toMatch(/PD\s*\d+\.\d{2}%/);
    expect(await card.locator('[data-reason]').count()).toBeGreaterThan(0);
    // The reason-code distribution now counts this decision's first reason.
    expect(await risk.textContent('#app-view')).toContain('Reason codes across decisions');
    await card.locator('summary:text("Score history")').click();
    await card.locator(`.score-history li:has-text("${MONTH}")`).waitFor();
    await card.locator('summary:text("Audit trail")').click();
    await card.locator('.audit-trail li:has-text("credit.decision")').waitFor();
    // The platform's CSV through the page's import form: the good row stored, the bad one named by line.
    const csv = ['id,merchant_id,kind,at,amount,currency', `web-csv-1,${strong.record.merchantId},payment,2025-12-20T10:00:00Z,25.00,EUR`, `web-csv-2,${strong.record.merchantId},payment,not-a-time,25.00,EUR`].join('\n');
    await risk.setInputFiles('input[type=file]', { name: 'platform.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await risk.click('button:text("Import platform transactions (CSV)")');
    await risk.waitForSelector('text=1 accepted, 0 already stored, 0 rejected, 1 bad rows');
    await risk.locator('summary:text("Rows refused")').click();
    expect(await risk.textContent('form:has(input[type=file])')).toMatch(/3: \/at/);
    await checkBothLanguages(risk, 'risk-officer');
    await risk.context().close();
  }, 120_000);

  it('lets the merchant accept the offer, draw and repay on a 390 px phone', async () => {
    const owner = await signIn('owner@shop.example', { width: 390, height: 844 });
    await owner.click('#nav a[href="#/credit"]');
    await owner.waitForSelector('text=Your credit line');
    const accept = owner.locator('button:has-text("Accept this line")');
    await accept.waitFor();
    expect(await owner.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkBothLanguages(owner, 'merchant-offer-390');
    await accept.click();
    await owner.waitForSelector('.toast:has-text("Accepted")');
    await owner.waitForSelector('text=Your revolving facility');
    const available = owner.locator('[data-figure="Available"]');
    const before = (await available.textContent()) ?? '';
    expect(before).toMatch(/\d/);

    await owner.fill('form:has(button:text("Draw")) input[name=amount]', '300.00');
    await owner.click('button:text("Draw")');
    await owner.waitForSelector('.toast:has-text("Draw:")');
    await expect.poll(() => available.textContent()).not.toBe(before);
    expect(await owner.textContent('[data-figure="Outstanding"]')).toContain('300.00');
    await owner.fill('form:has(button:text("Repay")) input[name=amount]', '120.00');
    await owner.click('button:text("Repay")');
    await owner.waitForSelector('.toast:has-text("Repay:")');
    await expect.poll(() => owner.textContent('[data-figure="Outstanding"]')).toContain('180.00');
    // A draw beyond the line is refused in words, not a status code.
    await owner.fill('form:has(button:text("Draw")) input[name=amount]', '99999999.00');
    await owner.click('button:text("Draw")');
    const refusal = owner.locator('.form-message.error').first();
    await refusal.waitFor();
    expect(await refusal.textContent()).not.toMatch(/HTTP \d{3}|\/api\//);
    expect(await owner.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkBothLanguages(owner, 'merchant-facility-390');
    await owner.context().close();

    const audit = await api('risk@a.example', 'GET', '/api/v1/audit?limit=200');
    const actions = (audit.items as { action: string }[]).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['credit.decision', 'credit.offer_accepted', 'facility.unsecured_tranche_set']));
  }, 120_000);
});
