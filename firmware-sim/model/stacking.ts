import { COMMODITIES, type CommodityId } from './commodities.ts';
import { SLOT_PITCH_X, SLOT_PITCH_Y, type SlotGeometry, type Vec3 } from './floor-plan.ts';

const ITEM_HEIGHT_M: Record<string, number> = { bag: 0.24, bundle: 0.35, coil: 1.2 };

export interface StackPlace {
  col: number;
  row: number;
  layer: number;
  pos: Vec3;
}

/**
 * Where the n-th unit on a pallet slot sits. Stacks fill layer by layer, each layer row by
 * row, which is how pallets are built and why the first units end up deepest in the stack.
 */
export function stackPlace(commodity: CommodityId, slot: SlotGeometry, n: number): StackPlace {
  const { cols, rows } = COMMODITIES[commodity].stack;
  const perLayer = cols * rows;
  const layer = Math.floor(n / perLayer);
  const inLayer = n % perLayer;
  const row = Math.floor(inLayer / cols);
  const col = inLayer % cols;
  const h = ITEM_HEIGHT_M[COMMODITIES[commodity].packaging] ?? 0.3;
  return {
    col,
    row,
    layer,
    pos: {
      x: slot.cx + (col - (cols - 1) / 2) * ((SLOT_PITCH_X * 0.8) / cols),
      y: slot.cy + (row - (rows - 1) / 2) * ((SLOT_PITCH_Y * 0.7) / rows),
      z: 0.15 + (layer + 0.5) * h,
    },
  };
}
