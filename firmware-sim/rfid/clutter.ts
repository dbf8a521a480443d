import { COMMODITIES } from '../model/commodities.ts';
import { SLOT_PITCH_X, SLOT_PITCH_Y, type Vec3 } from '../model/floor-plan.ts';
import type { Item } from '../model/types.ts';

/**
 * RF shadowing of a tag by goods between it and an antenna, dB one way. Inside its own
 * stack, count the units between the tag and the face toward the antenna, weighting each
 * axis by how much of the path runs along it; then add the pallets the path crosses, less
 * so the steeper it climbs over them to a ceiling antenna. Deep tags thus read less often.
 */
export function clutterDb(item: Item, topLayer: number, antenna: Vec3): number {
  const c = COMMODITIES[item.commodity];
  const { cols, rows } = c.stack;
  const dx = antenna.x - item.pos.x;
  const dy = antenna.y - item.pos.y;
  const dz = antenna.z - item.pos.z;
  const ax = Math.abs(dx);
  const ay = Math.abs(dy);
  const az = Math.abs(dz);
  const ux = dx < 0 ? item.col : cols - 1 - item.col;
  const uy = dy < 0 ? item.row : rows - 1 - item.row;
  const uz = dz > 0 ? Math.max(0, topLayer - item.layer) : item.layer;
  const own = (ux * ax + uy * ay + uz * az) / Math.max(1e-6, ax + ay + az);
  const horizontal = Math.sqrt(dx * dx + dy * dy);
  const crossed = Math.max(0, horizontal / Math.hypot(SLOT_PITCH_X, SLOT_PITCH_Y) - 0.5);
  const elevation = az / Math.max(1e-6, Math.sqrt(horizontal * horizontal + dz * dz));
  return c.clutterDb * (own + 0.8 * crossed * (1 - elevation));
}
