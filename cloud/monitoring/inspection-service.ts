import { randomUUID } from 'node:crypto';
import type { Inspection, InspectionCount, PrismaClient } from '../db/generated/client.ts';
import type { Principal } from '../auth/principal.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { CaseOpener } from '../alerts/case-opener.ts';
import type { CollateralLookup } from './collateral-lookup.ts';
import type { QuantityValue } from './daily-report.ts';
import { DEFAULT_INSPECTION_POLICY, drawInspections, type InspectionPolicy } from './inspection-plan.ts';
import { assessCount } from './inspection-variance.ts';
import type { ReportData } from './report-data.ts';
import { addDays, localDay } from './zoned-day.ts';

export interface InspectionDeps {
  prisma: PrismaClient;
  collateral: CollateralLookup;
  data: ReportData;
  raise: CaseOpener;
  /** Links the count to the lot's open cases (the case workflow's evidence, audited and notified). */
  addEvidence?: (principal: Principal, caseId: string, link: { kind: 'document'; ref: string; note?: string }) => Promise<unknown>;
  /** Keeps the draw unpredictable; random per process unless a test fixes it. */
  seed: string;
  policy?: InspectionPolicy;
  log: { error(obj: unknown, msg: string): void };
}

const SYSTEM = 'system:inspections';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const day = (d: Date): string => d.toISOString().slice(0, 10);
const dateOf = (planDay: string): Date => new Date(`${planDay}T00:00:00.000Z`);

/** The count of one lot in words, as a case shows it. */
function countLine(counted: QuantityValue, a: ReturnType<typeof assessCount>): string {
  const base = `counted ${counted.value} ${counted.unit}`;
  if (!a.comparable) return `${base}; ${a.reason}`;
  return `${base}, verified ${a.verified} ${counted.unit}, variance ${a.variance}: ${a.withinTolerance ? 'within tolerance' : 'beyond tolerance'}`;
}

export interface CountInput {
  lotId: string;
  quantity: QuantityValue;
}

/**
 * Unannounced on-site inspections: drawn at random per warehouse and bank, done by the
 * bank's branch, whose counts are compared with what the system vouched for; a variance
 * beyond tolerance opens a case. Warehouse operators see an inspection only once it is
 * done: until then it is the bank's secret.
 */
