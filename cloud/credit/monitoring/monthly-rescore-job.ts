// The monthly re-scoring after the loan as a scheduled job (issue 24): once a month
// ends, every bank with an active scorecard has its merchants re-scored for that month
// (score history in credit_score, early-warning cases for borrowers whose score fell
// past the policy threshold, PSI of inputs and score against the training population
// in credit_stability with a case on a shift; see CreditService.rescoreMonth).
//
// The job runner's slots are fixed intervals and months are not, so the job looks once
// a day and re-scores the month that ended for each bank that has no stability record
// for it under its active model yet: a day missed (process down) is caught up the next,
// and a month is never re-scored twice unless a new model is activated.
import type { PrismaClient } from '../../db/generated/client.ts';
import type { IntervalJob } from '../../jobs/job-runner.ts';
import { addMonths, monthOf } from '../../../protocol/credit/month.ts';
import type { CreditService } from '../service/credit-service.ts';

export const RESCORE_JOB = 'credit-monthly-rescore';
const DAY_MS = 86_400_000;
// 02:00 UTC: late platform feeds of the last day of the month have arrived.
const RESCORE_OFFSET_MS = 2 * 3_600_000;

/** The month that has ended by `now` (UTC): the one before the current month. */
export function endedMonth(now: Date): string {
  return addMonths(monthOf(now), -1);
}

export interface RescoreOutcome {
  readonly bank: string;
  readonly month: string;
  readonly scored?: number;
  readonly warnings?: number;
  readonly shifted?: boolean;
  readonly error?: string;
}

export function monthlyRescoreJob(deps: { prisma: PrismaClient; credit: Pick<CreditService, 'rescoreMonth'>; log: { error(obj: unknown, msg: string): void } }): IntervalJob {
  return {
    name: RESCORE_JOB,
    intervalMs: DAY_MS,
    offsetMs: RESCORE_OFFSET_MS,
    async run(now: Date): Promise<RescoreOutcome[]> {
      const month = endedMonth(now);
      const active = await deps.prisma.creditModel.findMany({ where: { active: true }, select: { bankTenantId: true, version: true }, orderBy: { bankTenantId: 'asc' } });
      const done = new Set(
        (await deps.prisma.creditStability.findMany({ where: { month }, select: { bankTenantId: true, modelVersion: true } })).map((s) => `${s.bankTenantId}\u0000${s.modelVersion}`),
      );
      const outcomes: RescoreOutcome[] = [];
      for (const { bankTenantId: bank, version } of active) {
        if (done.has(`${bank}\u0000${version}`)) continue;
        // One bank's failure (its data, its card) must not keep the others from monitoring.
        try {
          const result = await deps.credit.rescoreMonth(bank, month);
          outcomes.push({ bank, month, scored: result.scored, warnings: result.warnings, shifted: result.shifted });
        } catch (error) {
          deps.log.error({ err: error, bank, month }, 'credit re-scoring failed');
          outcomes.push({ bank, month, error: error instanceof Error ? error.message : String(error) });
        }
      }
      return outcomes;
    },
  };
}
