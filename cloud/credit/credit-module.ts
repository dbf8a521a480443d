// The credit domain wired for the app: its service over the facility service and the
// case opener of the monitoring plugin (registered before it), its routes, and the
// monthly re-scoring job on its own job runner (slots claimed in job_run like every job).
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { createFacilityService } from '../facilities/facility-service.ts';
import { startJobRunner, type JobRunner } from '../jobs/job-runner.ts';
import { creditPlugin } from './credit-plugin.ts';
import { monthlyRescoreJob } from './monitoring/monthly-rescore-job.ts';
import { createCreditService, type CreditService } from './service/credit-service.ts';

export interface CreditModuleOptions {
  readonly db: Database;
  readonly bus: DomainEventBus;
  readonly now?: () => Date;
  /** How often the job runner looks for a due re-scoring; 0 turns the timer off (tests call runDue). */
  readonly jobPollMs?: number;
}

export interface CreditHandle {
  readonly service: CreditService;
  readonly jobs: JobRunner;
}

declare module 'fastify' {
  interface FastifyInstance {
    credit: CreditHandle;
  }
}

const DEFAULT_POLL_MS = 60_000;

const plugin: FastifyPluginAsync<CreditModuleOptions> = async (fastify, { db, bus, now, jobPollMs }) => {
  const clock = now ?? (() => new Date());
  const facilities = createFacilityService({ prisma: db.prisma, bus, now: clock });
  const credit = createCreditService({ prisma: db.prisma, bus, facilities, raise: fastify.monitoring.raise, now: clock });
  await fastify.register(creditPlugin, { prisma: db.prisma, credit });
  const jobs = startJobRunner({ prisma: db.prisma, jobs: [monthlyRescoreJob({ prisma: db.prisma, credit, log: fastify.log })], now: clock, pollMs: jobPollMs ?? DEFAULT_POLL_MS, log: fastify.log });
  fastify.addHook('onClose', () => jobs.stop());
  fastify.decorate('credit', { service: credit, jobs });
};

// fastify-plugin so `app.credit` (service and job runner) is visible to the app and tests;
// the routes stay encapsulated in creditPlugin (its text/csv parser included).
export const creditModule = fp(plugin, { name: 'credit', dependencies: ['monitoring'] });
