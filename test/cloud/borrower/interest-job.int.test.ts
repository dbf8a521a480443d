import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTEREST_ACTOR } from '../../../cloud/borrower/interest-job.ts';
import { Dec } from '../../../cloud/valuation/decimal.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld } from '../alerts/support/monitoring-world.ts';

/**
 * The scheduled interest run: the cloud's job runner posts each facility's finished
 * month without anyone asking, once however often it runs, and the borrower's monthly
 * statement shows what was posted.
 */
describe('monthly interest posted by the scheduled job', () => {
  let w: MonitoringWorld;
  let lender: Caller;
  let borrower: Caller;

  beforeAll(async () => {
    w = await startMonitoringWorld();
    lender = await w.as('bank-a', 'lender');
    borrower = await w.as('borrower-a', 'borrower');
  });
  afterAll(() => w.close());

  it('posts last month once and the statement shows it', async () => {
    const { facilityId: id } = await w.pledgeLot({ site: 's-a', lotId: 'LOT-J1', bank: 'bank-a', operator: 'wh-a' });
    expectStatus(await w.app.inject({ method: 'PUT', url: `/api/v1/facilities/${id}/borrower-tenant`, headers: { authorization: `Bearer ${lender.token}` }, payload: { tenantId: 'borrower-a' } }), 200);
    const today = new Date();
    const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
    const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
    const month = start.toISOString().slice(0, 7);
    const days = (end.getTime() - start.getTime()) / 86_400_000;
    await w.db.prisma.facility.update({ where: { id }, data: { validFrom: start } });
    await w.db.prisma.facilityLedger.create({
      data: { id: randomUUID(), facilityId: id, kind: 'drawdown', amount: '20000', currency: 'USD', at: new Date(start.getTime() + 10 * 3_600_000), outstandingAfter: '20000', source: 'api', actor: 'test' },
    });
    // 20,000 for the whole month at 8 % ACT/360.
    const expected = new Dec(20_000 * days).times('0.08').dividedBy(360).toDecimalPlaces(2, Dec.ROUND_HALF_EVEN).toFixed(2);
    const before = expectStatus(await borrower.get(`/api/v1/facilities/${id}/statements/${month}`), 200);
    expect((before.interest as { posted: unknown }).posted).toBeNull();

    // Past 01:00 UTC of the day after the month ended: the day's slot is due.
    const runAt = new Date(end.getTime() + 2 * 3_600_000);
    const ran = await w.app.earlyWarning.jobs.runDue(runAt);
    expect(ran).toContain('interest-postings');
    const postings = expectStatus(await borrower.get(`/api/v1/facilities/${id}/interest/postings`), 200).items as { month: string; amount: string; postedBy: string }[];
    expect(postings).toEqual([expect.objectContaining({ month, amount: expected, postedBy: INTEREST_ACTOR })]);

    // The same day again is not run; the next day's run finds nothing new to post.
    expect(await w.app.earlyWarning.jobs.runDue(new Date(runAt.getTime() + 3_600_000))).not.toContain('interest-postings');
    expect(await w.app.earlyWarning.jobs.runDue(new Date(runAt.getTime() + 86_400_000))).toContain('interest-postings');
    expect(await w.db.prisma.facilityInterestPosting.count({ where: { facilityId: id } })).toBe(1);

    const statement = expectStatus(await borrower.get(`/api/v1/facilities/${id}/statements/${month}`), 200);
    expect(statement).toMatchObject({ month, partial: false, closingPrincipal: '20000.00' });
    expect(statement.interest).toMatchObject({ accrued: expected, posted: { amount: expected } });
    const csv = await borrower.get(`/api/v1/facilities/${id}/statements/${month}?format=csv`);
    expect(csv.body).toContain(`interest posted,${expected},`);
    const audit = await w.db.prisma.auditEntry.findMany({ where: { action: 'facility.interest_posted', entityId: id } });
    expect(audit.map((a) => a.actor)).toEqual([INTEREST_ACTOR]);
  });
});
