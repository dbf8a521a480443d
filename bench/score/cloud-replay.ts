import type { GroundTruthEvent } from '../../firmware-sim/index.ts';
import { doublePledgeReceipt } from '../../demo/double-pledge-receipt.ts';
import type { SystemRun } from '../system/system-run.ts';
import type { CloudOutcome } from './score-core.ts';

async function call(url: string, auth: { authorization: string }, method: 'GET' | 'POST', body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method, headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

/**
 * What the scenarios stage on paper goes through the cloud's API, as a person or a price
 * feed would send it: the depositor's second presentation of pledged goods (a receipt
 * for a new lot id with the same EPCs, which must be refused with 409) and the price
 * path, tick by tick (the facility drawn to what it allows first, so a crash of its
 * main commodity must raise a margin call). Returns the outcome as it builds up.
 */
export function replayToCloud(run: SystemRun): { outcome: CloudOutcome; settled(): Promise<void> } {
  const cloud = run.stack.cloud.url;
  const outcome: CloudOutcome = {};
  let chain = Promise.resolve();
  let drawn = false;
  const errors: unknown[] = [];
  const then = (work: () => Promise<void>) => {
    chain = chain.then(work).catch((error: unknown) => void errors.push(error));
  };

  run.warehouse.onGroundTruth((truth: GroundTruthEvent) => {
    if (truth.kind === 'double-pledge') {
      then(async () => {
        const res = await call(`${cloud}/api/v1/receipts`, run.operator, 'POST', doublePledgeReceipt(run.warehouse, truth));
        outcome.doublePledge = { status: res.status, atMs: run.warehouse.simNow() };
      });
    }
    if (truth.kind === 'price') {
      if (truth.detail.phase === 'crash' && outcome.crashFromMs === undefined) outcome.crashFromMs = Date.parse(truth.ts);
      then(async () => {
        if (!drawn) {
          drawn = true;
          const facility = await call(`${cloud}/api/v1/facilities/${run.facilityId}`, run.lender, 'GET');
          const figures = facility.json.figures as { available: { amount: string; currency: string } };
          outcome.ltvBefore = (facility.json.figures as { ltv: string | null }).ltv;
          if (Number(figures.available.amount) > 0) {
            const drawn = await call(`${cloud}/api/v1/facilities/${run.facilityId}/drawdowns`, run.lender, 'POST', { amount: figures.available, note: 'score: drawn to the limit before the price path' });
            // A facility frozen by a suspect lot refuses the drawing: the crash then cannot reach a margin call, and the row says why.
            if (drawn.status !== 201) outcome.drawdownRefused = `HTTP ${drawn.status} ${String((drawn.json.details as { code?: unknown } | undefined)?.code ?? '')}`.trim();
          }
        }
        const res = await call(`${cloud}/api/v1/prices`, run.risk, 'POST', {
          commodity: truth.detail.commodity,
          price: { amount: String(truth.detail.price), currency: String(truth.detail.currency) },
          unit: String(truth.detail.unit),
          source: 'firmware-sim',
        });
        if (res.status !== 201) throw new Error(`price tick refused: HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
        if (outcome.marginCall) return;
        const facility = await call(`${cloud}/api/v1/facilities/${run.facilityId}`, run.lender, 'GET');
        const marginCall = facility.json.marginCall as { ltvAtOpen: string | null } | null;
        if (marginCall) outcome.marginCall = { atMs: Date.parse(truth.ts), ltv: marginCall.ltvAtOpen };
      });
    }
  });
  return {
    outcome,
    async settled() {
      await chain;
      if (errors.length > 0) throw errors[0];
    },
  };
}
