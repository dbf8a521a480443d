import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.ts';
import type { Facility, FacilityInterestPosting, PrismaClient } from '../db/generated/client.ts';
import { conflict } from '../errors.ts';
import { accrueInterest } from '../facilities/interest.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { uniqueViolation } from '../db/unique-violation.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { completedMonths, type MonthPeriod } from './statement-month.ts';

export interface InterestPostingDeps {
  readonly prisma: PrismaClient;
  readonly now: () => Date;
}

export const dayCountOf = (row: Facility) => (row.dayCount === 'ACT/365F' ? 'ACT/365F' : 'ACT/360') as 'ACT/360' | 'ACT/365F';

export async function ledgerOf(prisma: PrismaClient, facilityId: string) {
  const rows = await prisma.facilityLedger.findMany({ where: { facilityId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  return rows.map((e) => ({
    id: e.id,
    at: e.at,
    kind: e.kind as 'drawdown' | 'repayment',
    amount: fromDb(e.amount),
    outstandingAfter: fromDb(e.outstandingAfter),
    note: e.note,
  }));
}

/**
 * Posts a month's interest once the month is over: accrued on the daily outstanding
 * balance, rounded once, stored with the rate and day count it was computed with, and
 * audited. Posting a month again returns what was posted (the unique key decides races).
 */
export function createInterestPosting(deps: InterestPostingDeps) {
  async function post(row: Facility, period: MonthPeriod, actor: string): Promise<{ posting: FacilityInterestPosting; created: boolean }> {
    const now = deps.now();
    if (period.to.getTime() > now.getTime()) throw conflict(`${period.month} is not over yet: its interest is posted from ${period.to.toISOString()}`, { conflict: 'period_open' });
    const existing = await deps.prisma.facilityInterestPosting.findUnique({ where: { facilityId_periodStart: { facilityId: row.id, periodStart: period.from } } });
    if (existing !== null) return { posting: existing, created: false };
    const accrual = accrueInterest({
      currency: row.currency,
      annualRate: fromDb(row.annualRate),
      dayCount: dayCountOf(row),
      from: period.from,
      to: period.to,
      ledger: await ledgerOf(deps.prisma, row.id),
    });
    try {
      const posting = await inUnitOfWork(deps, async (tx) => {
        const created = await tx.facilityInterestPosting.create({
          data: {
            id: randomUUID(),
            facilityId: row.id,
            periodStart: period.from,
            periodEnd: period.to,
            days: accrual.days,
            amount: accrual.interest,
            amountExact: accrual.interestExact,
            currency: row.currency,
            annualRate: accrual.annualRate,
            dayCount: accrual.dayCount,
            postedAt: now,
            postedBy: actor,
          },
        });
        await appendAudit(tx, {
          actor,
          action: 'facility.interest_posted',
          entityType: 'facility',
          entityId: row.id,
          tenantId: row.bankTenantId,
          after: { month: period.month, amount: accrual.interest, currency: row.currency, days: accrual.days, postingId: created.id },
        });
        return created;
      });
      return { posting, created: true };
    } catch (error) {
      if (uniqueViolation(error) !== 'facility_interest_posting_period_key') throw error;
      const raced = await deps.prisma.facilityInterestPosting.findUniqueOrThrow({ where: { facilityId_periodStart: { facilityId: row.id, periodStart: period.from } } });
      return { posting: raced, created: false };
    }
  }

  /** Every completed month of every facility in scope that has no posting yet; returns how many were posted. */
  async function postDue(facilities: readonly Facility[], actor: string): Promise<number> {
    let posted = 0;
    for (const row of facilities) {
      for (const period of completedMonths(row.validFrom, deps.now(), row.validUntil)) {
        if ((await post(row, period, actor)).created) posted += 1;
      }
    }
    return posted;
  }

  return { post, postDue };
}

export type InterestPosting = ReturnType<typeof createInterestPosting>;
