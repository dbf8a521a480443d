import { Type, type Static } from 'typebox';
import type { Facility, FacilityLedger, MarginCall } from '../db/generated/client.ts';
import { COMMODITY_CLASSES, type CommodityClassId } from '../valuation/commodity-classes.ts';
import { fromDb, fromDbOrNull } from '../valuation/db-decimal.ts';
import { formatMinor } from '../valuation/money.ts';
import { Dec } from '../valuation/decimal.ts';
import { DecimalString, Money, NullableTimestamp, Quantity, Timestamp, Uuid } from '../valuation/wire-schemas.ts';
import { activeHolds } from './freeze.ts';
import { advanceRateFor, concentrationOf, freezeOf, thresholdsOf } from './facility-row.ts';

const LtvThresholdsView = Type.Object({ warning: DecimalString, marginCall: DecimalString, liquidation: DecimalString });

export const MarginCallView = Type.Object({
  id: Uuid,
  facilityId: Uuid,
  status: Type.Union([Type.Literal('open'), Type.Literal('cured'), Type.Literal('expired'), Type.Literal('liquidated')]),
  openedAt: Timestamp,
  dueAt: Timestamp,
  ltvAtOpen: Type.Union([DecimalString, Type.Null()]),
  cureBelow: DecimalString,
  latestLtv: Type.Union([DecimalString, Type.Null()]),
  curedAt: NullableTimestamp,
  curedBy: Type.Union([Type.String(), Type.Null()]),
  expiredAt: NullableTimestamp,
  liquidatedAt: NullableTimestamp,
});

const HoldView = Type.Object({
  id: Type.String(),
  trigger: Type.Record(Type.String(), Type.Unknown()),
  since: Timestamp,
  triggerActive: Type.Boolean(),
  resolution: Type.Union([Type.Object({ caseId: Type.String(), resolvedBy: Type.String(), at: Timestamp, note: Type.Optional(Type.String()), approvedBy: Type.Optional(Type.String()) }), Type.Null()]),
  pendingLift: Type.Optional(Type.Object({ caseId: Type.String(), requestedBy: Type.String(), at: Timestamp }, { description: 'a critical hold whose lift waits for a second person' })),
});

export const FacilityView = Type.Object({
  id: Uuid,
  reference: Type.String(),
  bankTenantId: Type.String(),
  borrower: Type.Object({ ref: Type.String(), name: Type.String(), tenantId: Type.Union([Type.String(), Type.Null()], { description: "the borrower's own tenant, whose users see this facility" }) }),
  currency: Type.String(),
  limit: Money,
  validFrom: Timestamp,
  validUntil: Timestamp,
  status: Type.Union([Type.Literal('active'), Type.Literal('not_yet_valid'), Type.Literal('expired')]),
  annualRate: DecimalString,
  dayCount: Type.String(),
  advanceRates: Type.Record(Type.String(), DecimalString, { description: 'effective advance rate per commodity class' }),
  ltvThresholds: LtvThresholdsView,
  curePeriodSeconds: Type.Integer(),
  concentration: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  frozen: Type.Boolean(),
  holds: Type.Array(HoldView),
  figures: Type.Object({
    collateralValue: Money,
    lendingValue: Money,
    borrowingBase: Money,
    drawingPower: Money,
    outstanding: Money,
    available: Money,
    shortfall: Money,
    ltv: Type.Union([DecimalString, Type.Null()]),
    level: Type.String(),
    valuedAt: NullableTimestamp,
  }),
  marginCall: Type.Union([MarginCallView, Type.Null()]),
  createdAt: Timestamp,
});

export const CollateralLineView = Type.Object({
  pledgeId: Uuid,
  receiptId: Uuid,
  receiptNumber: Type.String(),
  siteId: Type.String(),
  lotId: Type.String(),
  commodity: Type.String(),
  verifiedQuantity: Quantity,
  price: Type.Union([Type.Object({ amount: DecimalString, currency: Type.String(), unit: Type.String() }), Type.Null()]),
  haircut: Type.Union([DecimalString, Type.Null()]),
  fx: Type.Union([
    Type.Object(
      { from: Type.String(), rate: DecimalString },
      { description: 'priced from a series in `from`, converted at `rate`; `haircut` includes the 8 % currency-mismatch haircut' },
    ),
    Type.Null(),
  ]),
  collateralValue: DecimalString,
  concentrationReserve: DecimalString,
  lendingValue: DecimalString,
  advanceRate: DecimalString,
  advanceValue: DecimalString,
  problem: Type.Union([Type.String(), Type.Null()]),
  valuedAt: NullableTimestamp,
});

