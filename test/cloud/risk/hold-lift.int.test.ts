import { evidenceOf } from '../../support/evidence-examples.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epcsFor, expectStatus, facilityBody, field, receiptBody, seedCloses, startCollateralWorld, text, type Caller, type CollateralWorld } from './support/collateral-world.ts';
import { startGatewayFeed, type GatewayFeed } from './support/gateway-feed.ts';

// Issue 17: a freeze hold is lifted only through a resolved case of the facility's bank
// about the hold's lot, with a finding that allows it; a breached lot's (critical) hold
// needs a second person's approval, and both steps are audited.
describe('lifting a freeze hold', () => {
  let w: CollateralWorld;
  let feed: GatewayFeed;
  let facilityId: string;
  let holdId: string;
  let firstOfficer: Caller;
  let secondOfficer: Caller;
  const facility = async () => expectStatus(await w.lender.get(`/api/v1/facilities/${facilityId}`), 200);
  const lift = (who: Caller, caseId: string) => who.post(`/api/v1/facilities/${facilityId}/holds/${encodeURIComponent(holdId)}/resolve`, { caseId, note: 'checked' });

  /** A case raised by head office about `lotId`, acknowledged and resolved by `resolver` with `finding`. */
  async function resolvedCase(resolver: Caller, lotId: string, finding: Record<string, unknown> | null): Promise<string> {
    const by = w.risk;
    const raised = await by.post('/api/v1/alerts', { title: `check ${lotId}`, severity: 'critical', site: 's-a1', lotId, kind: `check.${randomUUID().slice(0, 8)}` });
    const id = text(raised.json(), 'id');
    if (finding === null) return id;
    expectStatus(await by.post(`/api/v1/alerts/${id}/acknowledge`, { note: 'seen' }), 200);
    expectStatus(await resolver.post(`/api/v1/alerts/${id}/resolve`, { finding, note: 'counted' }), 200);
    await w.bus.idle();
    return id;
  }

  beforeAll(async () => {
    w = await startCollateralWorld();
    firstOfficer = w.as('bank-a', 'risk_officer');
    secondOfficer = w.as('bank-a', 'risk_officer');
    await seedCloses(w.admin, 'copper', ['8000', '8080', '8000']);
    feed = await startGatewayFeed(w, 's-a1');
    const receiptId = text(expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ lotId: 'LOT-H', epcs: epcsFor(3, 4) })), 201), 'id');
    const otherId = text(expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ lotId: 'LOT-OTHER', epcs: epcsFor(4, 4) })), 201), 'id');
    facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId, facilityId }), 201);
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: otherId, facilityId }), 201);
    await feed.send('lot.state', { lotId: 'LOT-H', severity: 'critical', evidence: evidenceOf('lot.state', { state: 'breached', previous: 'verified', cites: [] }) });
    await w.bus.idle();
    const frozen = await facility();
    expect(field(frozen, 'frozen')).toBe(true);
    holdId = text(frozen, 'holds.0.id');
  });
  afterAll(() => w.close());

  it('refuses a case that does not exist, is not a case id, is another bank’s, is open, is about another lot or confirmed a loss', async () => {
    expect((await lift(firstOfficer, 'CASE-1')).statusCode).toBe(400);
    expect((await lift(firstOfficer, randomUUID())).statusCode).toBe(404);
    // Bank B cannot raise a case on bank A's lot through the API; its own resolved case is stored directly.
    const otherBank = randomUUID();
    await w.db.prisma.alertCase.create({
      data: {
        id: otherBank, kind: 'manual', title: 'bank B', severity: 'critical', status: 'resolved', source: 'manual', siteId: 's-a1', lotId: 'LOT-H',
        dedupKey: otherBank, finding: 'false_alarm', openedAt: new Date(), openedBy: 'test', resolvedAt: new Date(), resolvedBy: 'test',
        tenants: { create: [{ tenantId: 'bank-b' }] },
      },
    });
    expect((await lift(firstOfficer, otherBank)).statusCode).toBe(404);
    expect((await lift(firstOfficer, await resolvedCase(w.risk, 'LOT-H', null))).statusCode).toBe(409);
    expect((await lift(firstOfficer, await resolvedCase(w.risk, 'LOT-OTHER', { kind: 'false_alarm' }))).statusCode).toBe(409);
    expect((await lift(firstOfficer, await resolvedCase(w.risk, 'LOT-H', { kind: 'confirmed_loss', quantity: { value: '5', unit: 't' } }))).statusCode).toBe(409);
    expect(field(await facility(), 'frozen')).toBe(true);
    expect(field(await facility(), 'holds.0.pendingLift')).toBeUndefined();
  });

  it('needs a second person for a breached lot: the one who resolved the case cannot also approve', async () => {
    const caseId = await resolvedCase(firstOfficer, 'LOT-H', { kind: 'goods_restored' });
    // Resolving the case asked for the lift; it waits for someone else.
    const waiting = await facility();
    expect(field(waiting, 'frozen')).toBe(true);
    expect(field(waiting, 'holds.0.pendingLift')).toMatchObject({ caseId });
    const alone = await lift(firstOfficer, caseId);
    expect(alone.statusCode).toBe(409);
    expect(alone.json()).toMatchObject({ details: { code: 'four_eyes' } });

    const lifted = expectStatus(await lift(secondOfficer, caseId), 200);
    expect(field(lifted, 'frozen')).toBe(false);
    expect(field(lifted, 'holds.0.resolution')).toMatchObject({ caseId, approvedBy: expect.stringMatching(/^user:/) });
    expect(field(lifted, 'holds.0.resolution.approvedBy')).not.toBe(field(lifted, 'holds.0.resolution.resolvedBy'));
    const trail = await w.db.sql.query<{ action: string }>(`SELECT action FROM audit_entry WHERE entity_type = 'facility' AND entity_id = $1 AND action LIKE 'facility.hold%' ORDER BY seq`, [facilityId]);
    expect(trail.map((t) => t.action)).toEqual(['facility.hold_lift_requested', 'facility.hold_resolved']);
  });
});
