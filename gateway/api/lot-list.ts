import type { LotStateView } from '../fusion/lot-view.ts';
import type { RfidLotFacet } from '../rfid/rfid-stage.ts';

/**
 * An item of /api/v1/lots as its readers get it: the fused state, the built-in stages'
 * facets (the RFID stage's live count), and any other stage's under its own key.
 */
export type LotListItem = LotStateView & { rfid: RfidLotFacet | null; [facet: string]: unknown };

/** One stage's facet of the lots: its key and its view of each lot it knows, by lot id. */
export type LotFacet = readonly [key: string, byLot: ReadonlyMap<string, unknown>];

/**
 * The local API's lot list: each pledged lot's fused state with each stage's facet next to
 * it (the RFID stage's live count under `rfid`), so an operator sees both why a lot is
 * suspect and what each kind of device says of it now.
 */
export function lotList(states: readonly LotStateView[], facets: readonly LotFacet[]): (LotStateView & Record<string, unknown>)[] {
  return states
    .map((state) => {
      const item: LotStateView & Record<string, unknown> = { ...state };
      for (const [key, byLot] of facets) item[key] = byLot.get(state.lotId) ?? null;
      return item;
    })
    .sort((a, b) => a.lotId.localeCompare(b.lotId));
}
