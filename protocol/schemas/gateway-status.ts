import { Type, type Static } from 'typebox';

/** `wh/{site}/gateway/status`, retained; the gateway's last will carries state "offline". */
export const GatewayStatus = Type.Object(
  {
    state: Type.Enum(['online', 'offline']),
    version: Type.String({ minLength: 1, maxLength: 64 }),
    ts: Type.String({ format: 'date-time', description: 'an RFC 3339 date-time' }),
  },
  { additionalProperties: true },
);
export type GatewayStatus = Static<typeof GatewayStatus>;
