import { randomBytes, randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.ts';
import type { Facility, PrismaClient, Receipt, ReleaseOrder } from '../db/generated/client.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { AppError, badRequest, conflict, notFound } from '../errors.ts';
import { normaliseEpcs } from '../receipts/epcs.ts';
import { lockReceipt } from '../receipts/receipt-locks.ts';
import { canSeeReceipt, isHolder, isIssuer } from '../receipts/receipt-scope.ts';
import { borrowerReceiptWhere } from '../borrower/borrower-scope.ts';
import { applyTransition, endPledge, type ChangeContext } from '../receipts/receipt-transitions.ts';
import { userActor } from '../risk/actor.ts';
import { lineReceipt, revalueReceiptLine, valueReceiptLine } from '../risk/collateral-lines.ts';
import { assertCovered } from '../risk/coverage.ts';
import { refreshFacility } from '../risk/facility-refresh.ts';
import { inUnitOfWork, type Tx } from '../db/unit-of-work.ts';
import { fromDb } from '../valuation/db-decimal.ts';
import { planRelease, type ReleasePlan, type ReleaseRequest } from './release-plan.ts';

export interface ReleaseOrderInput {
  readonly receiptId: string;
  readonly all?: boolean | undefined;
  readonly epcs?: readonly string[] | undefined;
  readonly quantity?: { readonly value: string; readonly unit: string } | undefined;
  readonly validFrom?: Date | undefined;
  readonly validUntil?: Date | undefined;
  readonly note?: string | undefined;
}

export interface ReleaseOrderServiceDeps {
  readonly prisma: PrismaClient;
  readonly bus: DomainEventBus;
  readonly now?: () => Date;
}

// A release the lender approved is expected on site for a week unless the request says otherwise.
const DEFAULT_VALIDITY_MS = 7 * 86_400_000;

export function canSeeOrder(principal: Principal, order: ReleaseOrder): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role === 'warehouse_operator') return order.issuerTenantId === principal.tenantId;
  return order.bankTenantId === principal.tenantId;
}

async function activeEpcs(tx: Tx, receiptId: string): Promise<string[]> {
  const items = await tx.receiptItem.findMany({ where: { receiptId, active: true }, select: { epc: true } });
  return items.map((i) => i.epc);
}

function planOrThrow(plan: ReleasePlan): Extract<ReleasePlan, { ok: true }> {
  if (plan.ok) return plan;
  throw plan.code === 'conflict' ? conflict(plan.message, { conflict: 'release' }) : badRequest(plan.message);
}

