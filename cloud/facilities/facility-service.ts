import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.ts';
import type { Principal } from '../auth/principal.ts';
import { tenantScope } from '../auth/principal.ts';
import type { Facility, FacilityLedger, PrismaClient } from '../db/generated/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { AppError, badRequest, conflict, limitExceeded, notFound } from '../errors.ts';
import { userActor } from '../risk/actor.ts';
import { lockFacility, refreshFacility } from '../risk/facility-refresh.ts';
import { inUnitOfWork, type UnitOfWork } from '../db/unit-of-work.ts';
import { uniqueViolation } from '../db/unique-violation.ts';
import { COMMODITY_CLASSES, resolveAdvanceRate, type CommodityClassId } from '../valuation/commodity-classes.ts';
import { computeConcentration, type ConcentrationConfig } from '../valuation/concentration.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { isCurrencyCode, type Money } from '../valuation/money.ts';
import { parseDecimal, toPlain } from '../valuation/decimal.ts';
import type { AmountProblem } from './amount.ts';
import type { DayCount } from './day-count.ts';
import { DEFAULT_DAY_COUNT } from './day-count.ts';
import { checkDrawdown } from './drawdown.ts';
import { facilityTerms, freezeOf } from './facility-row.ts';
import { needsSecondApproval, requestLift, resolveHold } from './freeze.ts';
import { encodeFreeze } from './freeze-codec.ts';
import { checkLiftingCase } from './hold-lift.ts';
import { checkLtvThresholds, DEFAULT_LTV_THRESHOLDS, type LtvThresholds } from './ltv.ts';
import { DEFAULT_CURE_PERIOD_MS } from './margin-call.ts';
import { checkRepayment } from './repayment.ts';
import { storeFreeze } from '../risk/facility-freeze.ts';

export interface CreateFacilityInput {
  readonly reference: string;
  /** tenantId: the borrower's own tenant (kind borrower), whose users then see the facility. */
  readonly borrower: { readonly ref: string; readonly name: string; readonly tenantId?: string | undefined };
  readonly limit: Money;
  readonly validFrom: Date;
  readonly validUntil: Date;
  readonly annualRate: string;
  readonly dayCount?: DayCount | undefined;
  readonly advanceRates?: Partial<Record<string, string>> | undefined;
  readonly ltvThresholds?: LtvThresholds | undefined;
  readonly curePeriodSeconds?: number | undefined;
  readonly concentration?: ConcentrationConfig | undefined;
}

export interface FacilityServiceDeps {
  readonly prisma: PrismaClient;
  readonly bus: DomainEventBus;
  readonly now?: () => Date;
}

const AMOUNT_PROBLEMS: ReadonlySet<string> = new Set<AmountProblem['code']>(['invalid_amount', 'non_positive_amount', 'currency_mismatch']);

// A malformed amount is bad input (400); a well-formed request the facility cannot take
// (over availability, frozen, expired, overpaying) is a limit breach (422, PROTOCOL.md).
function refusal(refused: { code: string; message: string }): AppError {
  const details = { ...refused } as Record<string, unknown>;
  return AMOUNT_PROBLEMS.has(refused.code) ? badRequest(refused.message, details) : limitExceeded(refused.message, details);
}

/**
 * Facilities a principal may see: their bank's, the borrower's own (linked by
 * borrower_tenant_id), or all for administrators.
 */
export function facilityScope(principal: Principal, id?: string): Prisma.FacilityWhereInput {
  const tenant = tenantScope(principal);
  const owner = tenant === undefined ? {} : principal.role === 'borrower' ? { borrowerTenantId: tenant } : { bankTenantId: tenant };
  return { ...(id === undefined ? {} : { id }), ...owner };
}

export function facilityVisible(principal: Principal, row: Facility | null): row is Facility {
  const tenant = tenantScope(principal);
  if (row === null) return false;
  if (tenant === undefined) return true;
  return principal.role === 'borrower' ? row.borrowerTenantId === tenant : row.bankTenantId === tenant;
}

