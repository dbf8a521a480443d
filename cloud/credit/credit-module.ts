// The credit domain wired for the app: its service over the facility service and the
// case opener of the monitoring plugin (registered before it), and its routes.
import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/database.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { createFacilityService } from '../facilities/facility-service.ts';
import { creditPlugin } from './credit-plugin.ts';
import { createCreditService } from './service/credit-service.ts';

export interface CreditModuleOptions {
  readonly db: Database;
  readonly bus: DomainEventBus;
  readonly now?: () => Date;
}

export const creditModule: FastifyPluginAsync<CreditModuleOptions> = async (fastify, { db, bus, now }) => {
  const clock = now ?? (() => new Date());
  const facilities = createFacilityService({ prisma: db.prisma, bus, now: clock });
  const credit = createCreditService({ prisma: db.prisma, bus, facilities, raise: fastify.monitoring.raise, now: clock });
  await fastify.register(creditPlugin, { prisma: db.prisma, credit });
};
