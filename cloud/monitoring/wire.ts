import { Type } from 'typebox';

// Wire shapes of the monitoring routes (PROTOCOL.md, Cloud HTTP API: quantities are
// decimal strings with a unit, never JSON numbers).
export const DecimalString = Type.String({ pattern: '^[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)$', maxLength: 64, description: 'a plain decimal string' });
export const Quantity = Type.Object({ value: DecimalString, unit: Type.String({ minLength: 1, maxLength: 32 }) });
export const Uuid = Type.String({ format: 'uuid' });
export const UuidParams = Type.Object({ id: Uuid });
export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
export const NullableString = Type.Union([Type.String(), Type.Null()]);
export const Cursor = Type.String({ maxLength: 256, description: 'opaque cursor from a previous page (nextCursor)' });
