// The credit domain behind its routes: merchants and their platform transactions in,
// scorecard versions registered and activated, merchants scored and decided, offers
// accepted into the facility service, and the monthly re-scoring that watches each
// borrower's score and the population's stability. Every change is audited.
import { randomUUID } from 'node:crypto';
import type { CaseOpener } from '../../alerts/case-opener.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import type { Principal } from '../../auth/principal.ts';
import type { CreditDecision, CreditMerchant, PrismaClient } from '../../db/generated/client.ts';
import type { Prisma } from '../../db/generated/client.ts';
import type { DomainEventBus } from '../../domain-events/domain-event-bus.ts';
import { AppError, badRequest, conflict, notFound } from '../../errors.ts';
import type { createFacilityService } from '../../facilities/facility-service.ts';
import { userActor } from '../../risk/actor.ts';
import { lockFacility, refreshFacility } from '../../risk/facility-refresh.ts';
import { inUnitOfWork } from '../../db/unit-of-work.ts';
import { uniqueViolation } from '../../db/unique-violation.ts';
import { fromDb } from '../../valuation/db-decimal.ts';
import { Dec, toPlain } from '../../valuation/decimal.ts';
import type { MerchantRecord, MerchantTransaction } from '../../../protocol/credit/merchant-data.ts';
import { addMonths } from '../../../protocol/credit/month.ts';
import { decideLine, DEFAULT_CREDIT_POLICY, type CreditPolicy } from '../decisions/credit-policy.ts';
import { merchantFeatures, type FeatureRow } from '../features/merchant-features.ts';
import { PSI_SHIFT } from '../model/metrics.ts';
import { scoreObservation, type ScoreResult } from '../model/scorecard.ts';
import { stabilityReport } from '../model/stability.ts';
import type { TrainedScorecard } from '../model/trained-scorecard.ts';
import { loadMerchantHistory } from './merchant-history.ts';

export interface CreditServiceDeps {
  readonly prisma: PrismaClient;
  readonly bus: DomainEventBus;
  readonly facilities: ReturnType<typeof createFacilityService>;
  readonly raise: CaseOpener;
  readonly now: () => Date;
  readonly policy?: CreditPolicy;
  // Points a borrower's score may fall in a month before an early warning.
  readonly warningDrop?: number;
}

export const DEFAULT_WARNING_DROP = 20;
const SYSTEM = 'system:credit';

function observation(features: FeatureRow): Record<string, number | null> {
  return Object.fromEntries(Object.entries(features).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));
}

// JSON has no NaN: a feature that could not be computed is stored as null.
const storedFeatures = (features: FeatureRow): Prisma.InputJsonValue => observation(features);

