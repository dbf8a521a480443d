import { Type } from 'typebox';

// Wire shapes shared by the collateral routes (PROTOCOL.md, Cloud HTTP API: "Money is a
// decimal string with currency; quantities are decimal strings with a unit"). Plain
// decimal notation only: no exponent, no thousands separator, never a JSON number, so
// no amount ever passes through a binary float.
export const DecimalString = Type.String({ pattern: '^[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)$', maxLength: 64, description: 'a plain decimal string' });

export const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' });

export const Money = Type.Object({ amount: DecimalString, currency: CurrencyCode });

export const Quantity = Type.Object({ value: DecimalString, unit: Type.String({ minLength: 1, maxLength: 32 }) });

export const Uuid = Type.String({ format: 'uuid' });

export const IdParams = Type.Object({ id: Uuid });

export const Timestamp = Type.String({ format: 'date-time' });

export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const CommodityCode = Type.String({ pattern: '^[A-Za-z0-9_ -]{1,64}$', description: 'commodity code, e.g. copper or crude_oil' });