export function createReleaseOrderService(deps: ReleaseOrderServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function run<T>(actor: string, fn: (tx: Tx, context: ChangeContext) => Promise<T>): Promise<T> {
    const at = now();
    return inUnitOfWork(deps, (tx, events) => fn(tx, { now: at, actor, events }));
  }

  function audit(order: ReleaseOrder, before: ReleaseOrder | null, context: ChangeContext): void {
    context.events.audit({
      actor: context.actor,
      action: `release_order.${order.status}`,
      entityType: 'release_order',
      entityId: order.id,
      tenantId: order.bankTenantId,
      before,
      after: order,
      at: context.now,
    });
    context.events.collateralChanged({
      tenantId: order.bankTenantId,
      facilityId: null,
      receiptId: order.receiptId,
      reason: `release_order.${order.status}`,
      detail: { releaseOrderId: order.id, reference: order.reference, kind: order.kind },
    });
  }

  /**
   * The borrower asks, through the warehouse operator or its bank, for goods to leave a
   * pledged lot. Nothing moves until the lender approves.
   */
  const request = (principal: Principal, input: ReleaseOrderInput): Promise<ReleaseOrder> =>
    run(userActor(principal), async (tx, context) => {
      // The borrower asks for its own goods: receipts pledged under its facilities.
      const receipt =
        principal.role === 'borrower'
          ? await tx.receipt.findFirst({ where: { id: input.receiptId, ...borrowerReceiptWhere(principal.tenantId) } })
          : await tx.receipt.findUnique({ where: { id: input.receiptId } });
      if (receipt === null || (principal.role !== 'borrower' && !canSeeReceipt(principal, receipt))) throw notFound(`receipt ${input.receiptId}`);
      if (principal.role !== 'borrower' && !isIssuer(principal, receipt) && !isHolder(principal, receipt)) {
        throw new AppError('forbidden', 'only the issuing warehouse, the holding bank or the borrower may ask for a release');
      }
      if (receipt.status !== 'pledged' || receipt.holderTenantId === null) throw conflict(`receipt ${receipt.number} is ${receipt.status}, not pledged`, { conflict: 'state' });
      const epcs = normaliseEpcs(input.epcs ?? []);
      const wanted: ReleaseRequest = { all: input.all, epcs, quantity: input.quantity };
      const plan = planOrThrow(planRelease(await stockOf(tx, receipt), wanted));
      const validFrom = input.validFrom ?? context.now;
      const validUntil = input.validUntil ?? new Date(validFrom.getTime() + DEFAULT_VALIDITY_MS);
      if (validUntil.getTime() <= validFrom.getTime()) throw badRequest('validUntil must be after validFrom');
      const order = await tx.releaseOrder.create({
        data: {
          id: randomUUID(),
          reference: `RO-${context.now.getUTCFullYear()}-${randomBytes(5).toString('hex').toUpperCase()}`,
          receiptId: receipt.id,
          siteId: receipt.siteId,
          lotId: receipt.lotId,
          bankTenantId: receipt.holderTenantId,
          issuerTenantId: receipt.issuerTenantId,
          kind: plan.kind,
          epcs: [...plan.epcs],
          quantity: plan.quantity,
          unit: receipt.unit,
          status: 'requested',
          validFrom,
          validUntil,
          note: input.note ?? null,
          requestedBy: context.actor,
          requestedAt: context.now,
        },
      });
      audit(order, null, context);
      return order;
    });

  async function stockOf(tx: Tx, receipt: Receipt) {
    return { quantity: fromDb(receipt.quantity), unit: receipt.unit, verifiedQuantity: fromDb(receipt.verifiedQuantity), activeEpcs: await activeEpcs(tx, receipt.id) };
  }

  async function lockOrder(tx: Tx, principal: Principal, id: string): Promise<ReleaseOrder> {
    const seen = await tx.releaseOrder.findUnique({ where: { id } });
    if (seen === null || !canSeeOrder(principal, seen)) throw notFound(`release order ${id}`);
    return seen;
  }

  function decided(status: 'approved' | 'refused', context: ChangeContext, note?: string) {
    return { status, decidedBy: context.actor, decidedAt: context.now, decisionNote: note ?? null };
  }

  /**
   * The lender consents. The receipt is reduced at once (the released items and quantity
   * stop counting as collateral) and the order goes into the site's manifest so the
   * gateway expects the movement. A full release ends the pledge and the receipt.
   * Refused with 422 when what remains would not cover the facility's outstanding.
   */
  const approve = (principal: Principal, id: string, note?: string): Promise<ReleaseOrder> =>
    run(userActor(principal), async (tx, context) => {
      const seen = await lockOrder(tx, principal, id);
      const locked = await lockReceipt(tx, seen.receiptId);
      const order = await tx.releaseOrder.findUniqueOrThrow({ where: { id } });
      if (locked === null || !isHolder(principal, locked.receipt)) throw notFound(`release order ${id}`);
      if (order.status !== 'requested') throw conflict(`release order ${order.reference} is ${order.status}`, { conflict: 'state', status: order.status });
      if (order.validUntil.getTime() <= context.now.getTime()) throw conflict(`release order ${order.reference} expired at ${order.validUntil.toISOString()}`, { conflict: 'expired' });
      const { receipt, pledge, facility } = locked;
      if (receipt.status !== 'pledged' || pledge === null || facility === null) throw conflict(`receipt ${receipt.number} is ${receipt.status}, not pledged`, { conflict: 'state' });
      const plan = planOrThrow(
        planRelease(await stockOf(tx, receipt), order.kind === 'full' ? { all: true } : { epcs: order.epcs, quantity: order.quantity === null ? undefined : { value: fromDb(order.quantity), unit: order.unit ?? receipt.unit } }),
      );
      await tx.receiptItem.updateMany({ where: { receiptId: receipt.id, active: true, ...(plan.kind === 'full' ? {} : { epc: { in: [...plan.epcs] } }) }, data: { releaseOrderId: order.id } });
      if (plan.kind === 'full') await releaseAll(tx, receipt, facility, order, context);
      else await reduce(tx, receipt, facility, order, plan, context);
      const approved = await tx.releaseOrder.update({ where: { id }, data: decided('approved', context, note) });
      audit(approved, order, context);
      await refreshFacility(tx, facility.id, { ...context, cause: 'collateral', reason: 'release_order.approved', receiptId: receipt.id, detail: { releaseOrderId: id } });
      return approved;
    });

  async function releaseAll(tx: Tx, receipt: Receipt, facility: Facility, order: ReleaseOrder, context: ChangeContext): Promise<void> {
    await assertCovered(tx, facility, new Map([[receipt.id, '0']]), `releasing all of receipt ${receipt.number}`);
    const pledge = await tx.pledge.findFirstOrThrow({ where: { receiptId: receipt.id, status: 'active' } });
    await applyTransition(tx, receipt, 'release', { closedAt: context.now }, context, { releaseOrderId: order.id });
    await endPledge(tx, pledge, 'released', `release order ${order.reference}`, context);
  }

  async function reduce(tx: Tx, receipt: Receipt, facility: Facility, order: ReleaseOrder, plan: Extract<ReleasePlan, { ok: true }>, context: ChangeContext): Promise<void> {
    const after = await valueReceiptLine(tx, { ...lineReceipt(receipt), verifiedQuantity: plan.remaining.verifiedQuantity }, facility.currency);
    await assertCovered(tx, facility, new Map([[receipt.id, after.lendingValue]]), `releasing ${plan.quantity} ${receipt.unit} of receipt ${receipt.number}`);
    if (plan.epcs.length > 0) {
      await tx.receiptItem.updateMany({ where: { receiptId: receipt.id, epc: { in: [...plan.epcs] } }, data: { active: false, releasedAt: context.now } });
    }
    const updated = await applyTransition(
      tx,
      receipt,
      'reduce',
      { quantity: plan.remaining.quantity, verifiedQuantity: plan.remaining.verifiedQuantity },
      context,
      { releaseOrderId: order.id, released: { quantity: plan.quantity, epcs: plan.epcs.length } },
    );
    await revalueReceiptLine(tx, updated, facility, context.now);
  }

  const refuse = (principal: Principal, id: string, note?: string): Promise<ReleaseOrder> =>
    run(userActor(principal), async (tx, context) => {
      const order = await lockOrder(tx, principal, id);
      const receipt = await tx.receipt.findUniqueOrThrow({ where: { id: order.receiptId } });
      if (!isHolder(principal, receipt)) throw new AppError('forbidden', 'only the holding bank decides on a release');
      const { count } = await tx.releaseOrder.updateMany({ where: { id, status: 'requested' }, data: decided('refused', context, note) });
      if (count === 0) throw conflict(`release order ${order.reference} is ${order.status}`, { conflict: 'state', status: order.status });
      const refused = await tx.releaseOrder.findUniqueOrThrow({ where: { id } });
      audit(refused, order, context);
      return refused;
    });

  /** The warehouse confirms the goods left; the order drops out of the gateway's manifest. */
  const complete = (principal: Principal, id: string): Promise<ReleaseOrder> =>
    run(userActor(principal), async (tx, context) => {
      const order = await lockOrder(tx, principal, id);
      if (principal.role !== 'warehouse_operator') throw new AppError('forbidden', 'only the warehouse confirms a release');
      const { count } = await tx.releaseOrder.updateMany({ where: { id, status: 'approved' }, data: { status: 'completed', completedAt: context.now } });
      if (count === 0) throw conflict(`release order ${order.reference} is ${order.status}, not approved`, { conflict: 'state', status: order.status });
      const completed = await tx.releaseOrder.findUniqueOrThrow({ where: { id } });
      audit(completed, order, context);
      return completed;
    });

  return { request, approve, refuse, complete };
}

export type ReleaseOrderService = ReturnType<typeof createReleaseOrderService>;
