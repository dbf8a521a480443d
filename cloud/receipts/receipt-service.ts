import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.ts';
import type { PrismaClient, Receipt } from '../db/generated/client.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { AppError, badRequest, conflict, limitExceeded, notFound } from '../errors.ts';
import { fxCommodity, fxRate } from '../market-data/fx-rates.ts';
import { userActor } from '../risk/actor.ts';
import { revalueReceiptLine } from '../risk/collateral-lines.ts';
import { facilityRisk, refreshFacility } from '../risk/facility-refresh.ts';
import { applyToStoredCall } from '../risk/margin-calls.ts';
import { inUnitOfWork, type Tx } from '../db/unit-of-work.ts';
import { uniqueViolation } from '../db/unique-violation.ts';
import { normaliseCommodity } from '../valuation/commodity-code.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { Dec, parseDecimal, toPlain } from '../valuation/decimal.ts';
import { formatMinor, isCurrencyCode, type Money } from '../valuation/money.ts';
import { canonicalUnit } from '../valuation/units.ts';
import { normaliseEpcs } from './epcs.ts';
import { epcConflict, lotConflict } from './receipt-conflicts.ts';
import { lockReceipt, type LockedReceipt } from './receipt-locks.ts';
import { canSeeReceipt, isHolder, isIssuer } from './receipt-scope.ts';
import { applyTransition, callReceipt, endPledge, type CallReason, type ChangeContext } from './receipt-transitions.ts';

export interface IssueInput {
  readonly number?: string | undefined;
  readonly siteId: string;
  readonly zone: string;
  readonly lotId: string;
  readonly commodity: string;
  readonly grade: string;
  readonly gradeFactor?: string | undefined;
  readonly sensorConditionFactor?: string | undefined;
  readonly shrinkageRate?: string | undefined;
  readonly quantity: { readonly value: string; readonly unit: string };
  readonly epcs: readonly string[];
  readonly depositor: { readonly ref: string; readonly name: string };
  readonly validFrom?: Date | undefined;
  readonly validUntil: Date;
}

export interface ReceiptServiceDeps {
  readonly prisma: PrismaClient;
  readonly bus: DomainEventBus;
  readonly now?: () => Date;
}

const ITEM_CHUNK = 10_000;

function fraction(name: string, text: string | undefined, fallback: string, max?: number): string {
  const value = parseDecimal(text ?? fallback);
  if (value === undefined || value.isNegative() || (max !== undefined && value.greaterThan(max))) {
    throw badRequest(`${name} must be a decimal ${max === undefined ? '>= 0' : `in [0, ${max}]`}, got "${text}"`);
  }
  return toPlain(value);
}