export function createInspectionService(deps: InspectionDeps) {
  const { prisma } = deps;
  const policy = deps.policy ?? DEFAULT_INSPECTION_POLICY;

  /** Draws inspections up to `horizonDays` ahead for every warehouse a bank lends against. */
  async function plan(now: Date): Promise<number> {
    let created = 0;
    for (const { siteId, tenantId } of await deps.collateral.exposures()) {
      const site = await prisma.site.findUnique({ where: { id: siteId } });
      if (site === null) continue;
      const today = localDay(now, site.timezone);
      const until = addDays(today, policy.horizonDays);
      const schedule = await prisma.inspectionSchedule.findUnique({ where: { siteId_tenantId: { siteId, tenantId } } });
      // A new exposure starts from today: no inspection is drawn in the past.
      const after = schedule ? day(schedule.plannedUntil) : addDays(today, -1);
      if (after >= until) continue;
      const draws = drawInspections({ seed: deps.seed, siteId, tenantId, timeZone: site.timezone, after, until, policy });
      created += await inUnitOfWork({ prisma }, async (tx) => {
        let n = 0;
        for (const draw of draws) {
          const id = randomUUID();
          const inserted = await tx.inspection.createMany({ data: [{ id, siteId, tenantId, planDay: dateOf(draw.planDay), scheduledFor: draw.scheduledFor, status: 'scheduled' }], skipDuplicates: true });
          if (inserted.count === 0) continue;
          n += 1;
          await appendAudit(tx, { actor: SYSTEM, action: 'inspection.scheduled', entityType: 'inspection', entityId: id, tenantId, after: { siteId, scheduledFor: draw.scheduledFor.toISOString() }, at: now });
        }
        await tx.inspectionSchedule.upsert({
          where: { siteId_tenantId: { siteId, tenantId } },
          create: { siteId, tenantId, plannedUntil: dateOf(until) },
          update: { plannedUntil: dateOf(until) },
        });
        return n;
      });
    }
    return created;
  }

  /** Inspections not done within the grace period become missed, each a case for the bank. */
  async function markMissed(now: Date): Promise<number> {
    const overdue = await prisma.inspection.findMany({ where: { status: 'scheduled', scheduledFor: { lt: new Date(now.getTime() - policy.graceMs) } }, take: 500 });
    let missed = 0;
    for (const inspection of overdue) {
      const changed = await inUnitOfWork({ prisma }, async (tx) => {
        const { count } = await tx.inspection.updateMany({ where: { id: inspection.id, status: 'scheduled' }, data: { status: 'missed' } });
        if (count === 0) return false;
        await appendAudit(tx, { actor: SYSTEM, action: 'inspection.missed', entityType: 'inspection', entityId: inspection.id, tenantId: inspection.tenantId, before: { status: 'scheduled' }, after: { status: 'missed' }, at: now });
        return true;
      });
      if (!changed) continue;
      missed += 1;
      await deps.raise(
        {
          kind: 'inspection.missed',
          title: `Unannounced inspection of ${inspection.siteId} due ${inspection.scheduledFor.toISOString()} was not done`,
          severity: 'warning',
          source: 'inspection',
          siteId: inspection.siteId,
          lotId: null,
          gatewayId: null,
          at: now,
          detail: { inspectionId: inspection.id, scheduledFor: inspection.scheduledFor.toISOString() },
          evidence: [{ kind: 'document', ref: `inspection:${inspection.id}` }],
          extraTenants: [inspection.tenantId],
          // The bank's own failure: the warehouse and other banks learn nothing of its visits.
          private: true,
        },
        SYSTEM,
      );
    }
    return missed;
  }

  /**
   * Operators see an inspection of their site once it was done (they were there for the
   * count); planned and missed ones stay the bank's business. Banks see their own.
   */
  async function visible(principal: Principal, id: string): Promise<Inspection> {
    if (!UUID.test(id)) throw notFound('inspection');
    const row = await prisma.inspection.findUnique({ where: { id } });
    if (row === null || !(await canSee(principal, row))) throw notFound('inspection');
    return row;
  }

  async function canSee(principal: Principal, row: Inspection): Promise<boolean> {
    if (principal.role === 'admin') return true;
    if (principal.role === 'warehouse_operator') {
      if (row.status !== 'completed') return false;
      const site = await prisma.site.findUnique({ where: { id: row.siteId }, select: { tenantId: true } });
      return site?.tenantId === principal.tenantId;
    }
    return row.tenantId === principal.tenantId;
  }

  async function list(principal: Principal, q: { status?: string | undefined; site?: string | undefined; limit: number }): Promise<(Inspection & { counts: InspectionCount[] })[]> {
    const scope =
      principal.role === 'admin'
        ? {}
        : principal.role === 'warehouse_operator'
          ? { status: 'completed', siteId: { in: (await prisma.site.findMany({ where: { tenantId: principal.tenantId }, select: { id: true } })).map((s) => s.id) } }
          : { tenantId: principal.tenantId };
    return prisma.inspection.findMany({
      where: { AND: [scope, q.status ? { status: q.status } : {}, q.site ? { siteId: q.site } : {}] },
      include: { counts: { orderBy: { lotId: 'asc' } } },
      orderBy: [{ scheduledFor: 'desc' }, { id: 'desc' }],
      take: q.limit,
    });
  }

  async function get(principal: Principal, id: string) {
    const row = await visible(principal, id);
    const counts = await prisma.inspectionCount.findMany({ where: { inspectionId: id }, orderBy: { lotId: 'asc' } });
    // The lots to count, without the system's figures: the branch counts blind.
    const lots = row.status !== 'completed' ? (await deps.collateral.receiptsAtSite(row.siteId, row.tenantId)).map((r) => ({ lotId: r.lotId, receiptNumber: r.number, unit: r.quantity.unit })) : [];
    return { ...row, counts, lots };
  }

  async function recordCounts(principal: Principal, id: string, input: { counts: CountInput[]; note?: string | undefined }, now: Date) {
    const row = await visible(principal, id);
    if (principal.role === 'warehouse_operator') throw notFound('inspection');
    const lotIds = input.counts.map((c) => c.lotId);
    if (new Set(lotIds).size !== lotIds.length) throw badRequest('each lot may be counted once');
    const receipts = await deps.collateral.receiptsAtSite(row.siteId, row.tenantId);
    const receiptByLot = new Map(receipts.map((r) => [r.lotId, r]));
    // Only the bank's own lots: another bank's lot would leak its figures into the case.
    if (await deps.collateral.available()) {
      const unknown = lotIds.filter((lot) => !receiptByLot.has(lot));
      if (unknown.length > 0) throw badRequest(`not lots of this inspection: ${unknown.join(', ')}`);
    }
    const assessed = await Promise.all(
      input.counts.map(async (c) => {
        const receipt = receiptByLot.get(c.lotId);
        const stated = await deps.data.lastVerified(row.siteId, c.lotId, now);
        const verified: QuantityValue | null = receipt?.verifiedQuantity ?? stated?.quantity ?? (stated?.present != null ? { value: String(stated.present), unit: 'items' } : null);
        return { count: c, verified, assessment: assessCount(c.quantity, verified, policy), eventId: stated?.eventId ?? null };
      }),
    );
    const completed = await inUnitOfWork({ prisma }, async (tx) => {
      const { count } = await tx.inspection.updateMany({
        where: { id, status: { in: ['scheduled', 'missed'] } },
        data: { status: 'completed', completedAt: now, completedBy: `user:${principal.userId}`, note: input.note ?? null },
      });
      if (count === 0) throw conflict('this inspection is already completed');
      await tx.inspectionCount.createMany({
        data: assessed.map(({ count: c, assessment: a }) => ({
          inspectionId: id,
          lotId: c.lotId,
          counted: c.quantity.value,
          unit: c.quantity.unit,
          verified: a.comparable ? a.verified : null,
          variance: a.comparable ? a.variance : null,
          withinTolerance: a.withinTolerance,
        })),
      });
      await appendAudit(tx, {
        actor: `user:${principal.userId}`,
        action: 'inspection.completed',
        entityType: 'inspection',
        entityId: id,
        tenantId: row.tenantId,
        before: { status: row.status },
        after: { status: 'completed', counts: assessed.map((a) => ({ lotId: a.count.lotId, counted: a.count.quantity, withinTolerance: a.assessment.withinTolerance })) },
        at: now,
      });
      return true;
    });
    if (!completed) throw conflict('this inspection is already completed');
    for (const { count: c, verified, assessment: a, eventId } of assessed) {
      if (a.withinTolerance) continue;
      try {
        const { caseId } = await deps.raise(
          {
            kind: 'inspection.variance',
            title: a.comparable
              ? `Inspection counted ${c.quantity.value} ${c.quantity.unit} of lot ${c.lotId}, verified ${a.verified} ${c.quantity.unit} (${a.variance})`
              : `Inspection of lot ${c.lotId} could not be compared: ${a.reason}`,
            severity: a.severity ?? 'warning',
            source: 'inspection',
            siteId: row.siteId,
            lotId: c.lotId,
            gatewayId: null,
            at: now,
            detail: { inspectionId: id, counted: c.quantity, verified, ...(a.comparable ? { variance: a.variance, shortfallFraction: a.shortfallFraction, tolerance: policy.tolerance } : { reason: a.reason }) },
            evidence: [{ kind: 'document', ref: `inspection:${id}`, note: 'inspection counts' }, ...(eventId ? [{ kind: 'event' as const, ref: eventId, note: 'last lot.verified before the count' }] : [])],
            extraTenants: [row.tenantId],
          },
          `user:${principal.userId}`,
        );
        await prisma.inspectionCount.update({ where: { inspectionId_lotId: { inspectionId: id, lotId: c.lotId } }, data: { caseId } });
      } catch (error) {
        deps.log.error({ err: error, inspectionId: id, lotId: c.lotId }, 'could not open the variance case of an inspection');
      }
    }
    await reportToOpenCases(principal, row, assessed.map(({ count: c, assessment: a }) => ({ lotId: c.lotId, line: countLine(c.quantity, a) })), id);
    return get(principal, id);
  }

  /**
   * The lots' open cases (a suspected theft the branch was sent to check, say) get the
   * count as evidence, so whoever works the case sees what was found on the ground.
   */
  async function reportToOpenCases(principal: Principal, row: Inspection, lines: { lotId: string; line: string }[], inspectionId: string): Promise<void> {
    if (deps.addEvidence === undefined || lines.length === 0) return;
    const cases = await prisma.alertCase.findMany({
      where: { siteId: row.siteId, lotId: { in: lines.map((l) => l.lotId) }, status: { not: 'resolved' }, kind: { not: 'inspection.variance' }, tenants: { some: { tenantId: row.tenantId } } },
      select: { id: true, lotId: true },
      take: 200,
    });
    for (const c of cases) {
      const line = lines.find((l) => l.lotId === c.lotId)?.line ?? '';
      try {
        await deps.addEvidence(principal, c.id, { kind: 'document', ref: `inspection:${inspectionId}`, note: line.slice(0, 1000) });
      } catch (error) {
        deps.log.error({ err: error, inspectionId, caseId: c.id }, 'could not link an inspection count to an open case');
      }
    }
  }

  /** A risk officer sends the branch today (or at a chosen time): an inspection outside the draw. */
  async function scheduleNow(principal: Principal, input: { siteId: string; scheduledFor: Date }, now: Date) {
    const tenantId = principal.tenantId;
    const receipts = await deps.collateral.receiptsAtSite(input.siteId, tenantId);
    const site = await prisma.site.findUnique({ where: { id: input.siteId } });
    if (site === null || ((await deps.collateral.available()) && receipts.length === 0)) throw notFound(`site ${input.siteId}`);
    const planDay = localDay(input.scheduledFor, site.timezone);
    const id = randomUUID();
    await inUnitOfWork({ prisma }, async (tx) => {
      const { count } = await tx.inspection.createMany({ data: [{ id, siteId: site.id, tenantId, planDay: dateOf(planDay), scheduledFor: input.scheduledFor, status: 'scheduled' }], skipDuplicates: true });
      if (count === 0) throw conflict(`an inspection of ${site.id} is already planned on ${planDay}`);
      await appendAudit(tx, { actor: `user:${principal.userId}`, action: 'inspection.scheduled', entityType: 'inspection', entityId: id, tenantId, after: { siteId: site.id, scheduledFor: input.scheduledFor.toISOString(), adHoc: true }, at: now });
    });
    return get(principal, id);
  }

  return { plan, markMissed, list, get, recordCounts, scheduleNow };
}

export type InspectionService = ReturnType<typeof createInspectionService>;
