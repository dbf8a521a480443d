import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/database.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { casePhotosPlugin } from '../alerts/case-photos-plugin.ts';
import { createCasePhotos } from '../alerts/case-photos.ts';
import { alertsPlugin } from '../alerts/alerts-plugin.ts';
import type { CaseDeps } from '../alerts/case-deps.ts';
import { createCaseEscalator } from '../alerts/case-escalation.ts';
import { createCaseNotifier } from '../alerts/case-notifier.ts';
import { createCaseOpener, type CaseOpener } from '../alerts/case-opener.ts';
import { createCaseQueries } from '../alerts/case-queries.ts';
import { DEFAULT_SLA, type SlaPolicy } from '../alerts/case-sla.ts';
import { createCaseWorkflow } from '../alerts/case-workflow.ts';
import { startSpecialMonitoring } from '../alerts/special-monitoring.ts';
import { createGapFillNoter } from '../alerts/gap-fill.ts';
import { auditPlugin } from '../audit/audit-plugin.ts';
import { createIdentityAdmin } from '../auth/identity-admin.ts';
import { identityAdminPlugin } from '../auth/identity-admin-plugin.ts';
import { createEventRepository } from '../events/event-repository.ts';
import { eventLogPlugin } from '../events/event-log-plugin.ts';
import { gatewayAdminPlugin } from '../gateways/gateway-admin-plugin.ts';
import { createLiveHub, type LiveHub } from '../live/live-hub.ts';
import { pgLiveTransport } from '../live/pg-live-transport.ts';
import { livePlugin } from '../live/live-plugin.ts';
import { sitesPlugin } from '../sites/sites-plugin.ts';
import { createTenantDirectory } from '../sites/tenant-directory.ts';
import { createCollateralLookup } from './collateral-lookup.ts';
import { DEFAULT_INSPECTION_POLICY, type InspectionPolicy } from './inspection-plan.ts';
import { createInspectionService } from './inspection-service.ts';
import { inspectionsPlugin } from './inspections-plugin.ts';
import { startPeriodicTask } from './periodic-task.ts';
import { createReportData } from './report-data.ts';
import { reportsPlugin } from './reports-plugin.ts';

export interface MonitoringPluginOptions {
  db: Database;
  bus: DomainEventBus;
  now?: () => Date;
  sla?: SlaPolicy;
  /** How often overdue cases are looked for; 0 turns the timer off. */
  slaIntervalMs?: number;
  /** How often inspections are drawn and missed ones noticed; 0 turns the timer off. */
  inspectionIntervalMs?: number;
  inspectionSeed?: string;
  inspectionPolicy?: InspectionPolicy;
  liveHeartbeatMs?: number;
}

/** Handles for tests and operations: the time-driven jobs take the time as an argument. */
export interface MonitoringHandle {
  live: LiveHub;
  raise: CaseOpener;
  escalateOverdue(at: Date): Promise<number>;
  planInspections(at: Date): Promise<number>;
  markMissedInspections(at: Date): Promise<number>;
}

declare module 'fastify' {
  interface FastifyInstance {
    monitoring: MonitoringHandle;
  }
}

/**
 * The monitoring side of the cloud (issue 8), wired in one place: alert cases and
 * special monitoring, SLA escalation, routine reports, inspections, live updates, the
 * audit trail's routes, the event log's reading side, and administration of tenants,
 * users, sites and gateways.
 */
const plugin: FastifyPluginAsync<MonitoringPluginOptions> = async (fastify, options) => {
  const { db, bus } = options;
  const prisma = db.prisma;
  const now = options.now ?? (() => new Date());
  const directory = createTenantDirectory(prisma);
  const live = createLiveHub({ transport: pgLiveTransport(db, fastify.log), log: fastify.log });
  await live.start();
  const deps: CaseDeps = { prisma, directory, notifier: createCaseNotifier({ bus, live }), now, sla: options.sla ?? DEFAULT_SLA };
  const raise = createCaseOpener(deps);
  const escalateOverdue = createCaseEscalator(deps);
  const collateral = createCollateralLookup(prisma, directory);
  const data = createReportData(prisma, collateral);
  const workflow = createCaseWorkflow(deps);
  const inspections = createInspectionService({
    prisma,
    addEvidence: workflow.addEvidence,
    collateral,
    data,
    raise,
    seed: options.inspectionSeed ?? randomBytes(16).toString('hex'),
    policy: options.inspectionPolicy ?? DEFAULT_INSPECTION_POLICY,
    log: fastify.log,
  });

  const stopSpecialMonitoring = startSpecialMonitoring({ bus, raise, noteGapFill: createGapFillNoter(deps), log: fastify.log, now });
  const sla = startPeriodicTask({ name: 'sla-escalation', intervalMs: options.slaIntervalMs ?? 60_000, now, run: escalateOverdue, log: fastify.log });
  const inspectionTask = startPeriodicTask({
    name: 'inspections',
    intervalMs: options.inspectionIntervalMs ?? 3_600_000,
    now,
    run: async (at) => {
      await inspections.plan(at);
      await inspections.markMissed(at);
    },
    log: fastify.log,
  });
  fastify.addHook('onReady', async () => {
    if ((options.inspectionIntervalMs ?? 1) > 0) void inspectionTask.runOnce();
  });
  fastify.addHook('onClose', async () => {
    await live.stop();
    stopSpecialMonitoring();
    await sla.stop();
    await inspectionTask.stop();
  });

  fastify.decorate('monitoring', {
    live,
    raise,
    escalateOverdue,
    planInspections: (at: Date) => inspections.plan(at),
    markMissedInspections: (at: Date) => inspections.markMissed(at),
  } satisfies MonitoringHandle);

  await fastify.register(alertsPlugin, { queries: createCaseQueries(deps), workflow, raise, directory, now });
  await fastify.register(casePhotosPlugin, { photos: createCasePhotos(deps) });
  await fastify.register(livePlugin, {
    hub: live,
    bus,
    borrowerOf: async (facilityId) => (await prisma.facility.findUnique({ where: { id: facilityId }, select: { borrowerTenantId: true } }))?.borrowerTenantId ?? null,
    ...(options.liveHeartbeatMs === undefined ? {} : { heartbeatMs: options.liveHeartbeatMs }),
  });
  await fastify.register(auditPlugin, { prisma });
  await fastify.register(eventLogPlugin, { events: createEventRepository(prisma), directory });
  await fastify.register(reportsPlugin, { prisma, directory, collateral, data, now });
  await fastify.register(inspectionsPlugin, { inspections, now });
  await fastify.register(sitesPlugin, { prisma, directory, now });
  await fastify.register(gatewayAdminPlugin, { prisma, directory, now });
  await fastify.register(identityAdminPlugin, { prisma, admin: createIdentityAdmin({ prisma, now, onUserChanged: (id) => fastify.forgetUser(id) }) });
};

export const monitoringPlugin = fp(plugin, { name: 'monitoring', dependencies: ['auth'] });
