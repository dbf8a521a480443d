import { Type } from 'typebox';

/**
 * A pledged lot's fused verification state, from best to worst: the gateway's fusion
 * decides it (`lot.state` events), the cloud stores it and freezes drawings on suspect
 * and breached. Listed here once for both.
 */
export const LOT_STATES = ['verified', 'degraded', 'suspect', 'breached'] as const;
export type LotState = (typeof LOT_STATES)[number];

export const LotStateSchema = Type.Enum([...LOT_STATES]);

export function isLotState(value: unknown): value is LotState {
  return typeof value === 'string' && (LOT_STATES as readonly string[]).includes(value);
}