export function createFacilityService(deps: FacilityServiceDeps) {
  const now = deps.now ?? (() => new Date());

  function validate(input: CreateFacilityInput): { advanceRates: Record<string, string>; limit: string } {
    if (!isCurrencyCode(input.limit.currency)) throw badRequest(`"${input.limit.currency}" is not an ISO 4217 code`);
    const limit = parseDecimal(input.limit.amount);
    if (limit === undefined || !limit.greaterThan(0)) throw badRequest('limit must be a positive amount');
    if (input.validUntil.getTime() <= input.validFrom.getTime()) throw badRequest('validUntil must be after validFrom');
    const rate = parseDecimal(input.annualRate);
    if (rate === undefined || rate.isNegative()) throw badRequest('annualRate must be a non-negative decimal fraction, e.g. 0.085');
    const thresholdProblem = checkLtvThresholds(input.ltvThresholds ?? DEFAULT_LTV_THRESHOLDS);
    if (thresholdProblem !== undefined) throw badRequest(thresholdProblem);
    if (input.concentration !== undefined) {
      try {
        computeConcentration([], input.concentration);
      } catch (error) {
        throw badRequest((error as Error).message);
      }
    }
    const rates: Record<string, string> = {};
    for (const [classId, text] of Object.entries(input.advanceRates ?? {})) {
      if (!(classId in COMMODITY_CLASSES)) throw badRequest(`unknown commodity class "${classId}"`);
      if (text === undefined) continue;
      const resolved = resolveAdvanceRate(classId as CommodityClassId, text);
      if (!resolved.ok) {
        const { range } = resolved.error;
        throw badRequest(`advance rate ${text} for ${classId} is outside the class range ${range.min}–${range.max}`, { ...resolved.error });
      }
      rates[classId] = resolved.advanceRate;
    }
    return { advanceRates: rates, limit: toPlain(limit) };
  }

  async function checkBorrowerTenant(tenantId: string | undefined): Promise<void> {
    if (tenantId === undefined) return;
    const borrower = await deps.prisma.tenant.findUnique({ where: { id: tenantId }, select: { kind: true } });
    if (borrower?.kind !== 'borrower') throw badRequest(`tenant ${tenantId} is not a borrower`, { tenantId });
  }

  async function create(principal: Principal, input: CreateFacilityInput): Promise<Facility> {
    const { advanceRates, limit } = validate(input);
    const tenant = await deps.prisma.tenant.findUnique({ where: { id: principal.tenantId } });
    if (tenant?.kind !== 'bank') throw new AppError('forbidden', 'only a bank can open a facility');
    await checkBorrowerTenant(input.borrower.tenantId);
    const id = randomUUID();
    const thresholds = input.ltvThresholds ?? DEFAULT_LTV_THRESHOLDS;
    try {
      return await inUnitOfWork(deps, async (tx) => {
        const row = await tx.facility.create({
          data: {
            id,
            bankTenantId: principal.tenantId,
            reference: input.reference,
            borrowerRef: input.borrower.ref,
            borrowerName: input.borrower.name,
            borrowerTenantId: input.borrower.tenantId ?? null,
            currency: input.limit.currency,
            limitAmount: limit,
            validFrom: input.validFrom,
            validUntil: input.validUntil,
            annualRate: input.annualRate,
            dayCount: input.dayCount ?? DEFAULT_DAY_COUNT,
            advanceRates,
            ltvWarning: thresholds.warning,
            ltvMarginCall: thresholds.marginCall,
            ltvLiquidation: thresholds.liquidation,
            curePeriodSeconds: input.curePeriodSeconds ?? DEFAULT_CURE_PERIOD_MS / 1000,
            ...(input.concentration === undefined ? {} : { concentration: input.concentration as Prisma.InputJsonValue }),
            createdBy: userActor(principal),
          },
        });
        await appendAudit(tx, { actor: userActor(principal), action: 'facility.created', entityType: 'facility', entityId: id, tenantId: principal.tenantId, after: row });
        return row;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'facility_reference_key') throw conflict(`facility reference ${input.reference} is already used by this bank`, { reference: input.reference });
      throw error;
    }
  }

  async function find(principal: Principal, id: string): Promise<Facility> {
    const row = await deps.prisma.facility.findFirst({ where: facilityScope(principal, id) });
    if (row === null) throw notFound(`facility ${id}`);
    return row;
  }

  /** Links the facility to its borrower's tenant (or unlinks it with null); the bank's staff only. */
  async function linkBorrower(principal: Principal, id: string, borrowerTenantId: string | null): Promise<Facility> {
    await checkBorrowerTenant(borrowerTenantId ?? undefined);
    return inUnitOfWork(deps, async (tx) => {
      const row = await lockFacility(tx, id);
      if (!facilityVisible(principal, row) || principal.role === 'borrower') throw notFound(`facility ${id}`);
      const updated = await tx.facility.update({ where: { id }, data: { borrowerTenantId } });
      await appendAudit(tx, {
        actor: userActor(principal),
        action: 'facility.borrower_linked',
        entityType: 'facility',
        entityId: id,
        tenantId: row.bankTenantId,
        before: { borrowerTenantId: row.borrowerTenantId },
        after: { borrowerTenantId },
      });
      return updated;
    });
  }

  async function drawdown(principal: Principal, id: string, amount: Money, note?: string): Promise<{ entry: FacilityLedger; facility: Facility }> {
    const at = now();
    const result = await inUnitOfWork(deps, async (tx, events) => {
      const row = await lockFacility(tx, id);
      if (!facilityVisible(principal, row)) throw notFound(`facility ${id}`);
      const lines = await tx.collateralLine.findMany({ where: { facilityId: id }, select: { receiptId: true, lendingValue: true, advanceRate: true } });
      const decision = checkDrawdown(
        {
          terms: facilityTerms(row),
          outstanding: fromDb(row.outstanding),
          collateral: lines.map((l) => ({ receiptId: l.receiptId, lendingValue: fromDb(l.lendingValue), advanceRate: fromDb(l.advanceRate) })),
          freeze: freezeOf(row),
          now: at,
        },
        { amount },
      );
      if (!decision.ok) throw refusal(decision.refusal);
      return book(tx, row, principal, { kind: 'drawdown', amount: decision.amount.amount, outstandingAfter: decision.outstandingAfter, at, note, events });
    });
    return result;
  }

  async function repay(principal: Principal, id: string, amount: Money, note?: string): Promise<{ entry: FacilityLedger; facility: Facility }> {
    const at = now();
    const result = await inUnitOfWork(deps, async (tx, events) => {
      const row = await lockFacility(tx, id);
      if (!facilityVisible(principal, row)) throw notFound(`facility ${id}`);
      const decision = checkRepayment({ currency: row.currency, outstanding: fromDb(row.outstanding) }, { amount });
      if (!decision.ok) throw refusal(decision.refusal);
      return book(tx, row, principal, { kind: 'repayment', amount: decision.amount.amount, outstandingAfter: decision.outstandingAfter, at, note, events });
    });
    return result;
  }

  async function book(
    tx: Prisma.TransactionClient,
    row: Facility,
    principal: Principal,
    movement: { kind: 'drawdown' | 'repayment'; amount: string; outstandingAfter: string; at: Date; note: string | undefined; events: UnitOfWork },
  ): Promise<{ entry: FacilityLedger; facility: Facility }> {
    const actor = userActor(principal);
    const entry = await tx.facilityLedger.create({
      data: {
        id: randomUUID(),
        facilityId: row.id,
        kind: movement.kind,
        amount: movement.amount,
        currency: row.currency,
        at: movement.at,
        outstandingAfter: movement.outstandingAfter,
        source: 'api',
        actor,
        note: movement.note ?? null,
      },
    });
    await tx.facility.update({ where: { id: row.id }, data: { outstanding: movement.outstandingAfter } });
    movement.events.audit({
      actor,
      action: `facility.${movement.kind}`,
      entityType: 'facility',
      entityId: row.id,
      tenantId: row.bankTenantId,
      before: { outstanding: fromDb(row.outstanding) },
      after: { outstanding: movement.outstandingAfter, entryId: entry.id, amount: movement.amount, currency: row.currency },
      at: movement.at,
    });
    const { facility } = await refreshFacility(tx, row.id, {
      now: movement.at,
      actor,
      events: movement.events,
      cause: 'repayment',
      reason: `facility.${movement.kind}`,
      detail: { entryId: entry.id, amount: movement.amount },
    });
    return { entry, facility };
  }

  /**
   * Lifts a hold citing a resolved case of the facility's bank (hold-lift.ts). A critical
   * hold (a breached lot) takes two different people: the first call records the request
   * (audited), a different risk officer citing the same case lifts it (four eyes).
   */
  async function resolveFacilityHold(principal: Principal, id: string, holdId: string, input: { caseId: string; note?: string | undefined }): Promise<Facility> {
    const at = now();
    const actor = userActor(principal);
    const result = await inUnitOfWork(deps, async (tx, events) => {
      const row = await lockFacility(tx, id);
      if (!facilityVisible(principal, row)) throw notFound(`facility ${id}`);
      const before = freezeOf(row);
      const hold = before.holds.find((h) => h.id === holdId);
      if (hold === undefined) throw notFound(`hold ${holdId}`);
      if (hold.resolution !== null) throw conflict(`hold ${holdId} was resolved by case ${hold.resolution.caseId}`, { code: 'already_resolved', holdId });
      const pending = hold.pendingLift ?? null;
      const note = input.note === undefined ? {} : { note: input.note };
      if (pending !== null && pending.caseId === input.caseId) {
        if (pending.requestedBy === actor) throw conflict(`hold ${holdId} is critical: a second person must approve lifting it`, { code: 'four_eyes', holdId });
      } else {
        await checkLiftingCase(tx, { bankTenantId: row.bankTenantId, hold, caseId: input.caseId });
        if (needsSecondApproval(hold)) {
          const after = requestLift(before, holdId, { caseId: input.caseId, requestedBy: actor, at, ...note });
          await tx.facility.update({ where: { id }, data: { freezeState: encodeFreeze(after), updatedAt: at } });
          events.audit({ actor, action: 'facility.hold_lift_requested', entityType: 'facility', entityId: id, tenantId: row.bankTenantId, before: encodeFreeze(before), after: encodeFreeze(after), at });
          return tx.facility.findUniqueOrThrow({ where: { id } });
        }
      }
      const resolution = pending !== null && pending.caseId === input.caseId
        ? { caseId: input.caseId, resolvedBy: pending.requestedBy, approvedBy: actor, at, ...(input.note === undefined && pending.note !== undefined ? { note: pending.note } : note) }
        : { caseId: input.caseId, resolvedBy: actor, at, ...note };
      const resolved = resolveHold(before, holdId, resolution);
      if (!resolved.ok) throw conflict(resolved.error.message, { ...resolved.error });
      await storeFreeze(tx, row, before, resolved.state, { now: at, actor, events }, 'facility.hold_resolved');
      return tx.facility.findUniqueOrThrow({ where: { id } });
    });
    return result;
  }

  return { create, find, linkBorrower, drawdown, repay, resolveHold: resolveFacilityHold };
}

export type FacilityService = ReturnType<typeof createFacilityService>;
