import type { PrismaClient } from '../db/generated/client.ts';
import type { IntervalJob } from '../jobs/job-runner.ts';
import { createInterestPosting } from './interest-posting.ts';

const DAY_MS = 86_400_000;
export const INTEREST_ACTOR = 'system:interest-postings';

/**
 * The monthly interest run: once a day (one slot per day across processes, 01:00 UTC)
 * it posts every completed month not yet posted, for every facility. Daily rather than
 * monthly so a day the cloud was down, or a month that failed, is caught up the next
 * day; posting is idempotent per facility and month, so a run that finds nothing due
 * changes nothing.
 */
export function interestPostingJob(deps: { prisma: PrismaClient }): IntervalJob {
  return {
    name: 'interest-postings',
    intervalMs: DAY_MS,
    offsetMs: 3_600_000,
    run: async (at) => {
      const postings = createInterestPosting({ prisma: deps.prisma, now: () => at });
      const facilities = await deps.prisma.facility.findMany({ orderBy: { createdAt: 'asc' } });
      return postings.postDue(facilities, INTEREST_ACTOR);
    },
  };
}
