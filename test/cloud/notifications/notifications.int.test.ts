import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSeverity } from '../../../cloud/alerts/case-sla.ts';
import { verifyWebhook } from '../../../cloud/notifications/webhook-signature.ts';
import { startTestCloud, TEST_TENANTS, type TestCloud, type TokenHolder } from '../../support/cloud-app.ts';
import { startMailSink, type MailSink } from '../../support/mail-sink.ts';
import { createFrozenClock } from '../../support/test-clock.ts';
import { startWebhookSink, type WebhookSink } from '../../support/webhook-sink.ts';

describe('notifications by email and webhook', () => {
  let cloud: TestCloud;
  let mail: MailSink;
  let hooks: WebhookSink;
  let lender: TokenHolder;
  let risk: TokenHolder;
  let admin: TokenHolder;
  const clock = createFrozenClock();
  const secrets = new Map<string, string>();

  const call = async (who: TokenHolder, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => {
    await who.ready();
    return cloud.app.inject({ method, url, headers: { authorization: `Bearer ${who.token}` }, ...(payload === undefined ? {} : { payload }) });
  };
  const subscribe = async (who: TokenHolder, body: object): Promise<string> => {
    const res = await call(who, 'POST', '/api/v1/notifications/subscriptions', body);
    expect(res.statusCode, res.body).toBe(201);
    const { subscription, secret } = res.json() as { subscription: { id: string; target: string }; secret: string | null };
    if (secret !== null) secrets.set(subscription.target, secret);
    return subscription.id;
  };
  const raiseCase = async (severity: CaseSeverity, title: string) => {
    const { caseId } = await cloud.app.monitoring.raise(
      { kind: 'manual', title, severity, source: 'manual', siteId: 's-a1', lotId: null, gatewayId: null, at: clock.now(), detail: {}, evidence: [], extraTenants: ['bank-a'], subject: title },
      'test',
    );
    await cloud.app.notifications.idle();
    return { id: caseId };
  };
  const deliver = async (advanceMs: number) => {
    clock.advance(advanceMs);
    await cloud.app.notifications.deliverDue(clock.now());
  };

  // Starting the cloud on a fresh database is most of the setup; a loaded machine needs more than the default minute.
  beforeAll(async () => {
    mail = await startMailSink();
    hooks = await startWebhookSink();
    cloud = await startTestCloud({ name: 'notifications-test', tenants: TEST_TENANTS, sites: [{ id: 's-a1', tenantId: 'wh-a', name: 'A1', timezone: 'UTC' }], env: { SMTP_URL: mail.url, MAIL_FROM: 'alerts@bank.test' }, now: clock.now });
    lender = cloud.tokenHolder('bank-a', 'lender');
    risk = cloud.tokenHolder('bank-a', 'risk_officer');
    admin = cloud.tokenHolder('platform', 'admin');
    await subscribe(lender, { channel: 'email', target: 'lender@bank-a.test', topics: ['case'] });
    await subscribe(lender, { channel: 'webhook', target: `${hooks.url}/ok`, topics: ['case'], minSeverity: 'critical' });
  }, 180_000);
  afterAll(async () => {
    await cloud.close();
    await mail.close();
    await hooks.close();
  });

  it('refuses bad subscriptions', async () => {
    expect((await call(lender, 'POST', '/api/v1/notifications/subscriptions', { channel: 'email', target: 'not-an-address', topics: ['case'] })).statusCode).toBe(400);
    expect((await call(lender, 'POST', '/api/v1/notifications/subscriptions', { channel: 'webhook', target: 'ftp://x.test/h', topics: ['case'] })).statusCode).toBe(400);
    expect((await call(lender, 'POST', '/api/v1/notifications/subscriptions', { channel: 'email', target: 'a@b.test', topics: ['gossip'] })).statusCode).toBe(400);
    expect((await call(lender, 'POST', '/api/v1/notifications/subscriptions', { channel: 'email', target: 'team@bank-a.test', topics: ['case'], role: 'lender' })).statusCode).toBe(403);
  });

  it('a critical case reaches the email and the signed webhook; an info case neither', async () => {
    await raiseCase('info', 'Routine note');
    expect(mail.mails).toEqual([]);
    const opened = await raiseCase('critical', 'Goods leaving lot L-9');
    expect(mail.mails).toHaveLength(1);
    expect(mail.mails[0]).toMatchObject({ from: 'alerts@bank.test', to: ['lender@bank-a.test'] });
    expect(mail.mails[0]?.raw).toContain('Goods leaving lot L-9');
    const hook = hooks.received.find((h) => h.path === '/ok');
    expect(hook).toBeDefined();
    const { headers, body }: { headers: Record<string, string | string[] | undefined>; body: string } = hook ?? { headers: {}, body: '' };
    expect(verifyWebhook(secrets.get(`${hooks.url}/ok`) ?? '', String(headers['x-timestamp']), body, String(headers['x-signature']))).toBe(true);
    expect(verifyWebhook('another-secret', String(headers['x-timestamp']), body, String(headers['x-signature']))).toBe(false);
    expect(JSON.parse(body)).toMatchObject({ event: 'case.opened', case: { id: opened.id, severity: 'critical' } });
  });

  it('retries a failing webhook with backoff until it answers, and keeps a dead letter after the last attempt', async () => {
    await subscribe(risk, { channel: 'webhook', target: `${hooks.url}/flaky`, topics: ['case'] });
    await subscribe(risk, { channel: 'webhook', target: `${hooks.url}/dead`, topics: ['case'] });
    hooks.answer('/flaky', [500, 503]);
    hooks.answer('/dead', Array.from({ length: 8 }, () => 500));
    await raiseCase('warning', 'Scale drift');
    const count = (path: string) => hooks.received.filter((h) => h.path === path).length;
    expect([count('/flaky'), count('/dead')]).toEqual([1, 1]);
    await deliver(10_000); // not due yet: the first retry waits 30–33 s
    expect(count('/flaky')).toBe(1);
    await deliver(24_000);
    expect(count('/flaky')).toBe(2);
    await deliver(67_000);
    expect(count('/flaky')).toBe(3);
    const flaky = await cloud.db.prisma.notificationDelivery.findFirst({ where: { target: `${hooks.url}/flaky` } });
    expect(flaky).toMatchObject({ status: 'delivered', attempts: 3 });
    for (let i = 0; i < 8; i += 1) await deliver(2 * 3_600_000);
    expect(count('/dead')).toBe(8);
    expect(count('/flaky')).toBe(3);

    expect((await call(lender, 'GET', '/api/v1/notifications/dead-letters')).statusCode).toBe(403);
    const dead = (await call(admin, 'GET', '/api/v1/notifications/dead-letters')).json() as { items: { id: string; target: string; attempts: number; lastError: string }[] };
    expect(dead.items).toEqual([expect.objectContaining({ target: `${hooks.url}/dead`, attempts: 8, lastError: 'HTTP 500' })]);
    const retried = await call(admin, 'POST', `/api/v1/notifications/dead-letters/${dead.items[0]?.id}/retry`);
    expect(retried.statusCode).toBe(202);
    await cloud.app.notifications.idle();
    expect(count('/dead')).toBe(9);
    expect(((await call(admin, 'GET', '/api/v1/notifications/dead-letters')).json() as { items: unknown[] }).items).toEqual([]);
  });

  it('an escalation goes to the next level by their account email', async () => {
    await risk.ready();
    const opened = await raiseCase('warning', 'Nobody looked at this');
    mail.mails.length = 0;
    clock.advance(3_600_001); // past the hour a warning gets to be acknowledged
    expect(await cloud.app.monitoring.escalateOverdue(clock.now())).toBeGreaterThanOrEqual(1);
    await cloud.app.notifications.idle();
    // Every case left unacknowledged escalates; this one's message goes to the risk officer once.
    const toRisk = mail.mails.filter((m) => m.to.includes(risk.email) && m.raw.includes('Nobody looked at this'));
    expect(toRisk).toHaveLength(1);
    expect(mail.mails.filter((m) => m.to.includes(lender.email))).toEqual([]);
    expect(toRisk[0]?.raw).toContain('escalated 1');
    const reference = (await cloud.db.prisma.alertCase.findUnique({ where: { id: opened.id } }))?.number;
    expect(toRisk[0]?.raw).toContain(`C-${reference}`);
  });

  it('lists and ends subscriptions: a user sees their own, a risk officer the tenant’s', async () => {
    const mine = (await call(lender, 'GET', '/api/v1/notifications/subscriptions')).json() as { items: { id: string }[] };
    expect(mine.items).toHaveLength(2);
    const all = (await call(risk, 'GET', '/api/v1/notifications/subscriptions')).json() as { items: { id: string }[] };
    expect(all.items).toHaveLength(4);
    const other = cloud.tokenHolder('bank-b', 'risk_officer');
    expect((await call(other, 'DELETE', `/api/v1/notifications/subscriptions/${mine.items[0]?.id}`)).statusCode).toBe(404);
    expect((await call(lender, 'DELETE', `/api/v1/notifications/subscriptions/${mine.items[0]?.id}`)).statusCode).toBe(204);
  });
});
