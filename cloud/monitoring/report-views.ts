import { Type } from 'typebox';
import { Quantity } from './wire.ts';

const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const NullableQuantity = Type.Union([Quantity, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ReportRowView = Type.Object({
  site: Type.String(),
  lotId: Type.String(),
  zone: NullableString,
  receiptNumber: NullableString,
  state: Type.Union([Type.String(), Type.Null()], { description: "the lot's verification state at the day's end" }),
  expectedItems: NullableInt,
  presentItems: NullableInt,
  varianceItems: Type.Union([Type.Integer(), Type.Null()], { description: 'expected − present tagged items' }),
  expectedQuantity: Type.Union([Quantity, Type.Null()], { description: "the receipt's face quantity" }),
  verifiedQuantity: NullableQuantity,
  varianceQuantity: Type.Union([Quantity, Type.Null()], { description: 'expected − verified, in the receipt unit' }),
  variancePercent: NullableString,
  lastVerifiedAt: NullableString,
  lastVerifiedEventId: NullableString,
  movedEvents: Type.Integer({ description: 'tags.moved events that day (doors, other zones)' }),
  releases: Type.Integer({ description: 'release orders completed that day' }),
  releasedQuantity: NullableQuantity,
  warnings: Type.Integer(),
  criticals: Type.Integer(),
});

export const DailyReportView = Type.Object({
  kind: Type.Union([Type.Literal('site'), Type.Literal('facility')]),
  subject: Type.String({ description: 'site id or facility reference' }),
  date: Type.String(),
  timezone: Type.String(),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  generatedAt: Type.String({ format: 'date-time' }),
  rows: Type.Array(ReportRowView),
  totals: Type.Object({
    lots: Type.Integer(),
    lotsWithVariance: Type.Integer(),
    lotsNotVerified: Type.Integer(),
    movedEvents: Type.Integer(),
    releases: Type.Integer(),
    warnings: Type.Integer(),
    criticals: Type.Integer(),
  }),
});
