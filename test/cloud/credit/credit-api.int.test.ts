import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainedScorecard } from '../../../cloud/credit/model/trained-scorecard.ts';
import { generateMerchant, type SyntheticMerchant } from '../../../firmware-sim/platform/synthetic-platform.ts';
import { merchantHealth, trainSyntheticScorecard } from '../../support/synthetic-scorecard.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld } from '../alerts/support/monitoring-world.ts';

/**
 * The credit domain through its API: a risk officer registers a scorecard trained on the
 * synthetic platform, the bank ingests merchants and their transactions (JSON batches,
 * idempotent, and CSV), links a merchant to its borrower tenant and decides; the borrower
 * accepts the offer and draws and repays through its facility; monthly re-scoring raises
 * an early warning when the borrower's score falls and a case for the population shift.
 */
describe('credit API', () => {
  let w: MonitoringWorld;
  let officer: Caller;
  let lender: Caller;
  let borrower: Caller;
  let otherBorrower: Caller;
  let card: TrainedScorecard;
  const platform = { seed: 5, merchants: 60, start: '2025-01', months: 13, idPrefix: 'live-' };
  let strong: SyntheticMerchant;
  let weak: SyntheticMerchant;

  const ingest = async (transactions: readonly unknown[]) => expectStatus(await lender.post('/api/v1/credit/transactions', { transactions }), 200);

  beforeAll(async () => {
    card = trainSyntheticScorecard();
    const merchants = Array.from({ length: platform.merchants }, (_, i) => generateMerchant(platform, i)).filter((m) => m.defaultMonth === null);
    merchants.sort((a, b) => merchantHealth(b) - merchantHealth(a));
    strong = merchants.find((m) => m.drivers.ageAtStartMonths >= 12) as SyntheticMerchant;
    weak = merchants[merchants.length - 1] as SyntheticMerchant;

    w = await startMonitoringWorld();
    officer = await w.as('bank-a', 'risk_officer');
    lender = await w.as('bank-a', 'lender');
    borrower = await w.as('borrower-a', 'borrower');
    otherBorrower = await w.as('borrower-b', 'borrower');
  });
  afterAll(() => w.close());

  it('registers and activates a trained scorecard, and refuses a malformed one', async () => {
    expectStatus(await officer.post('/api/v1/credit/models?activate=true', card), 201);
    expectStatus(await officer.post('/api/v1/credit/models', card), 409);
    const broken = { ...card, model: { ...card.model, features: [] } };
    const bad = expectStatus(await officer.post('/api/v1/credit/models', broken), 400);
    expect(bad.statusCode).toBe(400);
    expectStatus(await lender.post('/api/v1/credit/models', card), 403);
    const report = expectStatus(await lender.get('/api/v1/credit/models/active'), 200) as { card: TrainedScorecard };
    expect(report.card.version).toBe(card.version);
    expect(report.card.model.features[0]?.bins[0]?.woe).toBeTypeOf('number');
  });

  it('ingests merchants and their transactions once, by JSON and by CSV', async () => {
    // The weak merchant joined the platform only recently: the policy excludes it whatever its score.
    expectStatus(await lender.post('/api/v1/credit/merchants', { merchants: [strong.record, { ...weak.record, openedAt: '2025-10-01T00:00:00.000Z' }] }), 200);
    const all = [...strong.transactions, ...weak.transactions];
    const half = Math.floor(all.length / 2);
    const first = await ingest(all.slice(0, half));
    expect(first.accepted).toBe(half);
    const again = await ingest(all.slice(0, half));
    expect(again).toMatchObject({ accepted: 0, duplicates: half });
    const header = 'id,merchant_id,kind,at,amount,currency,order_id,customer_id';
    const csv = [header, ...all.slice(half).map((t) => [t.id, t.merchantId, t.kind, t.at, t.amount, t.currency, t.orderId ?? '', t.customerId ?? ''].join(',')), 'x1,live-000000,order,not-a-time,1,EUR,,'].join('\n');
    const imported = expectStatus(await w.app.inject({ method: 'POST', url: '/api/v1/credit/transactions/import', headers: { authorization: `Bearer ${lender.token}`, 'content-type': 'text/csv' }, payload: csv }), 200);
    expect(imported.accepted).toBe(all.length - half);
    expect(imported.badRowCount).toBe(1);
    const unknown = await ingest([{ ...all[0], id: 'other-1', merchantId: 'nobody' }]);
    expect(unknown.rejected).toEqual([{ id: 'other-1', reason: 'unknown merchant nobody' }]);
    expectStatus(await lender.post('/api/v1/credit/transactions', { transactions: [{ ...all[0], amount: '12,50' }] }), 400);
    expectStatus(await lender.post('/api/v1/credit/transactions', { transactions: [{ ...all[0], kind: 'chargeback' }] }), 400);
  });

  it('decides with reasons and rules; the linked borrower accepts, draws and repays through its facility', async () => {
    const link = (tenantId: string) => w.app.inject({ method: 'PUT', url: `/api/v1/credit/merchants/${strong.record.merchantId}/borrower-tenant`, headers: { authorization: `Bearer ${lender.token}` }, payload: { tenantId } });
    expectStatus(await link('bank-a'), 400);
    expectStatus(await link('borrower-a'), 200);
    const offer = expectStatus(await lender.post('/api/v1/credit/decisions', { merchantId: strong.record.merchantId, month: '2025-12' }), 201) as {
      id: string;
      outcome: string;
      limit: { amount: string; currency: string };
      explanation: { rules: { rule: string; passed: boolean }[]; reasons: unknown[] };
    };
    expect(offer.outcome).toBe('offer');
    expect(offer.explanation.rules.every((r) => r.passed)).toBe(true);
    const declined = expectStatus(await lender.post('/api/v1/credit/decisions', { merchantId: weak.record.merchantId, month: '2025-12' }), 201) as { outcome: string; explanation: { rules: { rule: string; passed: boolean }[]; reasons: { feature: string }[] } };
    expect(declined.outcome).toBe('decline');
    expect(declined.explanation.rules.filter((r) => !r.passed).map((r) => r.rule)).toContain('account_age');
    expect(declined.explanation.reasons.map((r) => r.feature)).toContain('account_age_months');

    // Only the linked borrower sees and accepts the offer.
    const seen = expectStatus(await borrower.get('/api/v1/credit/decisions'), 200).items as { id: string }[];
    expect(seen.map((d) => d.id)).toEqual([offer.id]);
    expect(expectStatus(await otherBorrower.get('/api/v1/credit/decisions'), 200).items).toEqual([]);
    expectStatus(await otherBorrower.post(`/api/v1/credit/decisions/${offer.id}/accept`), 404);
    const accepted = expectStatus(await borrower.post(`/api/v1/credit/decisions/${offer.id}/accept`), 200) as { status: string; facilityId: string };
    expect(accepted.status).toBe('accepted');
    expectStatus(await borrower.post(`/api/v1/credit/decisions/${offer.id}/accept`), 409);

    const facility = expectStatus(await borrower.get(`/api/v1/facilities/${accepted.facilityId}`), 200) as { figures: { available: { amount: string } } };
    expect(Number(facility.figures.available.amount)).toBe(Number(offer.limit.amount));
    const amount = (Number(offer.limit.amount) / 2).toFixed(2);
    expectStatus(await borrower.post(`/api/v1/facilities/${accepted.facilityId}/drawdowns`, { amount: { amount, currency: offer.limit.currency } }), 201);
    expect((await borrower.post(`/api/v1/facilities/${accepted.facilityId}/drawdowns`, { amount: { amount: offer.limit.amount, currency: offer.limit.currency } })).statusCode).toBe(422);
    expectStatus(await borrower.post(`/api/v1/facilities/${accepted.facilityId}/repayments`, { amount: { amount, currency: offer.limit.currency } }), 201);

    const audit = expectStatus(await officer.get('/api/v1/audit?limit=200'), 200).items as { action: string }[];
    const actions = new Set(audit.map((a) => a.action));
    for (const action of ['credit.model_registered', 'credit.model_activated', 'credit.transactions_ingested', 'credit.decision', 'credit.offer_accepted', 'facility.unsecured_tranche_set']) expect(actions).toContain(action);
  });

  it('re-scores monthly: an early warning when the borrower’s score falls, and a case for a shifted population', async () => {
    const first = expectStatus(await officer.post('/api/v1/credit/rescore', { month: '2025-12' }), 200);
    expect(first.scored).toBe(2);
    // The next month the borrower's buyers send back and dispute most of what they bought.
    const recent = strong.transactions.filter((t) => t.kind === 'payment' && t.at >= '2025-07');
    await ingest(recent.flatMap((t) => [
      { ...t, id: `${t.id}-refund`, kind: 'refund', at: '2026-01-10T10:00:00.000Z' },
      { ...t, id: `${t.id}-dispute`, kind: 'dispute', at: '2026-01-12T10:00:00.000Z' },
    ]));
    const second = expectStatus(await officer.post('/api/v1/credit/rescore', { month: '2026-01' }), 200);
    expect(second.warnings).toBe(1);
    // Two merchants are no population like the training one.
    expect(second.shifted).toBe(true);
    const cases = expectStatus(await officer.get('/api/v1/alerts?limit=50'), 200).items as { kind: string; source: string }[];
    expect(cases.map((c) => c.kind)).toEqual(expect.arrayContaining([`credit.early_warning/${strong.record.merchantId}`, 'credit.population_shift']));
    expect(expectStatus(await borrower.get('/api/v1/alerts?limit=50'), 200).items).toEqual([]);
  });
});
