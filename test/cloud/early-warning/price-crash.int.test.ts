import { evidenceOf } from '../../support/evidence-examples.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulation } from '../../../firmware-sim/index.ts';
import { verifyWebhook } from '../../../cloud/notifications/webhook-signature.ts';
import { siteS1 } from '../../firmware-sim/helpers.ts';
import { startFeedServer, type FeedServer } from '../../support/feed-server.ts';
import { startMailSink, type MailSink } from '../../support/mail-sink.ts';
import { createFrozenClock } from '../../support/test-clock.ts';
import { startWebhookSink, type WebhookSink } from '../../support/webhook-sink.ts';
import { expectStatus, facilityBody, list, receiptBody, startCollateralWorld, text, type Caller, type CollateralWorld } from '../risk/support/collateral-world.ts';
import { startGatewayFeed } from '../risk/support/gateway-feed.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

interface CaseItem {
  id: string;
  kind: string;
  severity: string;
  status: string;
  openedAt: string;
  detail: { numbers?: Record<string, unknown> };
}

/**
 * The done-when: firmware-sim's price-crash price path, served by a local feed and
 * pulled by the feed adapter on its schedule, raises the watch list, then the margin call,
 * then (the call expiring) the freeze, each a case with its numbers; the lender and the
 * borrower get the email and the webhook; a feed that stops raises a stale-price case; a
 * gateway that stops for its interval raises a case that clears when it returns.
 */
