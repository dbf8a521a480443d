// The wire shape of a trained scorecard (model/trained-scorecard.ts) as the risk officer
// uploads it: checked whole at the edge, bounded in size, before anything trusts it.
import { Type } from 'typebox';

const Name = Type.String({ minLength: 1, maxLength: 128 });
const Finite = Type.Number({ minimum: -1e12, maximum: 1e12 });

const ScoredBin = Type.Object({
  label: Type.String({ maxLength: 2000 }),
  upper: Type.Optional(Type.Union([Finite, Type.Null()])),
  categories: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 500 })),
  missing: Type.Optional(Type.Literal(true)),
  goods: Type.Integer({ minimum: 0 }),
  bads: Type.Integer({ minimum: 0 }),
  woe: Finite,
  points: Finite,
});

const Feature = Type.Object({
  feature: Name,
  kind: Type.Union([Type.Literal('numeric'), Type.Literal('categorical')]),
  trend: Type.Union([Type.Literal('increasing'), Type.Literal('decreasing'), Type.Literal('none')]),
  iv: Finite,
  coefficient: Finite,
  standardError: Finite,
  bins: Type.Array(ScoredBin, { minItems: 1, maxItems: 50 }),
});

const Fold = Type.Object({ fold: Type.Integer({ minimum: 0 }), rows: Type.Integer({ minimum: 0 }), auc: Finite, ks: Finite, gini: Finite });

export const TrainedScorecardBody = Type.Object({
  format: Type.Literal('credit-scorecard/1'),
  version: Type.String({ pattern: '^sc-[0-9]{8}-[0-9a-f]{12}$' }),
  createdAt: Type.String({ format: 'date-time' }),
  model: Type.Object({
    target: Name,
    rows: Type.Integer({ minimum: 1 }),
    badRate: Type.Number({ minimum: 0, maximum: 1 }),
    intercept: Finite,
    scaling: Type.Object({ pdo: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }), baseScore: Finite, baseOdds: Type.Number({ exclusiveMinimum: 0, maximum: 1e6 }) }),
    features: Type.Array(Feature, { minItems: 1, maxItems: 100 }),
    excluded: Type.Array(Type.Object({ feature: Name, iv: Finite, reason: Type.Union([Type.Literal('low_iv'), Type.Literal('single_class'), Type.Literal('wrong_sign')]) }), { maxItems: 500 }),
    calibration: Type.Union([Type.Object({ a: Finite, b: Finite }), Type.Null()]),
  }),
  reference: Type.Object({ edges: Type.Array(Finite, { maxItems: 100 }), counts: Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 101 }) }),
  validation: Type.Object({ auc: Finite, ks: Finite, gini: Finite, folds: Type.Array(Fold, { maxItems: 20 }), rows: Type.Integer({ minimum: 1 }) }),
});
