import type { LotState, Severity } from '../../protocol/index.ts';

// The states themselves are the protocol's (protocol/lot-states.ts), shared with the cloud.
export { LOT_STATES, isLotState, type LotState } from '../../protocol/index.ts';

export const STATE_RANK: Readonly<Record<LotState, number>> = { verified: 0, degraded: 1, suspect: 2, breached: 3 };

/** Severity of the `lot.state` event announcing a change to this state. */
export const STATE_SEVERITY: Readonly<Record<LotState, Severity>> = {
  verified: 'info',
  degraded: 'info',
  suspect: 'warning',
  breached: 'critical',
};