describe('price-crash through the price feed adapter', () => {
  const sim = createSimulation({ siteConfig: siteS1(), scenario: 'price-crash', seed: 7 });
  sim.skipTo(sim.endMs);
  const path = sim.groundTruth().filter((g) => g.kind === 'price').map((g) => ({ at: new Date(g.ts), price: String(g.detail['price']), phase: String(g.detail['phase']) }));
  const first = path[0] ?? { at: new Date(sim.startMs), price: '9100', phase: 'normal' };
  const clock = createFrozenClock(first.at);

  let w: CollateralWorld;
  let feed: FeedServer;
  let mail: MailSink;
  let hooks: WebhookSink;
  let borrower: Caller;
  let facilityId = '';
  const secrets = new Map<string, string>();

  const settle = async () => {
    await w.bus.idle();
    await w.app.earlyWarning.idle();
    await w.app.notifications.idle();
  };
  const runJobs = async () => {
    await w.app.earlyWarning.jobs.runDue(clock.now());
    await settle();
  };
  const cases = async (kind: string, caller: Caller = w.lender): Promise<CaseItem[]> => list(expectStatus(await caller.get(`/api/v1/alerts?kind=${kind}`), 200), 'items') as CaseItem[];
  const subscribe = async (caller: Caller, body: Record<string, unknown>) => {
    const res = expectStatus(await caller.post('/api/v1/notifications/subscriptions', body), 201);
    if (typeof res.secret === 'string') secrets.set(String(body.target), res.secret);
  };

  // Starting the cloud on a fresh database is most of the setup; a loaded machine needs more than the default minute.
  beforeAll(async () => {
    feed = await startFeedServer();
    mail = await startMailSink();
    hooks = await startWebhookSink();
    const file = join(mkdtempSync(join(tmpdir(), 'feeds-')), 'feeds.yaml');
    writeFileSync(file, `feeds:\n  - name: exchange\n    url: ${feed.url}/copper.csv\n    format: csv\n    intervalMs: ${15 * MINUTE}\n    columns: { symbol: symbol, price: last, ts: time }\n    symbols: { LMCADS03: copper }\n    currency: USD\n    unit: t\n`);
    w = await startCollateralWorld({ now: clock.now, env: { PRICE_FEEDS: file, SMTP_URL: mail.url, MAIL_FROM: 'risk@bank-a.test' } });
    borrower = w.as('borrower-a', 'borrower');

    // A month of closes moving ±2.5 % a day, so σ is estimated (not the class default).
    const history = Array.from({ length: 30 }, (_, i) => `copper,${(Number(first.price) * (i % 2 === 0 ? 1.025 : 1)).toFixed(2)},USD,${new Date(first.at.getTime() - (30 - i) * DAY).toISOString()},t`);
    expectStatus(await w.admin.post('/api/v1/prices/import', ['commodity,price,currency,ts,unit', ...history].join('\n'), { 'content-type': 'text/csv' }), 200);

    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ validUntil: new Date(first.at.getTime() + 180 * DAY).toISOString() })), 201);
    const validity = { validFrom: new Date(first.at.getTime() - 40 * DAY).toISOString(), validUntil: new Date(first.at.getTime() + 365 * DAY).toISOString() };
    facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody({ ...validity, borrower: { ref: 'BORROWER-1', name: 'Borrower One', tenantId: 'borrower-a' } })), 201), 'id');
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);

    await subscribe(w.lender, { channel: 'email', target: 'lender@bank-a.test', topics: ['case', 'margin_call'] });
    await subscribe(w.lender, { channel: 'webhook', target: `${hooks.url}/bank`, topics: ['margin_call'] });
    await subscribe(borrower, { channel: 'email', target: 'treasury@borrower-a.test', topics: ['margin_call'] });
    await subscribe(borrower, { channel: 'webhook', target: `${hooks.url}/borrower`, topics: ['margin_call'] });
  }, 180_000);
  afterAll(async () => {
    await w.close();
    await Promise.all([feed.close(), mail.close(), hooks.close()]);
  });

  it('raises the watch-list entry, then the margin call, each a case with its numbers, reaching lender and borrower', async () => {
    let drawn = false;
    for (const point of path) {
      clock.advance(point.at.getTime() - clock.now().getTime());
      feed.serve('/copper.csv', `symbol,last,time\nLMCADS03,${point.price},${point.at.toISOString()}\n`, 'text/csv');
      await runJobs();
      if (!drawn) {
        // Drawn to the borrowing base at the first price: LTV = copper's advance rate, 0.70.
        const facility = expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200);
        expectStatus(await w.lender.post(`/api/v1/facilities/${facilityId}/drawdowns`, { amount: { amount: text(facility, 'figures.available.amount'), currency: 'USD' } }), 201);
        await settle();
        drawn = true;
      }
    }
    const history = list(expectStatus(await w.lender.get('/api/v1/prices/copper/history?currency=USD&limit=100'), 200), 'items') as { source: string }[];
    expect(history.filter((h) => h.source === 'feed:exchange')).toHaveLength(path.length);

    const [watch] = await cases('facility.watch_list');
    const [call] = await cases('facility.margin_call');
    expect(watch?.detail.numbers).toMatchObject({ z: '2.33', marginCall: '0.85' });
    expect(Number(watch?.detail.numbers?.stressedLtv)).toBeGreaterThanOrEqual(0.85);
    expect(Number(watch?.detail.numbers?.ltv)).toBeLessThan(0.85);
    expect(call).toMatchObject({ severity: 'critical' });
    expect(Number(call?.detail.numbers?.ltv)).toBeGreaterThanOrEqual(0.85);
    expect(Date.parse(watch?.openedAt ?? '')).toBeLessThan(Date.parse(call?.openedAt ?? ''));
    const [move] = await cases('market.price_move');
    // Opened at the first tick beyond 3 σ of the day, with that tick's numbers.
    expect(Number(move?.detail.numbers?.changePercent)).toBeLessThan(0);
    expect(Number(move?.detail.numbers?.sigmas)).toBeGreaterThanOrEqual(3);
    expect(move?.detail.numbers).toMatchObject({ sigmaBasis: 'estimate', k: '3' });

    // The borrower sees its facility's margin-call case and the call itself, and acknowledges it.
    expect((await cases('facility.margin_call', borrower)).map((c) => c.id)).toEqual([call?.id]);
    const calls = list(expectStatus(await borrower.get(`/api/v1/facilities/${facilityId}/margin-calls`), 200), 'items') as { id: string; status: string }[];
    expect(calls).toEqual([expect.objectContaining({ status: 'open' })]);
    const acknowledged = expectStatus(await borrower.post(`/api/v1/margin-calls/${calls[0]?.id}/acknowledge`, { note: 'treasury is arranging a repayment' }), 200);
    expect(acknowledged).toMatchObject({ stage: 'acknowledged', acknowledgements: [{ party: 'borrower' }] });
    expect(Number(text(acknowledged, 'cure.repayment'))).toBeGreaterThan(0);
    expect(expectStatus(await w.otherLender.get(`/api/v1/margin-calls/${calls[0]?.id}`), 404)).toBeDefined();

    for (const to of ['lender@bank-a.test', 'treasury@borrower-a.test']) {
      const sent = await w.db.prisma.notificationDelivery.findMany({ where: { topic: 'margin_call', channel: 'email', target: to, status: 'delivered' } });
      expect(sent.length).toBeGreaterThanOrEqual(1);
      expect(mail.mails.some((m) => m.to.includes(to) && sent.some((d) => m.raw.includes(`X-Delivery-ID: ${d.id}`)))).toBe(true);
    }
    for (const hookPath of ['/bank', '/borrower']) {
      const hook = hooks.received.find((h) => h.path === hookPath && JSON.parse(h.body).case?.kind === 'facility.margin_call');
      expect(hook).toBeDefined();
      expect(verifyWebhook(secrets.get(`${hooks.url}${hookPath}`) ?? '', String(hook?.headers['x-timestamp']), hook?.body ?? '', String(hook?.headers['x-signature']))).toBe(true);
    }
  });

  it('the call expiring uncured freezes the facility: a freeze case and a liquidation case, with their numbers', async () => {
    feed.serve('/copper.csv', 'maintenance', 'text/plain', 503);
    clock.advance(2 * DAY + MINUTE);
    expectStatus(await w.admin.post('/api/v1/risk/sweep'), 200);
    await settle();
    const [frozen] = await cases('facility.frozen');
    expect(frozen).toMatchObject({ severity: 'critical' });
    expect(frozen?.detail.numbers).toMatchObject({ frozen: true, currency: 'USD' });
    const [expired] = await cases('facility.margin_call_expired', borrower);
    expect(Number(expired?.detail.numbers?.ltv)).toBeGreaterThanOrEqual(0.85);
    expect(expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200)).toMatchObject({ frozen: true });
  });

  it('a feed that stopped raises a stale-price case', async () => {
    await runJobs();
    const [stale] = await cases('market.stale_price');
    expect(stale?.detail.numbers).toMatchObject({ expectedIntervalMs: 30 * MINUTE });
    expect(Number(stale?.detail.numbers?.ageMs)).toBeGreaterThan(30 * MINUTE);
  });

  it('a gateway stopped for its interval raises a case, which clears when it returns', async () => {
    const gateway = await startGatewayFeed(w, 's-a1');
    await gateway.send('gateway.started', { evidence: evidenceOf('gateway.started'), ts: clock.now() });
    await settle();
    clock.advance(15 * MINUTE + 1);
    await runJobs();
    const [silent] = (await cases('watchdog.gateway_silent', w.operator)).filter((c) => c.status !== 'resolved');
    expect(silent).toMatchObject({ severity: 'warning' });
    await gateway.send('lot.verified', { lotId: 'ANY', evidence: { expected: 1, present: 1, missing: 0 }, ts: clock.now() });
    await settle();
    expect((await cases('watchdog.gateway_silent', w.operator)).find((c) => c.id === silent?.id)).toMatchObject({ status: 'resolved' });
  });
});
