import { Type, type Static } from 'typebox';
import type { CreditDecision } from '../db/generated/client.ts';
import { fromDb } from '../valuation/db-decimal.ts';

export const DecisionView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  merchantId: Type.String(),
  month: Type.String(),
  modelVersion: Type.String(),
  score: Type.Number(),
  pd: Type.Number(),
  outcome: Type.Union([Type.Literal('offer'), Type.Literal('decline')]),
  limit: Type.Union([Type.Object({ amount: Type.String(), currency: Type.String() }), Type.Null()]),
  annualRate: Type.Union([Type.String(), Type.Null()]),
  explanation: Type.Unknown({ description: 'policy rules with their outcome, reason codes (points lost per characteristic) and the features used' }),
  status: Type.Union([Type.Literal('offered'), Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('superseded')]),
  facilityId: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  acceptedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type DecisionView = Static<typeof DecisionView>;

export function decisionView(row: CreditDecision): DecisionView {
  return {
    id: row.id,
    merchantId: row.merchantId,
    month: row.month,
    modelVersion: row.modelVersion,
    score: row.score,
    pd: row.pd,
    outcome: row.outcome as DecisionView['outcome'],
    limit: row.limitAmount === null ? null : { amount: fromDb(row.limitAmount), currency: row.currency },
    annualRate: row.annualRate === null ? null : fromDb(row.annualRate),
    explanation: row.explanation,
    status: row.status as DecisionView['status'],
    facilityId: row.facilityId,
    decidedAt: row.decidedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
  };
}
