import { Type } from 'typebox';
import { ID_PATTERN } from '../ids.ts';
import { ISO_DATE_TIME_PATTERN } from '../timestamps.ts';

/** A device-supplied ISO 8601 date-time; see timestamps.ts for what is accepted and why. */
export const DeviceTimestamp = Type.String({
  pattern: ISO_DATE_TIME_PATTERN,
  description: 'an ISO 8601 date-time with a zone (Z, ±HH:MM or ±HHMM)',
});

/** Topic-safe identifier (site, device, gateway, lot). */
export const Id = Type.String({ pattern: ID_PATTERN, description: `an id matching ${ID_PATTERN}` });

/** EPC memory as hex, any case; length rules live in epc/epc-hex.ts so errors can say which rule broke. */
export const HexString = Type.String({ pattern: '^[0-9A-Fa-f]+$', description: 'hex digits' });
