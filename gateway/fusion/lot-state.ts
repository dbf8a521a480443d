import type { Severity } from '../../protocol/index.ts';

/**
 * A pledged lot's fused verification state, from best to worst. The cloud stores the
 * same four names (cloud/risk/lot-states.ts) and freezes drawings on suspect and breached.
 */
export const LOT_STATES = ['verified', 'degraded', 'suspect', 'breached'] as const;
export type LotState = (typeof LOT_STATES)[number];

export const STATE_RANK: Readonly<Record<LotState, number>> = { verified: 0, degraded: 1, suspect: 2, breached: 3 };

/** Severity of the `lot.state` event announcing a change to this state. */
export const STATE_SEVERITY: Readonly<Record<LotState, Severity>> = {
  verified: 'info',
  degraded: 'info',
  suspect: 'warning',
  breached: 'critical',
};

export function isLotState(value: unknown): value is LotState {
  return typeof value === 'string' && (LOT_STATES as readonly string[]).includes(value);
}
