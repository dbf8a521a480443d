import { evidenceOf } from '../../support/evidence-examples.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../cloud/alerts/case-views.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld } from '../alerts/support/monitoring-world.ts';

interface Entry {
  seq: number;
  action: string;
  entityType: string;
  entityId: string;
  actor: string;
  tenantId: string | null;
  before: unknown;
  after: unknown;
}

describe('audit trail routes', () => {
  let w: MonitoringWorld;
  let risk: Caller;
  let otherRisk: Caller;
  let admin: Caller;
  let caseId = '';

  beforeAll(async () => {
    w = await startMonitoringWorld();
    await w.pledgeLot({ site: 's-a', lotId: 'LOT-1', bank: 'bank-a', operator: 'wh-a' });
    const gw = await w.gateway('s-a');
    risk = await w.as('bank-a', 'risk_officer');
    otherRisk = await w.as('bank-b', 'risk_officer');
    admin = await w.as('platform', 'admin');
    await gw.send([{ type: 'tags.missing', severity: 'critical', lotId: 'LOT-1', evidence: evidenceOf('tags.missing', { count: 2 }) }]);
    caseId = ((expectStatus(await risk.get('/api/v1/alerts'), 200).items as CaseView[])[0] as CaseView).id;
    expectStatus(await risk.post(`/api/v1/alerts/${caseId}/acknowledge`), 200);
  });
  afterAll(() => w.close());

  const entries = async (caller: Caller, query: string): Promise<Entry[]> => expectStatus(await caller.get(`/api/v1/audit?${query}`), 200).items as Entry[];

  it('records every change with actor, time, before and after, newest first', async () => {
    const trail = await entries(risk, `entityType=case&entityId=${caseId}`);
    expect(trail.map((e) => e.action)).toEqual(['case.acknowledged', 'case.opened']);
    expect(trail[0]).toMatchObject({ actor: `user:${risk.userId}`, before: { status: 'open' }, after: { status: 'acknowledged' } });
    expect(trail[1]).toMatchObject({ actor: 'system:special-monitoring', before: null, after: { status: 'open', kind: 'tags.missing' } });
    expect((await entries(risk, 'action=case.acknowledged')).map((e) => e.entityId)).toEqual([caseId]);
  });

  it("scopes the trail to the caller's tenant and the cases it sees", async () => {
    const mine = await entries(risk, 'limit=1000');
    expect(mine.some((e) => e.entityId === caseId)).toBe(true);
    expect(mine.every((e) => e.tenantId === 'bank-a' || (e.tenantId === null && e.entityType === 'case'))).toBe(true);
    const theirs = await entries(otherRisk, 'limit=1000');
    expect(theirs.some((e) => e.entityId === caseId)).toBe(false);
    expect(theirs.every((e) => e.tenantId === 'bank-b')).toBe(true);
    expect((await entries(admin, 'limit=1000')).length).toBeGreaterThan(mine.length);
  });

  it('pages backwards by seq', async () => {
    const page = expectStatus(await admin.get('/api/v1/audit?limit=2'), 200);
    const next = expectStatus(await admin.get(`/api/v1/audit?limit=2&beforeSeq=${String(page.nextBeforeSeq)}`), 200);
    const seqs = [...(page.items as Entry[]), ...(next.items as Entry[])].map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(4);
  });

  it('verifies the chain for administrators only', async () => {
    expect((await risk.get('/api/v1/audit/verify')).statusCode).toBe(403);
    expect((await w.app.inject({ method: 'GET', url: '/api/v1/audit/verify' })).statusCode).toBe(401);
    expect(expectStatus(await admin.get('/api/v1/audit/verify'), 200)).toMatchObject({ ok: true });
  });

  it('names the first altered entry after someone edits the table behind the triggers', async () => {
    const [ack] = await entries(admin, `action=case.acknowledged&entityId=${caseId}`);
    await expect(w.db.sql.exec(`UPDATE audit_entry SET actor = 'user:nobody' WHERE seq = ${ack?.seq}`)).rejects.toThrow(/append-only/);
    await w.db.sql.exec(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only`);
    await w.db.sql.exec(`UPDATE audit_entry SET after = jsonb_set(after, '{status}', '"resolved"') WHERE seq = ${ack?.seq}`);
    await w.db.sql.exec(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only`);
    expect(expectStatus(await admin.get('/api/v1/audit/verify'), 200)).toEqual({
      ok: false,
      seq: ack?.seq,
      reason: 'hash',
      message: `entry ${ack?.seq} was altered after it was written`,
    });
  });
});
