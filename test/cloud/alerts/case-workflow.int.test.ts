import { evidenceOf } from '../../support/evidence-examples.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetailView, CaseView } from '../../../cloud/alerts/case-views.ts';
import type { CloudDomainEvents } from '../../../cloud/domain-events/domain-event-bus.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld, type TestGateway } from './support/monitoring-world.ts';

describe('alert cases: special monitoring and the workflow', () => {
  let w: MonitoringWorld;
  let gw: TestGateway;
  let risk: Caller;
  let branch: Caller;
  let otherBranch: Caller;
  let lender: Caller;
  let operator: Caller;
  let otherBank: Caller;
  const opened: CloudDomainEvents['case.opened'][] = [];
  const resolved: CloudDomainEvents['case.resolved'][] = [];

  beforeAll(async () => {
    w = await startMonitoringWorld();
    w.bus.on('case.opened', 'test', (p) => void opened.push(p));
    w.bus.on('case.resolved', 'test', (p) => void resolved.push(p));
    await w.pledgeLot({ site: 's-a', lotId: 'LOT-1', bank: 'bank-a', operator: 'wh-a' });
    await w.pledgeLot({ site: 's-a', lotId: 'LOT-2', bank: 'bank-b', operator: 'wh-a' });
    gw = await w.gateway('s-a');
    risk = await w.as('bank-a', 'risk_officer');
    branch = await w.as('bank-a', 'branch_investigator');
    otherBranch = await w.as('bank-b', 'branch_investigator');
    lender = await w.as('bank-a', 'lender');
    operator = await w.as('wh-a', 'warehouse_operator');
    otherBank = await w.as('bank-b', 'risk_officer');
  });
  afterAll(() => w.close());

  const list = async (caller: Caller, query = ''): Promise<CaseView[]> => expectStatus(await caller.get(`/api/v1/alerts${query}`), 200).items as CaseView[];

  it('opens one case per lot and kind from warning events; repeats attach as evidence', async () => {
    await gw.send([
      { type: 'lot.verified', severity: 'info', lotId: 'LOT-1', zone: 'bay-1', evidence: { expected: 80, present: 80, missing: 0 } },
      { type: 'tags.missing', severity: 'warning', lotId: 'LOT-1', zone: 'bay-1', evidence: evidenceOf('tags.missing', { count: 3 }) },
    ]);
    // A later batch, worse: it joins the open case and raises its severity.
    await gw.send([
      { type: 'tags.missing', severity: 'critical', lotId: 'LOT-1', zone: 'bay-1', evidence: evidenceOf('tags.missing', { count: 12 }) },
      { type: 'device.online', severity: 'info', evidence: evidenceOf('device.online', { device: 's-a/rfid/r1' }) },
    ]);
    const cases = await list(risk);
    expect(cases).toHaveLength(1);
    const c = cases[0] as CaseView;
    expect(c).toMatchObject({ kind: 'tags.missing', site: 's-a', lotId: 'LOT-1', status: 'open', source: 'gateway', occurrences: 2, severity: 'critical', escalationLevel: 0 });
    // Raised from warning to critical: the critical acknowledgement window (15 min) applies.
    expect(Date.parse(c.dueAt ?? '') - Date.parse(c.openedAt)).toBe(15 * 60_000);
    const detail = expectStatus(await risk.get(`/api/v1/alerts/${c.id}`), 200) as unknown as CaseDetailView;
    // Both events are linked; media (attachments) are linked for camera and audio evidence (case-rules.test.ts).
    expect(detail.evidence.map((e) => e.kind).sort()).toEqual(['event', 'event']);
    // Missing tags are the bank's matter: the warehouse under suspicion is not told.
    expect(opened.filter((o) => o.caseId === c.id).map((o) => o.tenantId).sort()).toEqual(['bank-a']);
  });

  it('shows a case to the lot’s bank, not to another bank nor to the warehouse it concerns', async () => {
    expect(await list(operator)).toHaveLength(0);
    expect(await list(lender)).toHaveLength(1);
    expect(await list(otherBank)).toHaveLength(0);
    const id = (await list(risk))[0]?.id ?? '';
    expect((await otherBank.get(`/api/v1/alerts/${id}`)).statusCode).toBe(404);
    expect((await otherBank.post(`/api/v1/alerts/${id}/acknowledge`)).statusCode).toBe(404);
    expect((await operator.get(`/api/v1/alerts/${id}`)).statusCode).toBe(404);
  });

  it('runs open → acknowledged → investigating → resolved, refusing illegal transitions with 409', async () => {
    const id = (await list(risk))[0]?.id ?? '';
    const premature = await branch.post(`/api/v1/alerts/${id}/investigate`);
    expect(premature.statusCode).toBe(409);
    expect(premature.json()).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect((await risk.post(`/api/v1/alerts/${id}/resolve`, { finding: { kind: 'false_alarm' } })).statusCode).toBe(409);
    expect((await lender.post(`/api/v1/alerts/${id}/acknowledge`)).statusCode).toBe(403);

    expect(expectStatus(await risk.post(`/api/v1/alerts/${id}/acknowledge`, { note: 'seen at head office' }), 200)).toMatchObject({ status: 'acknowledged' });
    expect((await risk.post(`/api/v1/alerts/${id}/acknowledge`)).statusCode).toBe(409);
    expect((await risk.post(`/api/v1/alerts/${id}/assign`, { userId: otherBranch.userId })).statusCode).toBe(404);
    expect((await risk.post(`/api/v1/alerts/${id}/assign`, { userId: risk.userId })).statusCode).toBe(400);
    expect(expectStatus(await risk.post(`/api/v1/alerts/${id}/assign`, { userId: branch.userId }), 200)).toMatchObject({ assigneeId: branch.userId });
    expect(expectStatus(await branch.post(`/api/v1/alerts/${id}/investigate`), 200)).toMatchObject({ status: 'investigating' });

    expectStatus(await branch.post(`/api/v1/alerts/${id}/comments`, { body: 'On site: 12 bags short at bay 1.' }), 201);
    expectStatus(await branch.post(`/api/v1/alerts/${id}/evidence`, { kind: 'document', ref: 'https://dms.example/wh-a/incident-17.pdf' }), 201);
    expect((await branch.post(`/api/v1/alerts/${id}/evidence`, { kind: 'document', ref: 'https://dms.example/wh-a/incident-17.pdf' })).statusCode).toBe(409);
    expect((await operator.post(`/api/v1/alerts/${id}/evidence`, { kind: 'document', ref: 'https://dms.example/wh-a/x.pdf' })).statusCode).toBe(404);

    expect((await branch.post(`/api/v1/alerts/${id}/resolve`, { finding: { kind: 'confirmed_loss' } })).statusCode).toBe(400);
    expect((await branch.post(`/api/v1/alerts/${id}/resolve`, { finding: { kind: 'false_alarm', quantity: { value: '1', unit: 't' } } })).statusCode).toBe(400);
    expect((await branch.post(`/api/v1/alerts/${id}/resolve`, { finding: { kind: 'confirmed_loss', quantity: { value: '-2', unit: 't' } } })).statusCode).toBe(400);
    const done = expectStatus(await branch.post(`/api/v1/alerts/${id}/resolve`, { finding: { kind: 'confirmed_loss', quantity: { value: '1.200', unit: 't' } }, note: 'theft at night' }), 200);
    expect(done).toMatchObject({ status: 'resolved', finding: { kind: 'confirmed_loss', quantity: { value: '1.2', unit: 't' } }, dueAt: null, resolutionNote: 'theft at night' });
    await w.bus.idle();
    expect(resolved.filter((r) => r.caseId === id).map((r) => [r.tenantId, r.finding, r.lotId])).toEqual([['bank-a', 'confirmed_loss', 'LOT-1']]);
    for (const action of ['acknowledge', 'investigate']) expect((await risk.post(`/api/v1/alerts/${id}/${action}`)).statusCode).toBe(409);
    expect((await risk.post(`/api/v1/alerts/${id}/resolve`, { finding: { kind: 'false_alarm' } })).statusCode).toBe(409);
    expect((await risk.post(`/api/v1/alerts/${id}/assign`, { userId: branch.userId })).statusCode).toBe(409);

    const detail = expectStatus(await lender.get(`/api/v1/alerts/${id}`), 200) as unknown as CaseDetailView;
    expect(detail.comments.map((c) => c.body)).toEqual(['On site: 12 bags short at bay 1.']);
    const trail = expectStatus(await risk.get(`/api/v1/audit?entityType=case&entityId=${id}&limit=50`), 200).items as { action: string; actor: string; before: unknown; after: unknown }[];
    expect(trail.map((t) => t.action).reverse()).toEqual([
      'case.opened',
      'case.severity_raised',
      'case.acknowledged',
      'case.assigned',
      'case.investigating',
      'case.commented',
      'case.evidence_added',
      'case.resolved',
    ]);
    expect(trail[0]).toMatchObject({ actor: `user:${branch.userId}`, before: { status: 'investigating' }, after: { status: 'resolved', finding: 'confirmed_loss' } });
  });

  it('opens a new case after resolution rather than reopening the old one', async () => {
    await gw.send([{ type: 'tags.missing', severity: 'warning', lotId: 'LOT-1', zone: 'bay-1', evidence: evidenceOf('tags.missing', { count: 1 }) }]);
    const active = await list(risk, '?status=active');
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({ occurrences: 1, severity: 'warning', status: 'open' });
  });

  it('turns suspect and breached lot states, camera tampering, sounds and silent devices into cases', async () => {
    await gw.send([
      { type: 'lot.state', severity: 'info', lotId: 'LOT-1', evidence: evidenceOf('lot.state', { state: 'degraded' }) },
      { type: 'lot.state', severity: 'warning', lotId: 'LOT-1', evidence: evidenceOf('lot.state', { state: 'suspect' }) },
      { type: 'lot.state', severity: 'warning', lotId: 'LOT-2', evidence: evidenceOf('lot.state', { state: 'breached' }) },
      { type: 'camera.tamper', severity: 'critical', zone: 'bay-1', evidence: evidenceOf('camera.tamper', { device: 's-a/camera/c1', kind: 'covered' }) },
      { type: 'audio.anomaly', severity: 'warning', zone: 'bay-1', evidence: evidenceOf('audio.anomaly', { label: 'cutting' }) },
      { type: 'audio.anomaly', severity: 'info', zone: 'bay-1', evidence: evidenceOf('audio.anomaly', { label: 'voices' }) },
      { type: 'device.offline', severity: 'warning', evidence: evidenceOf('device.offline', { device: 's-a/rfid/r2' }) },
    ]);
    const kinds = (await list(risk, '?status=active')).map((c) => `${c.kind}:${c.lotId ?? '-'}:${c.severity}`).sort();
    // The suspect lot froze bank-a's facility, and a freeze is a case of its own (early warning).
    expect(kinds).toEqual(['audio.anomaly:-:warning', 'camera.tamper:-:critical', 'device.offline:-:warning', 'facility.frozen:-:critical', 'lot.state:LOT-1:warning', 'tags.missing:LOT-1:warning']);
    // LOT-2 is bank-b's: its breach is bank-b's case, and site-wide cases are both banks'.
    const theirs = (await list(otherBank, '?status=active')).map((c) => `${c.kind}:${c.lotId ?? '-'}:${c.severity}`).sort();
    expect(theirs).toEqual(['audio.anomaly:-:warning', 'camera.tamper:-:critical', 'device.offline:-:warning', 'facility.frozen:-:critical', 'lot.state:LOT-2:critical']);
    // The warehouse sees what concerns operations (its silent reader), none of the suspicions about it.
    expect((await list(operator, '?status=active')).map((c) => c.kind)).toEqual(['device.offline']);
  });

  it('turns goods pledged elsewhere (collateral.changed) into a case for the holding bank', async () => {
    w.bus.emit('collateral.changed', {
      tenantId: 'bank-a',
      facilityId: null,
      receiptId: null,
      reason: 'pledged_epc_elsewhere',
      detail: { receiptNumber: 'EWR-1', receiptSite: 's-a', lotId: 'LOT-1', seenAtSite: 's-b', gatewayId: 'gw-s-b', eventId: '00000000-0000-4000-8000-00000000000a', at: '2026-03-02T09:00:00.000Z', epcs: ['3074257BF7194E4000001A85'] },
    });
    await w.bus.idle();
    const c = (await list(lender, '?kind=pledged_epc_elsewhere'))[0];
    expect(c).toMatchObject({ severity: 'critical', site: 's-a', lotId: 'LOT-1', source: 'collateral' });
    expect(await list(otherBank, '?kind=pledged_epc_elsewhere')).toHaveLength(0);
  });

  it('lets head office raise a warning by hand, only where it has a stake', async () => {
    const body = { title: 'Unusual truck traffic reported by the branch', severity: 'warning', site: 's-a', lotId: 'LOT-1', kind: 'manual' };
    const created = expectStatus(await risk.post('/api/v1/alerts', body), 201);
    expect(created).toMatchObject({ kind: 'manual', source: 'manual', status: 'open', openedBy: `user:${risk.userId}` });
    expect((await risk.post('/api/v1/alerts', body)).statusCode).toBe(200);
    expect((await risk.post('/api/v1/alerts', { ...body, lotId: 'LOT-2' })).statusCode).toBe(404);
    expect((await risk.post('/api/v1/alerts', { ...body, site: 's-b', lotId: undefined })).statusCode).toBe(404);
    expect((await branch.post('/api/v1/alerts', body)).statusCode).toBe(403);
  });

  it('pages with a cursor and validates filters', async () => {
    const first = expectStatus(await risk.get('/api/v1/alerts?limit=2'), 200);
    expect((first.items as unknown[]).length).toBe(2);
    const second = expectStatus(await risk.get(`/api/v1/alerts?limit=2&cursor=${String(first.nextCursor)}`), 200);
    const ids = [...(first.items as CaseView[]), ...(second.items as CaseView[])].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await risk.get('/api/v1/alerts?cursor=nope')).statusCode).toBe(400);
    expect((await risk.get('/api/v1/alerts?status=closed')).statusCode).toBe(400);
    expect((await risk.get('/api/v1/alerts/not-a-uuid')).statusCode).toBe(400);
    expect((await w.app.inject({ method: 'GET', url: '/api/v1/alerts' })).statusCode).toBe(401);
  });
});
