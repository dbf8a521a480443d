import { hostname } from 'node:os';
import type { PrismaClient } from '../db/generated/client.ts';

export interface IntervalJob {
  readonly name: string;
  readonly intervalMs: number;
  /** Where in the interval the slot starts (e.g. a cut-off time past midnight); 0 by default. */
  readonly offsetMs?: number;
  /** Does the work as of `now` (tests pass the time they want). */
  run(now: Date): Promise<unknown>;
}

/** The slot an instant falls in: one run per slot, whoever claims it first. */
export function slotOf(at: Date, intervalMs: number, offsetMs = 0): number {
  return Math.floor((at.getTime() - offsetMs) / intervalMs);
}

export interface JobRunner {
  /** Claims and runs every job whose current slot nobody has claimed yet; returns the names run. */
  runDue(now?: Date): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Jobs that must run once per interval across processes and restarts, on PostgreSQL
 * (PGlite alike): a run claims its slot with `INSERT … ON CONFLICT DO NOTHING` on
 * job_run's primary key (job, slot), so of several cloud processes exactly one runs
 * a slot, and a restarted process does not run a slot again that was already run. A
 * process that dies mid-run leaves its slot claimed with no finish time (visible in
 * job_run); the next slot runs as usual. The timer only looks often; the slot decides.
 */
export function startJobRunner(input: {
  prisma: PrismaClient;
  jobs: readonly IntervalJob[];
  now: () => Date;
  /** How often the timer looks for due slots; 0 turns it off (tests call runDue). */
  pollMs: number;
  log: { error(obj: unknown, msg: string): void };
  owner?: string;
}): JobRunner {
  const owner = input.owner ?? `${hostname()}:${process.pid}`;
  let running: Promise<string[]> | undefined;

  async function claim(job: IntervalJob, slot: number, at: Date): Promise<boolean> {
    const rows = await input.prisma.$queryRaw<{ job: string }[]>`
      INSERT INTO job_run (job, slot, owner, started_at) VALUES (${job.name}, ${BigInt(slot)}, ${owner}, ${at})
      ON CONFLICT (job, slot) DO NOTHING RETURNING job`;
    return rows.length > 0;
  }

  async function runJobs(now: Date): Promise<string[]> {
    const ran: string[] = [];
    for (const job of input.jobs) {
      const slot = slotOf(now, job.intervalMs, job.offsetMs);
      try {
        if (!(await claim(job, slot, now))) continue;
      } catch (error) {
        input.log.error({ err: error, job: job.name }, 'job slot claim failed');
        continue;
      }
      let failure: string | null = null;
      try {
        await job.run(now);
        ran.push(job.name);
      } catch (error) {
        failure = error instanceof Error ? error.message.slice(0, 2000) : String(error);
        input.log.error({ err: error, job: job.name, slot }, 'job failed');
      }
      await input.prisma.jobRun.update({ where: { job_slot: { job: job.name, slot: BigInt(slot) } }, data: { finishedAt: input.now(), error: failure } }).catch(() => undefined);
    }
    return ran;
  }

  const runDue = (at?: Date): Promise<string[]> => {
    const previous = running ?? Promise.resolve([]);
    const next = previous.then(() => runJobs(at ?? input.now()));
    running = next.finally(() => {
      if (running === next) running = undefined;
    });
    return next;
  };

  const timer = input.pollMs > 0 ? setInterval(() => {
    if (running === undefined) void runDue().catch(() => undefined);
  }, input.pollMs) : undefined;
  timer?.unref();
  return {
    runDue,
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
