import { Type, type Static } from 'typebox';
import type { CollateralLine, CollateralLotState, Pledge, Receipt } from '../db/generated/client.ts';
import { fromDb, fromDbOrNull } from '../valuation/db-decimal.ts';
import { DecimalString, Money, NullableTimestamp, Quantity, Timestamp, Uuid } from '../valuation/wire-schemas.ts';
import { RECEIPT_STATUSES } from './receipt-state.ts';

export const ReceiptView = Type.Object({
  id: Uuid,
  number: Type.String(),
  status: Type.Enum([...RECEIPT_STATUSES]),
  issuerTenantId: Type.String(),
  holderTenantId: Type.Union([Type.String(), Type.Null()]),
  siteId: Type.String(),
  zone: Type.String(),
  lotId: Type.String(),
  lotState: Type.Union([Type.String(), Type.Null()], { description: "the lot's verification state as the gateway last reported it" }),
  commodity: Type.String(),
  grade: Type.String(),
  gradeFactor: DecimalString,
  sensorConditionFactor: DecimalString,
  conditionSource: Type.Union([Type.Literal('override'), Type.Literal('gateway'), Type.Literal('issuer')], { description: "who set the sensor condition factor: a person's override, the gateway's lot.condition, or the issuer at issue" }),
  gatewayConditionFactor: Type.Union([DecimalString, Type.Null()]),
  shrinkageRate: DecimalString,
  quantity: Quantity,
  originalQuantity: Quantity,
  verifiedQuantity: Quantity,
  verifiedAt: NullableTimestamp,
  epcCount: Type.Integer({ description: 'items (EPCs) the receipt still stands for' }),
  depositor: Type.Object({ ref: Type.String(), name: Type.String() }),
  validFrom: Timestamp,
  validUntil: Timestamp,
  pledge: Type.Union([Type.Object({ id: Uuid, facilityId: Uuid, pledgedAt: Timestamp }), Type.Null()]),
  valuation: Type.Union([
    Type.Object({
      currency: Type.String(),
      price: Type.Union([DecimalString, Type.Null()]),
      priceUnit: Type.Union([Type.String(), Type.Null()]),
      haircut: Type.Union([DecimalString, Type.Null()]),
      collateralValue: DecimalString,
      lendingValue: DecimalString,
      advanceRate: DecimalString,
      problem: Type.Union([Type.String(), Type.Null()]),
      valuedAt: NullableTimestamp,
    }),
    Type.Null(),
  ]),
  calledAt: NullableTimestamp,
  calledReason: Type.Union([Type.String(), Type.Null()]),
  liquidatedAt: NullableTimestamp,
  proceeds: Type.Union([Money, Type.Null()]),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ReceiptView = Static<typeof ReceiptView>;

export interface ReceiptDetails {
  readonly epcCount: number;
  readonly pledge: Pledge | null;
  readonly line: CollateralLine | null;
  readonly lotState: CollateralLotState | null;
}

export function receiptView(row: Receipt, details: ReceiptDetails): ReceiptView {
  const { line, pledge } = details;
  return {
    id: row.id,
    number: row.number,
    status: row.status as ReceiptView['status'],
    issuerTenantId: row.issuerTenantId,
    holderTenantId: row.holderTenantId,
    siteId: row.siteId,
    zone: row.zone,
    lotId: row.lotId,
    lotState: details.lotState?.state ?? null,
    commodity: row.commodity,
    grade: row.grade,
    gradeFactor: fromDb(row.gradeFactor),
    sensorConditionFactor: fromDb(row.sensorConditionFactor),
    conditionSource: row.conditionOverride ? 'override' : row.gatewayConditionFactor !== null ? 'gateway' : 'issuer',
    gatewayConditionFactor: row.gatewayConditionFactor === null ? null : fromDb(row.gatewayConditionFactor),
    shrinkageRate: fromDb(row.shrinkageRate),
    quantity: { value: fromDb(row.quantity), unit: row.unit },
    originalQuantity: { value: fromDb(row.originalQuantity), unit: row.unit },
    verifiedQuantity: { value: fromDb(row.verifiedQuantity), unit: row.unit },
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    epcCount: details.epcCount,
    depositor: { ref: row.depositorRef, name: row.depositorName },
    validFrom: row.validFrom.toISOString(),
    validUntil: row.validUntil.toISOString(),
    pledge: pledge === null ? null : { id: pledge.id, facilityId: pledge.facilityId, pledgedAt: pledge.pledgedAt.toISOString() },
    valuation:
      line === null
        ? null
        : {
            currency: line.currency,
            price: fromDbOrNull(line.price),
            priceUnit: line.priceUnit,
            haircut: fromDbOrNull(line.haircut),
            collateralValue: fromDb(line.collateralValue),
            lendingValue: fromDb(line.lendingValue),
            advanceRate: fromDb(line.advanceRate),
            problem: line.problem,
            valuedAt: line.valuedAt?.toISOString() ?? null,
          },
    calledAt: row.calledAt?.toISOString() ?? null,
    calledReason: row.calledReason,
    liquidatedAt: row.liquidatedAt?.toISOString() ?? null,
    proceeds: row.proceedsAmount === null || row.proceedsCurrency === null ? null : { amount: fromDb(row.proceedsAmount), currency: row.proceedsCurrency },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