export const LedgerEntryView = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('drawdown'), Type.Literal('repayment')]),
  amount: Money,
  at: Timestamp,
  outstandingAfter: Money,
  source: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
});

export function marginCallView(row: MarginCall): Static<typeof MarginCallView> {
  return {
    id: row.id,
    facilityId: row.facilityId,
    status: row.status as Static<typeof MarginCallView>['status'],
    openedAt: row.openedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    ltvAtOpen: fromDbOrNull(row.ltvAtOpen),
    cureBelow: fromDb(row.cureBelow),
    latestLtv: fromDbOrNull(row.latestLtv),
    curedAt: row.curedAt?.toISOString() ?? null,
    curedBy: row.curedBy,
    expiredAt: row.expiredAt?.toISOString() ?? null,
    liquidatedAt: row.liquidatedAt?.toISOString() ?? null,
  };
}

export function facilityStatus(row: Facility, now: Date): 'active' | 'not_yet_valid' | 'expired' {
  if (now.getTime() < row.validFrom.getTime()) return 'not_yet_valid';
  return now.getTime() >= row.validUntil.getTime() ? 'expired' : 'active';
}

export function facilityView(row: Facility, pendingCall: MarginCall | null, now: Date): Static<typeof FacilityView> {
  const money = (value: string, rounding: 'down' | 'up' = 'down') => ({ amount: formatMinor(new Dec(value), row.currency, rounding), currency: row.currency });
  const limit = fromDb(row.limitAmount);
  const borrowingBase = fromDb(row.borrowingBase);
  const outstanding = fromDb(row.outstanding);
  const drawingPower = Dec.min(new Dec(limit), new Dec(borrowingBase));
  const shortfall = Dec.max(new Dec(0), new Dec(outstanding).minus(drawingPower));
  const freeze = freezeOf(row);
  const classes = Object.keys(COMMODITY_CLASSES) as CommodityClassId[];
  return {
    id: row.id,
    reference: row.reference,
    bankTenantId: row.bankTenantId,
    borrower: { ref: row.borrowerRef, name: row.borrowerName, tenantId: row.borrowerTenantId },
    currency: row.currency,
    limit: money(limit),
    validFrom: row.validFrom.toISOString(),
    validUntil: row.validUntil.toISOString(),
    status: facilityStatus(row, now),
    annualRate: fromDb(row.annualRate),
    dayCount: row.dayCount,
    advanceRates: Object.fromEntries(classes.map((c) => [c, advanceRateFor(row, c)])),
    ltvThresholds: thresholdsOf(row),
    curePeriodSeconds: row.curePeriodSeconds,
    concentration: (concentrationOf(row) ?? null) as Record<string, unknown> | null,
    frozen: activeHolds(freeze).length > 0,
    holds: freeze.holds.map((h) => ({
      id: h.id,
      trigger: { ...h.trigger },
      since: h.since.toISOString(),
      triggerActive: h.triggerActive,
      resolution:
        h.resolution === null
          ? null
          : { caseId: h.resolution.caseId, resolvedBy: h.resolution.resolvedBy, at: h.resolution.at.toISOString(), ...(h.resolution.note === undefined ? {} : { note: h.resolution.note }), ...(h.resolution.approvedBy === undefined ? {} : { approvedBy: h.resolution.approvedBy }) },
      ...(h.pendingLift && h.resolution === null ? { pendingLift: { caseId: h.pendingLift.caseId, requestedBy: h.pendingLift.requestedBy, at: h.pendingLift.at.toISOString() } } : {}),
    })),
    figures: {
      collateralValue: money(fromDb(row.collateralValue)),
      lendingValue: money(fromDb(row.lendingValue)),
      borrowingBase: money(borrowingBase),
      drawingPower: money(drawingPower.toFixed()),
      outstanding: money(outstanding, 'up'),
      available: money(fromDb(row.available)),
      shortfall: money(shortfall.toFixed(), 'up'),
      ltv: fromDbOrNull(row.ltv),
      level: row.ltvLevel,
      valuedAt: row.valuedAt?.toISOString() ?? null,
    },
    marginCall: pendingCall === null ? null : marginCallView(pendingCall),
    createdAt: row.createdAt.toISOString(),
  };
}

export function ledgerEntryView(row: FacilityLedger): Static<typeof LedgerEntryView> {
  return {
    id: row.id,
    kind: row.kind as 'drawdown' | 'repayment',
    amount: { amount: formatMinor(new Dec(fromDb(row.amount)), row.currency, 'down'), currency: row.currency },
    at: row.at.toISOString(),
    outstandingAfter: { amount: formatMinor(new Dec(fromDb(row.outstandingAfter)), row.currency, 'up'), currency: row.currency },
    source: row.source,
    note: row.note,
  };
}