export function createReceiptService(deps: ReceiptServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function run<T>(fn: (tx: Tx, context: ChangeContext) => Promise<T>, actor: string): Promise<T> {
    const at = now();
    return inUnitOfWork(deps, (tx, events) => fn(tx, { now: at, actor, events }));
  }

  async function issue(principal: Principal, input: IssueInput): Promise<Receipt> {
    const site = await deps.prisma.site.findUnique({ where: { id: input.siteId } });
    if (site === null || site.tenantId !== principal.tenantId) throw notFound(`site ${input.siteId}`);
    const commodity = normaliseCommodity(input.commodity);
    if (commodity === undefined) throw badRequest(`"${input.commodity}" is not a commodity code`);
    const unit = canonicalUnit(input.quantity.unit);
    if (unit === undefined) throw badRequest(`unit "${input.quantity.unit}" is not known`);
    const quantity = parseDecimal(input.quantity.value);
    if (quantity === undefined || !quantity.greaterThan(0)) throw badRequest('quantity must be positive');
    const epcs = normaliseEpcs(input.epcs);
    const at = now();
    const validFrom = input.validFrom ?? at;
    if (input.validUntil.getTime() <= Math.max(validFrom.getTime(), at.getTime())) throw badRequest('validUntil must be in the future and after validFrom');
    const factors = {
      gradeFactor: fraction('gradeFactor', input.gradeFactor, '1'),
      sensorConditionFactor: fraction('sensorConditionFactor', input.sensorConditionFactor, '1', 1),
      shrinkageRate: fraction('shrinkageRate', input.shrinkageRate, '0', 1),
    };
    try {
      return await run(async (tx, context) => {
        const taken = (await lotConflict(tx, input.siteId, input.lotId)) ?? (await epcConflict(tx, epcs));
        if (taken !== undefined) throw taken;
        const number = input.number ?? (await nextNumber(tx, at));
        const receipt = await tx.receipt.create({
          data: {
            id: randomUUID(),
            number,
            issuerTenantId: principal.tenantId,
            siteId: input.siteId,
            zone: input.zone,
            lotId: input.lotId,
            commodity,
            grade: input.grade,
            ...factors,
            quantity: toPlain(quantity),
            originalQuantity: toPlain(quantity),
            unit,
            verifiedQuantity: toPlain(quantity),
            depositorRef: input.depositor.ref,
            depositorName: input.depositor.name,
            status: 'issued',
            validFrom,
            validUntil: input.validUntil,
            createdAt: context.now,
            updatedAt: context.now,
          },
        });
        for (let i = 0; i < epcs.length; i += ITEM_CHUNK) {
          await tx.$executeRaw`INSERT INTO receipt_item (receipt_id, epc) SELECT ${receipt.id}::uuid, unnest(${epcs.slice(i, i + ITEM_CHUNK)}::text[])`;
        }
        context.events.audit({
          actor: context.actor,
          action: 'receipt.issued',
          entityType: 'receipt',
          entityId: receipt.id,
          tenantId: principal.tenantId,
          after: { ...receipt, epcCount: epcs.length },
          at: context.now,
        });
        return receipt;
      }, userActor(principal));
    } catch (error) {
      const violated = uniqueViolation(error);
      if (violated === 'receipt_active_lot_key') throw (await lotConflict(deps.prisma, input.siteId, input.lotId)) ?? error;
      if (violated === 'receipt_item_active_epc_key') throw (await epcConflict(deps.prisma, epcs)) ?? error;
      if (violated === 'receipt_number_key') throw conflict(`receipt number ${input.number} was already issued`, { conflict: 'number' });
      throw error;
    }
  }

  async function nextNumber(tx: Tx, at: Date): Promise<string> {
    const [row] = await tx.$queryRaw<{ n: bigint }[]>`SELECT nextval('receipt_number_seq') AS n`;
    return `EWR-${at.getUTCFullYear()}-${String(row?.n ?? 0).padStart(6, '0')}`;
  }

  async function locked(tx: Tx, principal: Principal, id: string, may: (p: Principal, r: Receipt) => boolean): Promise<LockedReceipt> {
    const found = await lockReceipt(tx, id);
    if (found === null || !canSeeReceipt(principal, found.receipt)) throw notFound(`receipt ${id}`);
    if (!may(principal, found.receipt)) throw new AppError('forbidden', `receipt ${found.receipt.number} is not yours to change in this way`);
    return found;
  }

  const cancel = (principal: Principal, id: string, reason?: string): Promise<Receipt> =>
    run(async (tx, context) => {
      const { receipt } = await locked(tx, principal, id, isIssuer);
      return applyTransition(tx, receipt, 'cancel', { closedAt: context.now }, context, reason === undefined ? {} : { reason });
    }, userActor(principal));

  const call = (principal: Principal, id: string, reason: CallReason, note?: string): Promise<Receipt> =>
    run(async (tx, context) => callReceipt(tx, await locked(tx, principal, id, isHolder), reason, context, note), userActor(principal));

  /**
   * The called goods were sold: the receipt is closed with the proceeds, the pledge ends,
   * and proceeds in the facility's currency repay it up to what is outstanding (the rest
   * is the borrower's).
   */
  const liquidate = (principal: Principal, id: string, proceeds: Money, note?: string): Promise<Receipt> =>
    run(async (tx, context) => {
      const { receipt, pledge, facility } = await locked(tx, principal, id, isHolder);
      const amount = parseDecimal(proceeds.amount);
      if (amount === undefined || amount.isNegative() || !isCurrencyCode(proceeds.currency)) throw badRequest('proceeds must be a non-negative amount with an ISO 4217 currency');
      const after = await applyTransition(
        tx,
        receipt,
        'liquidate',
        { liquidatedAt: context.now, closedAt: context.now, proceedsAmount: toPlain(amount), proceedsCurrency: proceeds.currency },
        context,
        note === undefined ? {} : { note },
      );
      if (pledge === null || facility === null) return after;
      await endPledge(tx, pledge, 'liquidated', 'liquidated', context);
      const outstanding = new Dec(fromDb(facility.outstanding));
      // Proceeds in another currency repay at the latest FX rate (FX rates are price
      // series, market-data/fx-rates.ts); without a rate the sale is refused rather than
      // its proceeds silently left unapplied.
      const fx = await fxRate(tx, proceeds.currency, facility.currency);
      if (fx === undefined) {
        throw limitExceeded(`no ${proceeds.currency}/${facility.currency} exchange rate is known to apply the proceeds to facility ${facility.reference}; record the rate as price ${fxCommodity(proceeds.currency)} in ${facility.currency} first`, { code: 'no_fx_rate', from: proceeds.currency, to: facility.currency });
      }
      const inFacilityCurrency = amount.times(fx.rate);
      let applied = '0';
      if (outstanding.greaterThan(0)) {
        applied = formatMinor(Dec.min(inFacilityCurrency, outstanding), facility.currency, 'down');
        const outstandingAfter = toPlain(outstanding.minus(applied));
        if (new Dec(applied).greaterThan(0)) {
          await tx.facilityLedger.create({
            data: {
              id: randomUUID(),
              facilityId: facility.id,
              kind: 'repayment',
              amount: applied,
              currency: facility.currency,
              at: context.now,
              outstandingAfter,
              source: 'liquidation',
              actor: context.actor,
              note: `proceeds of receipt ${receipt.number}`,
            },
          });
          await tx.facility.update({ where: { id: facility.id }, data: { outstanding: outstandingAfter } });
        }
      }
      await applyToStoredCall(tx, facilityRisk(facility), { type: 'liquidated', at: context.now }, context);
      await refreshFacility(tx, facility.id, {
        ...context,
        cause: 'repayment',
        reason: 'receipt.liquidated',
        receiptId: receipt.id,
        detail: { proceeds, appliedToFacility: applied, ...(fx.series === 'identity' ? {} : { fx: { rate: fx.rate, series: fx.series, asOf: fx.asOf?.toISOString() ?? null } }) },
      });
      return after;
    }, userActor(principal));

  /** Grade and storage-condition factors (the quality factor of the valuation). */
  /**
   * A sensor condition factor set here overrides the gateway's `lot.condition` until
   * `followGateway` hands it back (the factor returns to the gateway's latest, or stays).
   */
  const setCondition = (
    principal: Principal,
    id: string,
    input: { gradeFactor?: string | undefined; sensorConditionFactor?: string | undefined; followGateway?: boolean | undefined; note?: string | undefined },
  ): Promise<Receipt> =>
    run(async (tx, context) => {
      const { receipt, facility } = await locked(tx, principal, id, (p, r) => isIssuer(p, r) || (p.role === 'risk_officer' && isHolder(p, r)));
      if (!['issued', 'pledged', 'called'].includes(receipt.status)) throw conflict(`receipt ${receipt.number} is ${receipt.status}`, { receiptId: id });
      const after = await tx.receipt.update({
        where: { id },
        data: {
          gradeFactor: fraction('gradeFactor', input.gradeFactor, fromDb(receipt.gradeFactor)),
          sensorConditionFactor: fraction(
            'sensorConditionFactor',
            input.sensorConditionFactor,
            input.followGateway === true && receipt.gatewayConditionFactor !== null ? fromDb(receipt.gatewayConditionFactor) : fromDb(receipt.sensorConditionFactor),
            1,
          ),
          conditionOverride: input.sensorConditionFactor !== undefined ? true : input.followGateway === true ? false : receipt.conditionOverride,
          version: { increment: 1 },
          updatedAt: context.now,
        },
      });
      context.events.audit({
        actor: context.actor,
        action: 'receipt.condition_changed',
        entityType: 'receipt',
        entityId: id,
        tenantId: receipt.holderTenantId ?? receipt.issuerTenantId,
        before: { gradeFactor: fromDb(receipt.gradeFactor), sensorConditionFactor: fromDb(receipt.sensorConditionFactor), conditionOverride: receipt.conditionOverride },
        after: { gradeFactor: fromDb(after.gradeFactor), sensorConditionFactor: fromDb(after.sensorConditionFactor), conditionOverride: after.conditionOverride, note: input.note },
        at: context.now,
      });
      if (facility !== null) {
        await revalueReceiptLine(tx, after, facility, context.now);
        await refreshFacility(tx, facility.id, { ...context, cause: 'collateral', reason: 'receipt.condition_changed', receiptId: id });
      }
      return after;
    }, userActor(principal));

  return { issue, cancel, call, liquidate, setCondition };
}

export type ReceiptService = ReturnType<typeof createReceiptService>;
