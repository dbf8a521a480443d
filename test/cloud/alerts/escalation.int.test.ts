import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../infra/logger.ts';
import { authPlugin } from '../../../cloud/auth/auth-plugin.ts';
import { createUserRepository } from '../../../cloud/auth/user-repository.ts';
import type { Database } from '../../../cloud/db/database.ts';
import { createDomainEventBus } from '../../../cloud/domain-events/domain-event-bus.ts';
import { ErrorResponse, errorHandler } from '../../../cloud/http/error-response.ts';
import { monitoringPlugin } from '../../../cloud/monitoring/monitoring-plugin.ts';
import type { LiveMessage } from '../../../cloud/live/live-hub.ts';
import type { CaseView } from '../../../cloud/alerts/case-views.ts';
import { openTestDatabase } from '../../support/test-database.ts';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const MIN = 60_000;

describe('SLA deadlines and escalation, on a clock the test controls', () => {
  let db: Database;
  let app: FastifyInstance;
  let t = T0;
  const now = () => new Date(t);
  const seen: LiveMessage[] = [];
  let caseId = '';
  let riskToken = '';

  beforeAll(async () => {
    db = await openTestDatabase();
    const log = createLogger('escalation-test');
    app = Fastify({ loggerInstance: log as FastifyBaseLogger });
    app.setErrorHandler(errorHandler);
    app.addSchema(ErrorResponse);
    await app.register(authPlugin, { users: createUserRepository(db.prisma), jwtSecret: 'x'.repeat(32), tokenTtlSeconds: 3600, loginRateLimit: { max: 10, timeWindowMs: 60_000 } });
    // The timers are off: the test drives time and calls the jobs with it.
    await app.register(monitoringPlugin, { db, bus: createDomainEventBus(log), now, slaIntervalMs: 0, inspectionIntervalMs: 0 });
    await app.ready();
    await db.prisma.tenant.createMany({ data: [{ id: 'bank-a', name: 'A', kind: 'bank' }, { id: 'wh-a', name: 'W', kind: 'warehouse_operator' }, { id: 'bank-b', name: 'B', kind: 'bank' }] });
    await db.prisma.site.create({ data: { id: 's-a', tenantId: 'wh-a', name: 'A' } });
    // Tokens must name an existing, enabled user: auth checks the account on every request.
    const riskId = randomUUID();
    await db.prisma.user.create({ data: { id: riskId, tenantId: 'bank-a', email: 'risk@a.test', name: 'Risk', role: 'risk_officer', passwordHash: 'unusable' } });
    riskToken = app.jwt.sign({ sub: riskId, tid: 'bank-a', role: 'risk_officer', email: 'risk@a.test' });
    app.monitoring.live.subscribe({ tenantId: 'bank-a', seesAll: false }, (m) => void seen.push(m));
    const raised = await app.monitoring.raise(
      { kind: 'audio.anomaly', title: 'Sound of cutting', severity: 'warning', source: 'gateway', siteId: 's-a', lotId: null, gatewayId: null, at: now(), detail: {}, evidence: [], extraTenants: ['bank-a'] },
      'system:test',
    );
    caseId = raised.caseId;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const current = async (): Promise<CaseView> => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/alerts/${caseId}`, headers: { authorization: `Bearer ${riskToken}` } });
    expect(res.statusCode).toBe(200);
    return res.json() as CaseView;
  };

  it('gives a warning one hour to be acknowledged', async () => {
    expect(await current()).toMatchObject({ severity: 'warning', openedAt: new Date(T0).toISOString(), dueAt: new Date(T0 + 60 * MIN).toISOString(), overdue: false });
    t = T0 + 59 * MIN;
    expect(await app.monitoring.escalateOverdue(now())).toBe(0);
  });

  it('escalates when the deadline passes: severity up, a new deadline, an audit entry, a live event', async () => {
    t = T0 + 60 * MIN;
    expect(await app.monitoring.escalateOverdue(now())).toBe(1);
    expect(await current()).toMatchObject({ severity: 'critical', escalationLevel: 1, escalatedAt: new Date(t).toISOString(), dueAt: new Date(t + 15 * MIN).toISOString() });
    expect(seen.filter((m) => m.event === 'case.escalated').map((m) => (m.data as CaseView).id)).toEqual([caseId]);
    const audit = await db.prisma.auditEntry.findMany({ where: { entityId: caseId, action: 'case.escalated' } });
    expect(audit).toMatchObject([{ actor: 'system:sla', before: { severity: 'warning', escalationLevel: 0 }, after: { severity: 'critical', escalationLevel: 1 } }]);
    expect(await app.monitoring.escalateOverdue(now())).toBe(0);
  });

  it('counts the resolution deadline from the opening once acknowledged, and escalates again when it passes', async () => {
    t = T0 + 70 * MIN;
    const ack = await app.inject({ method: 'POST', url: `/api/v1/alerts/${caseId}/acknowledge`, headers: { authorization: `Bearer ${riskToken}` } });
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedAt: new Date(t).toISOString(), dueAt: new Date(T0 + 4 * 60 * MIN).toISOString() });
    t = T0 + 4 * 60 * MIN - 1;
    expect(await app.monitoring.escalateOverdue(now())).toBe(0);
    t = T0 + 4 * 60 * MIN;
    expect(await app.monitoring.escalateOverdue(now())).toBe(1);
    expect(await current()).toMatchObject({ status: 'acknowledged', severity: 'critical', escalationLevel: 2, dueAt: new Date(t + 4 * 60 * MIN).toISOString() });
  });

  it('stops after the last escalation and leaves the case overdue', async () => {
    t = T0 + 8 * 60 * MIN;
    expect(await app.monitoring.escalateOverdue(now())).toBe(1);
    t = T0 + 13 * 60 * MIN;
    expect(await app.monitoring.escalateOverdue(now())).toBe(0);
    expect(await current()).toMatchObject({ escalationLevel: 3, overdue: true });
    const overdue = await app.inject({ method: 'GET', url: '/api/v1/alerts?overdue=true', headers: { authorization: `Bearer ${riskToken}` } });
    expect((overdue.json() as { items: CaseView[] }).items.map((c) => c.id)).toEqual([caseId]);
  });
});
