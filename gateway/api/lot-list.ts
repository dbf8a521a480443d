import type { LotStateView } from '../fusion/lot-view.ts';
import type { LotRfidView } from '../rfid/rfid-tracker.ts';

export type LotListItem = LotStateView & { rfid: Omit<LotRfidView, 'lotId' | 'zone'> | null };

/**
 * The local API's lot list: each pledged lot's fused state with its live RFID count next
 * to it, so an operator sees both why a lot is suspect and how many tags answer now.
 */
export function lotList(states: readonly LotStateView[], counts: readonly LotRfidView[]): LotListItem[] {
  const byLot = new Map(counts.map(({ lotId, zone: _zone, ...count }) => [lotId, count]));
  return states.map((state) => ({ ...state, rfid: byLot.get(state.lotId) ?? null })).sort((a, b) => a.lotId.localeCompare(b.lotId));
}