export function createCreditService(deps: CreditServiceDeps) {
  const { prisma } = deps;
  const policy = deps.policy ?? DEFAULT_CREDIT_POLICY;
  const warningDrop = deps.warningDrop ?? DEFAULT_WARNING_DROP;

  async function bankOf(principal: Principal): Promise<string> {
    const tenant = await prisma.tenant.findUnique({ where: { id: principal.tenantId }, select: { kind: true } });
    if (tenant?.kind !== 'bank') throw new AppError('forbidden', 'credit data belongs to a bank');
    return principal.tenantId;
  }

  async function upsertMerchants(principal: Principal, merchants: readonly MerchantRecord[]): Promise<{ created: number; updated: number }> {
    const bank = await bankOf(principal);
    return inUnitOfWork({ prisma }, async (tx) => {
      const existing = new Set(
        (await tx.creditMerchant.findMany({ where: { bankTenantId: bank, merchantId: { in: merchants.map((m) => m.merchantId) } }, select: { merchantId: true } })).map((m) => m.merchantId),
      );
      for (const m of merchants) {
        const data = { platform: m.platform, name: m.name, sector: m.sector, openedAt: new Date(m.openedAt), updatedAt: deps.now() };
        await tx.creditMerchant.upsert({ where: { bankTenantId_merchantId: { bankTenantId: bank, merchantId: m.merchantId } }, create: { bankTenantId: bank, merchantId: m.merchantId, ...data }, update: data });
      }
      const created = merchants.filter((m) => !existing.has(m.merchantId)).length;
      await appendAudit(tx, { actor: userActor(principal), action: 'credit.merchants_ingested', entityType: 'credit_merchant', entityId: bank, tenantId: bank, after: { created, updated: merchants.length - created } });
      return { created, updated: merchants.length - created };
    });
  }

  async function linkBorrower(principal: Principal, merchantId: string, borrowerTenantId: string | null): Promise<CreditMerchant> {
    const bank = await bankOf(principal);
    if (borrowerTenantId !== null) {
      const tenant = await prisma.tenant.findUnique({ where: { id: borrowerTenantId }, select: { kind: true } });
      if (tenant?.kind !== 'borrower') throw badRequest(`tenant ${borrowerTenantId} is not a borrower`, { tenantId: borrowerTenantId });
    }
    return inUnitOfWork({ prisma }, async (tx) => {
      const key = { bankTenantId_merchantId: { bankTenantId: bank, merchantId } };
      const before = await tx.creditMerchant.findUnique({ where: key });
      if (before === null) throw notFound(`merchant ${merchantId}`);
      const row = await tx.creditMerchant.update({ where: key, data: { borrowerTenantId, updatedAt: deps.now() } });
      await appendAudit(tx, { actor: userActor(principal), action: 'credit.merchant_borrower_linked', entityType: 'credit_merchant', entityId: merchantId, tenantId: bank, before: { borrowerTenantId: before.borrowerTenantId }, after: { borrowerTenantId } });
      return row;
    });
  }

  // Stores what is new; a transaction id already stored for this bank is a duplicate and
  // left as it is, so a platform can resend a batch after a timeout.
  async function ingestTransactions(principal: Principal, transactions: readonly MerchantTransaction[]): Promise<{ accepted: number; duplicates: number; rejected: { id: string; reason: string }[] }> {
    const bank = await bankOf(principal);
    const known = new Set(
      (await prisma.creditMerchant.findMany({ where: { bankTenantId: bank, merchantId: { in: [...new Set(transactions.map((t) => t.merchantId))] } }, select: { merchantId: true } })).map((m) => m.merchantId),
    );
    const rejected: { id: string; reason: string }[] = [];
    const rows: Prisma.CreditTransactionCreateManyInput[] = [];
    for (const t of transactions) {
      if (!known.has(t.merchantId)) {
        rejected.push({ id: t.id, reason: `unknown merchant ${t.merchantId}` });
        continue;
      }
      const at = new Date(t.at);
      if (Number.isNaN(at.getTime())) {
        rejected.push({ id: t.id, reason: 'at is not a valid time' });
        continue;
      }
      rows.push({ bankTenantId: bank, id: t.id, merchantId: t.merchantId, kind: t.kind, at, amount: t.amount, currency: t.currency, orderId: t.orderId ?? null, customerId: t.customerId ?? null, receivedAt: deps.now() });
    }
    const accepted = await inUnitOfWork({ prisma }, async (tx) => {
      const { count } = await tx.creditTransaction.createMany({ data: rows, skipDuplicates: true });
      await appendAudit(tx, { actor: userActor(principal), action: 'credit.transactions_ingested', entityType: 'credit_transaction', entityId: bank, tenantId: bank, after: { accepted: count, duplicates: rows.length - count, rejected: rejected.length } });
      return count;
    });
    return { accepted, duplicates: rows.length - accepted, rejected };
  }

  async function registerModel(principal: Principal, card: TrainedScorecard, activate: boolean): Promise<void> {
    const bank = await bankOf(principal);
    try {
      await inUnitOfWork({ prisma }, async (tx) => {
        await tx.creditModel.create({
          data: { bankTenantId: bank, version: card.version, card: card as unknown as Prisma.InputJsonValue, auc: card.validation.auc, ks: card.validation.ks, createdBy: userActor(principal), createdAt: deps.now() },
        });
        await appendAudit(tx, {
          actor: userActor(principal),
          action: 'credit.model_registered',
          entityType: 'credit_model',
          entityId: card.version,
          tenantId: bank,
          after: { version: card.version, auc: card.validation.auc, ks: card.validation.ks, features: card.model.features.map((f) => f.feature) },
        });
      });
    } catch (error) {
      if (uniqueViolation(error) !== undefined) throw conflict(`model ${card.version} is already registered`, { version: card.version });
      throw error;
    }
    if (activate) await activateModel(principal, card.version);
  }

  async function activateModel(principal: Principal, version: string): Promise<void> {
    const bank = await bankOf(principal);
    await inUnitOfWork({ prisma }, async (tx) => {
      const target = await tx.creditModel.findUnique({ where: { bankTenantId_version: { bankTenantId: bank, version } } });
      if (target === null) throw notFound(`model ${version}`);
      const previous = await tx.creditModel.findFirst({ where: { bankTenantId: bank, active: true }, select: { version: true } });
      await tx.creditModel.updateMany({ where: { bankTenantId: bank, active: true }, data: { active: false } });
      await tx.creditModel.update({ where: { bankTenantId_version: { bankTenantId: bank, version } }, data: { active: true } });
      await appendAudit(tx, { actor: userActor(principal), action: 'credit.model_activated', entityType: 'credit_model', entityId: version, tenantId: bank, before: { active: previous?.version ?? null }, after: { active: version } });
    });
  }

  async function activeModel(bank: string): Promise<TrainedScorecard> {
    const row = await prisma.creditModel.findFirst({ where: { bankTenantId: bank, active: true } });
    if (row === null) throw new AppError('conflict', 'no active credit model: register and activate one first');
    return row.card as unknown as TrainedScorecard;
  }

  async function findMerchant(bank: string, merchantId: string): Promise<CreditMerchant> {
    const row = await prisma.creditMerchant.findUnique({ where: { bankTenantId_merchantId: { bankTenantId: bank, merchantId } } });
    if (row === null) throw notFound(`merchant ${merchantId}`);
    return row;
  }

  async function scoreMerchant(merchant: CreditMerchant, card: TrainedScorecard, month: string): Promise<{ features: FeatureRow; result: ScoreResult }> {
    const features = merchantFeatures(await loadMerchantHistory(prisma, merchant, month), month);
    const result = scoreObservation(card.model, observation(features));
    const data = { score: result.score, pd: result.pd, features: storedFeatures(features), reasons: result.reasons as unknown as Prisma.InputJsonValue, scoredAt: deps.now() };
    const key = { bankTenantId: merchant.bankTenantId, merchantId: merchant.merchantId, month, modelVersion: card.version };
    await prisma.creditScore.upsert({ where: { bankTenantId_merchantId_month_modelVersion: key }, create: { ...key, ...data }, update: data });
    return { features, result };
  }

  async function decide(principal: Principal, merchantId: string, month: string): Promise<CreditDecision> {
    const bank = await bankOf(principal);
    const merchant = await findMerchant(bank, merchantId);
    const card = await activeModel(bank);
    const { features, result } = await scoreMerchant(merchant, card, month);
    const decision = decideLine({ pd: result.pd, score: result.score, features, reasons: result.reasons }, policy);
    const at = deps.now();
    return inUnitOfWork({ prisma }, async (tx) => {
      const superseded = await tx.creditDecision.updateMany({ where: { bankTenantId: bank, merchantId, status: 'offered' }, data: { status: 'superseded' } });
      const row = await tx.creditDecision.create({
        data: {
          id: randomUUID(),
          bankTenantId: bank,
          merchantId,
          month,
          modelVersion: card.version,
          score: result.score,
          pd: result.pd,
          outcome: decision.outcome,
          limitAmount: decision.limit,
          currency: policy.currency,
          annualRate: decision.annualRate,
          explanation: { rules: decision.rules, reasons: decision.reasons, features: storedFeatures(features) } as unknown as Prisma.InputJsonValue,
          status: decision.outcome === 'offer' ? 'offered' : 'declined',
          decidedAt: at,
          expiresAt: new Date(at.getTime() + policy.offerValidDays * 86_400_000),
        },
      });
      await appendAudit(tx, { actor: userActor(principal), action: 'credit.decision', entityType: 'credit_decision', entityId: row.id, tenantId: bank, after: { ...row, supersededOffers: superseded.count }, at });
      return row;
    });
  }

  function merchantsOf(principal: Principal): Prisma.CreditMerchantWhereInput {
    if (principal.role === 'admin') return {};
    return principal.role === 'borrower' ? { borrowerTenantId: principal.tenantId } : { bankTenantId: principal.tenantId };
  }

  async function offersFor(principal: Principal): Promise<CreditDecision[]> {
    const merchants = await prisma.creditMerchant.findMany({ where: merchantsOf(principal), select: { bankTenantId: true, merchantId: true } });
    if (merchants.length === 0) return [];
    return prisma.creditDecision.findMany({
      where: { OR: merchants.map((m) => ({ bankTenantId: m.bankTenantId, merchantId: m.merchantId })) },
      orderBy: { decidedAt: 'desc' },
      take: 200,
    });
  }

  // The borrower takes the offer: its facility with the bank gets the offered line as an
  // unsecured tranche (a new revolving facility when it has none from an earlier offer),
  // drawn and repaid through the facility routes like any other.
  async function accept(principal: Principal, decisionId: string): Promise<CreditDecision> {
    const decision = await prisma.creditDecision.findUnique({ where: { id: decisionId } });
    const merchant = decision === null ? null : await prisma.creditMerchant.findUnique({ where: { bankTenantId_merchantId: { bankTenantId: decision.bankTenantId, merchantId: decision.merchantId } } });
    if (decision === null || merchant === null || principal.role !== 'borrower' || merchant.borrowerTenantId !== principal.tenantId) throw notFound(`decision ${decisionId}`);
    if (decision.status !== 'offered') throw conflict(`decision ${decisionId} is ${decision.status}, not an open offer`, { status: decision.status });
    const at = deps.now();
    if (at.getTime() >= decision.expiresAt.getTime()) throw conflict(`the offer expired at ${decision.expiresAt.toISOString()}`, { expiresAt: decision.expiresAt.toISOString() });
    if (decision.limitAmount === null || decision.annualRate === null) throw conflict(`decision ${decisionId} offers no line`);
    const line = fromDb(decision.limitAmount);
    const annualRate = fromDb(decision.annualRate);
    const previous = await prisma.creditDecision.findFirst({ where: { bankTenantId: decision.bankTenantId, merchantId: decision.merchantId, status: 'accepted', facilityId: { not: null } }, orderBy: { acceptedAt: 'desc' } });
    let facilityId = previous?.facilityId ?? null;
    const fresh = facilityId === null;
    if (facilityId === null) {
      // The bank's offer is its consent: the facility is opened in the bank's name by the
      // borrower's acceptance, and audited as the borrower's act.
      const facility = await deps.facilities.create(
        { ...principal, tenantId: decision.bankTenantId, role: 'lender' },
        {
          reference: `CR-${decision.merchantId}-${decision.id.slice(0, 8)}`,
          borrower: { ref: decision.merchantId, name: merchant.name, tenantId: principal.tenantId },
          limit: { amount: line, currency: decision.currency },
          validFrom: at,
          validUntil: new Date(Date.UTC(at.getUTCFullYear() + 1, at.getUTCMonth(), at.getUTCDate())),
          annualRate,
        },
      );
      facilityId = facility.id;
    }
    const accepted = await inUnitOfWork({ prisma, bus: deps.bus }, async (tx, events) => {
      const row = await lockFacility(tx, facilityId);
      if (row === null) throw notFound(`facility ${facilityId}`);
      const oldTranche = fromDb(row.unsecuredLimit);
      // A facility opened for this offer is all tranche; an existing one keeps its secured part.
      const limit = fresh ? line : toPlain(new Dec(fromDb(row.limitAmount)).minus(oldTranche).plus(line));
      if (new Dec(fromDb(row.outstanding)).greaterThan(limit)) throw conflict('the facility owes more than the new limit: repay first', { outstanding: fromDb(row.outstanding), limit });
      await tx.facility.update({ where: { id: facilityId }, data: { limitAmount: limit, unsecuredLimit: line, annualRate } });
      events.audit({ actor: userActor(principal), action: 'facility.unsecured_tranche_set', entityType: 'facility', entityId: facilityId, tenantId: row.bankTenantId, before: { limit: fromDb(row.limitAmount), unsecured: oldTranche }, after: { limit, unsecured: line, decisionId }, at });
      await refreshFacility(tx, facilityId, { now: at, actor: userActor(principal), events, cause: 'repayment', reason: 'credit.line_accepted' });
      const updated = await tx.creditDecision.update({ where: { id: decisionId }, data: { status: 'accepted', facilityId, acceptedAt: at, acceptedBy: userActor(principal) } });
      events.audit({ actor: userActor(principal), action: 'credit.offer_accepted', entityType: 'credit_decision', entityId: decisionId, tenantId: decision.bankTenantId, after: updated, at });
      return updated;
    });
    return accepted;
  }

  // Monthly re-scoring after the loan: every merchant of the bank scored with the active
  // model (the score history is credit_score, one row per merchant, month and model); a
  // borrower (accepted offer) whose score fell by warningDrop points in the month or
  // below the score its line was granted on, or whose PD left the appetite, gets an
  // early-warning case; the population's PSI against the
  // model's training population is stored, and a shift (> 0.25) opens a case.
  async function rescoreMonth(bank: string, month: string): Promise<{ scored: number; warnings: number; scorePsi: number; shifted: boolean }> {
    const card = await activeModel(bank);
    const merchants = await prisma.creditMerchant.findMany({ where: { bankTenantId: bank }, orderBy: { merchantId: 'asc' } });
    // Borrowers with a live line, and the score their line was granted on (latest acceptance).
    const borrowers = new Map(
      (await prisma.creditDecision.findMany({ where: { bankTenantId: bank, status: 'accepted' }, select: { merchantId: true, score: true }, orderBy: { acceptedAt: 'asc' } })).map((d) => [d.merchantId, d.score]),
    );
    const previous = new Map(
      (await prisma.creditScore.findMany({ where: { bankTenantId: bank, month: addMonths(month, -1), modelVersion: card.version }, select: { merchantId: true, score: true } })).map((s) => [s.merchantId, s.score]),
    );
    const observations: Record<string, number | null>[] = [];
    const scores: number[] = [];
    let warnings = 0;
    for (const merchant of merchants) {
      const { features, result } = await scoreMerchant(merchant, card, month);
      observations.push(observation(features));
      scores.push(result.score);
      const before = previous.get(merchant.merchantId);
      const granted = borrowers.get(merchant.merchantId);
      // A sudden fall in a month, or a slow drift below the score the line was granted on.
      const dropped = (before !== undefined && before - result.score >= warningDrop) || (granted !== undefined && granted - result.score >= warningDrop);
      if (granted !== undefined && (dropped || result.pd > policy.maxPd)) {
        warnings += 1;
        await deps.raise(
          {
            kind: `credit.early_warning/${merchant.merchantId}`,
            title: `Credit early warning: ${merchant.name} scored ${result.score.toFixed(0)} in ${month}${before === undefined ? '' : ` (${before.toFixed(0)} the month before)`}, PD ${(result.pd * 100).toFixed(1)} %`,
            severity: result.pd > policy.maxPd ? 'critical' : 'warning',
            source: 'credit',
            siteId: null,
            lotId: null,
            gatewayId: null,
            at: deps.now(),
            detail: { merchantId: merchant.merchantId, month, score: result.score, previousScore: before ?? null, scoreAtGrant: granted, threshold: warningDrop, pd: result.pd, reasons: result.reasons, modelVersion: card.version },
            evidence: [],
            extraTenants: [bank],
            private: true,
          },
          SYSTEM,
        );
      }
    }
    const report = stabilityReport(card.model, card.reference, observations, scores);
    await inUnitOfWork({ prisma }, async (tx) => {
      const key = { bankTenantId: bank, month, modelVersion: card.version };
      const data = { merchants: merchants.length, scorePsi: report.score, inputs: report.inputs as unknown as Prisma.InputJsonValue, shifted: report.shifted, checkedAt: deps.now() };
      await tx.creditStability.upsert({ where: { bankTenantId_month_modelVersion: key }, create: { ...key, ...data }, update: data });
      await appendAudit(tx, { actor: SYSTEM, action: 'credit.rescored', entityType: 'credit_model', entityId: card.version, tenantId: bank, after: { month, scored: merchants.length, warnings, scorePsi: report.score, shifted: report.shifted } });
    });
    if (report.shifted) {
      await deps.raise(
        {
          kind: 'credit.population_shift',
          title: `Credit model ${card.version}: population shifted in ${month} (score PSI ${report.score.toFixed(3)})`,
          severity: 'warning',
          source: 'credit',
          siteId: null,
          lotId: null,
          gatewayId: null,
          at: deps.now(),
          detail: { month, modelVersion: card.version, scorePsi: report.score, inputs: report.inputs.filter((i) => i.psi > PSI_SHIFT), threshold: PSI_SHIFT },
          evidence: [],
          extraTenants: [bank],
          private: true,
        },
        SYSTEM,
      );
    }
    return { scored: merchants.length, warnings, scorePsi: report.score, shifted: report.shifted };
  }

  return { bankOf, upsertMerchants, linkBorrower, ingestTransactions, registerModel, activateModel, activeModel, decide, offersFor, accept, rescoreMonth };
}

export type CreditService = ReturnType<typeof createCreditService>;
