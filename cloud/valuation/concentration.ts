import { Dec, parseDecimal, sumDec, toPlain } from './decimal.ts';

export type ConcentrationDimension = 'commodity' | 'warehouse';

// A facility-level limit on how much of the collateral may sit in one commodity or one
// warehouse before the excess stops counting in full.
export interface ConcentrationLimit {
  // Largest share of the facility's collateral value (0–1) that counts without reserve.
  readonly maxShare: string;
  // Share of the excess reserved: 1 excludes the excess entirely, 0.5 counts half of it.
  readonly reserveRate: string;
}

export interface ConcentrationConfig {
  readonly commodity?: ConcentrationLimit;
  readonly warehouse?: ConcentrationLimit;
}

export interface ConcentrationLine {
  readonly receiptId: string;
  readonly commodity: string;
  readonly warehouseId: string;
  // The receipt's value after quality factors and shrinkage, before concentration.
  readonly value: string;
}

export interface ConcentrationGroup {
  readonly dimension: ConcentrationDimension;
  readonly key: string;
  readonly value: string;
  // share = value / total
  readonly share: string;
  readonly maxShare: string;
  // excess = max(0, value − maxShare × total)
  readonly excess: string;
  // reserve = excess × reserveRate
  readonly reserve: string;
}

export interface ConcentrationResult {
  readonly total: string;
  readonly groups: readonly ConcentrationGroup[];
  // receiptId → reserve allocated to it by each dimension.
  readonly allocations: ReadonlyMap<string, { readonly commodity: string; readonly warehouse: string }>;
}

function limitValues(limit: ConcentrationLimit): { maxShare: Dec; reserveRate: Dec } {
  const maxShare = parseDecimal(limit.maxShare);
  const reserveRate = parseDecimal(limit.reserveRate);
  if (maxShare === undefined || maxShare.lessThanOrEqualTo(0) || maxShare.greaterThan(1)) {
    throw new RangeError(`concentration maxShare must be in (0, 1], got "${limit.maxShare}"`);
  }
  if (reserveRate === undefined || reserveRate.isNegative() || reserveRate.greaterThan(1)) {
    throw new RangeError(`concentration reserveRate must be in [0, 1], got "${limit.reserveRate}"`);
  }
  return { maxShare, reserveRate };
}

// Shares are measured against the total before any concentration reserve, so the rule
// is not circular (reserving one group does not raise another's share). A group's
// reserve is allocated to its receipts pro rata to their value, so that each receipt's
// breakdown shows its part.
export function computeConcentration(lines: readonly ConcentrationLine[], config: ConcentrationConfig): ConcentrationResult {
  const values = new Map(lines.map((l) => [l.receiptId, new Dec(l.value)] as const));
  const total = sumDec([...values.values()]);
  const allocations = new Map<string, Record<ConcentrationDimension, Dec>>(
    lines.map((l) => [l.receiptId, { commodity: new Dec(0), warehouse: new Dec(0) }]),
  );
  const groups: ConcentrationGroup[] = [];

  const dimensions: ReadonlyArray<readonly [ConcentrationDimension, ConcentrationLimit | undefined, (l: ConcentrationLine) => string]> = [
    ['commodity', config.commodity, (l) => l.commodity],
    ['warehouse', config.warehouse, (l) => l.warehouseId],
  ];
  for (const [dimension, limit, keyOf] of dimensions) {
    if (limit === undefined) continue;
    const { maxShare, reserveRate } = limitValues(limit);
    const members = new Map<string, ConcentrationLine[]>();
    for (const line of lines) {
      const key = keyOf(line);
      members.set(key, [...(members.get(key) ?? []), line]);
    }
    for (const [key, groupLines] of [...members.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const groupValue = sumDec(groupLines.map((l) => values.get(l.receiptId) ?? new Dec(0)));
      const share = total.isZero() ? new Dec(0) : groupValue.dividedBy(total);
      const allowed = maxShare.times(total);
      const excess = groupValue.greaterThan(allowed) ? groupValue.minus(allowed) : new Dec(0);
      const reserve = excess.times(reserveRate);
      groups.push({
        dimension,
        key,
        value: toPlain(groupValue),
        share: toPlain(share),
        maxShare: toPlain(maxShare),
        excess: toPlain(excess),
        reserve: toPlain(reserve),
      });
      if (reserve.isZero()) continue;
      for (const line of groupLines) {
        const allocation = allocations.get(line.receiptId);
        const value = values.get(line.receiptId);
        if (allocation === undefined || value === undefined) continue;
        allocation[dimension] = allocation[dimension].plus(reserve.times(value).dividedBy(groupValue));
      }
    }
  }

  return {
    total: toPlain(total),
    groups,
    allocations: new Map(
      [...allocations.entries()].map(([id, a]) => [id, { commodity: toPlain(a.commodity), warehouse: toPlain(a.warehouse) }] as const),
    ),
  };
}
