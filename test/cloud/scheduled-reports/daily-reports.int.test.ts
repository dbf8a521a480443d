import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink } from '../../support/mail-sink.ts';
import { createFrozenClock } from '../../support/test-clock.ts';
import { expectStatus, facilityBody, list, receiptBody, startCollateralWorld, type CollateralWorld } from '../risk/support/collateral-world.ts';

describe('daily reports at the bank’s cut-off time', () => {
  let w: CollateralWorld;
  let mail: MailSink;
  // 17:59 UTC; the test sites are on UTC and the cut-off is 18:00.
  const day = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate(), 17, 59));
  const clock = createFrozenClock(day);
  const runJobs = async () => {
    const ran = await w.app.earlyWarning.jobs.runDue(clock.now());
    await w.app.notifications.idle();
    return ran;
  };

  // Starting the cloud on a fresh database is most of the setup; a loaded machine needs more than the default minute.
  beforeAll(async () => {
    mail = await startMailSink();
    w = await startCollateralWorld({ now: clock.now, env: { SMTP_URL: mail.url, REPORT_CUTOFF: '18:00' } });
    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody()), 201);
    const facility = expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201);
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId: facility.id }), 201);
    expectStatus(await w.lender.post('/api/v1/notifications/subscriptions', { channel: 'email', target: 'reports@bank-a.test', topics: ['report'], minSeverity: 'info' }), 201);
  }, 180_000);
  afterAll(async () => {
    await w.close();
    await mail.close();
  });

  it('makes nothing before the cut-off, then one report per bank and site, stored and sent', async () => {
    expect(await runJobs()).toContain('daily-reports');
    expect(list(expectStatus(await w.lender.get('/api/v1/reports/stored'), 200), 'items')).toEqual([]);
    clock.advance(60_000);
    expect(await runJobs()).toContain('daily-reports');
    const items = list(expectStatus(await w.lender.get('/api/v1/reports/stored'), 200), 'items') as { id: string; site: string; day: string; lots: number }[];
    expect(items).toEqual([expect.objectContaining({ site: 's-a1', day: day.toISOString().slice(0, 10), lots: 1 })]);
    expect(mail.mails.filter((m) => m.to.includes('reports@bank-a.test'))).toHaveLength(1);
    // A later run the same day makes no second report.
    clock.advance(15 * 60_000);
    await runJobs();
    expect(list(expectStatus(await w.lender.get('/api/v1/reports/stored'), 200), 'items')).toHaveLength(1);
    expect(mail.mails).toHaveLength(1);
  });

  it('downloads as CSV and printable HTML; another bank does not see it', async () => {
    const [item] = list(expectStatus(await w.lender.get('/api/v1/reports/stored'), 200), 'items') as { id: string }[];
    const csv = await w.lender.get(`/api/v1/reports/stored/${item?.id}?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('lot_id');
    expect(csv.body).toContain('s-a1');
    const html = await w.lender.get(`/api/v1/reports/stored/${item?.id}?format=html`);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<table>');
    expect(html.body).toContain('@page');
    expect(expectStatus(await w.lender.get(`/api/v1/reports/stored/${item?.id}`), 200)).toMatchObject({ kind: 'site', subject: 's-a1' });
    expectStatus(await w.otherLender.get(`/api/v1/reports/stored/${item?.id}`), 404);
    expect(list(expectStatus(await w.otherLender.get('/api/v1/reports/stored'), 200), 'items')).toEqual([]);
  });

  it("follows the bank's own cut-off once its risk officer sets one", async () => {
    expect(expectStatus(await w.lender.get('/api/v1/reports/cutoff'), 200)).toEqual({ cutoff: '18:00', bankDefined: false });
    expect((await w.lender.put('/api/v1/reports/cutoff', { cutoff: '19:30' })).statusCode).toBe(403);
    const bad = await w.risk.put('/api/v1/reports/cutoff', { cutoff: '24:00' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ statusCode: 400, message: expect.stringContaining('cutoff') });
    expect(expectStatus(await w.risk.put('/api/v1/reports/cutoff', { cutoff: '19:30' }), 200)).toEqual({ cutoff: '19:30', bankDefined: true });

    // The next day at 18:05 the platform default has passed, the bank's cut-off has not.
    clock.advance(86_400_000 - 10 * 60_000); // from 18:15 to 18:05 the next day
    await runJobs();
    expect(list(expectStatus(await w.lender.get('/api/v1/reports/stored'), 200), 'items')).toHaveLength(1);
    clock.advance(84 * 60_000); // 19:29: not yet
    await runJobs();
    expect(list(expectStatus(await w.lender.get('/api/v1/reports/stored'), 200), 'items')).toHaveLength(1);
    clock.advance(60_000); // 19:30
    await runJobs();
    const items = list(expectStatus(await w.lender.get('/api/v1/reports/stored'), 200), 'items') as { day: string }[];
    expect(items.map((i) => i.day)).toEqual([new Date(day.getTime() + 86_400_000).toISOString().slice(0, 10), day.toISOString().slice(0, 10)]);
    const audit = expectStatus(await w.risk.get('/api/v1/audit?action=report.cutoff_set'), 200);
    expect(list(audit, 'items')).toEqual([expect.objectContaining({ action: 'report.cutoff_set', after: { cutoff: '19:30', bankDefined: true } })]);
    expect(expectStatus(await w.risk.put('/api/v1/reports/cutoff', { cutoff: null }), 200)).toEqual({ cutoff: '18:00', bankDefined: false });
  });
});
