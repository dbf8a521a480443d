import type { SiteConfig } from '../../protocol/site/site-config.ts';

/**
 * Where zones, pallet slots and antennas are, in metres. The site YAML says which devices
 * cover which zone but not where anything stands, so the sim lays zones out side by side
 * along x (YAML order), storage bays first and doors after them, each bay a grid of
 * pallet slots. x runs along the aisle, y from the aisle (y = 0, where cameras look from)
 * to the back wall, z up.
 */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

export interface SlotGeometry {
  index: number;
  col: number;
  /** 0 is the front row, nearest the aisle and the camera. */
  row: number;
  cx: number;
  cy: number;
}

export interface ZoneGeometry {
  id: string;
  kind: 'storage' | 'door';
  x0: number;
  y0: number;
  width: number;
  depth: number;
  cols: number;
  rows: number;
  slots: SlotGeometry[];
  /** Storage zones next to this one; their tags are what edge antennas ghost-read. */
  leftNeighbour: string | undefined;
  rightNeighbour: string | undefined;
}

export interface FloorPlan {
  zones: Map<string, ZoneGeometry>;
}

export const SLOT_PITCH_X = 1.5;
export const SLOT_PITCH_Y = 1.6;
const AISLE = 3;
const DOOR_WIDTH = 5;

/** Slots needed per zone come from the population, so the plan is built after it. */
export function buildFloorPlan(site: SiteConfig, slotsNeeded: ReadonlyMap<string, number>): FloorPlan {
  const zones = new Map<string, ZoneGeometry>();
  const storage = site.zones.filter((z) => z.kind === 'storage');
  const doors = site.zones.filter((z) => z.kind === 'door');
  let x = 0;
  storage.forEach((zone, i) => {
    const needed = Math.max(slotsNeeded.get(zone.id) ?? 0, 8);
    const rows = needed > 12 ? 3 : 2;
    const cols = Math.max(4, Math.ceil(needed / rows));
    const width = cols * SLOT_PITCH_X + 2;
    const depth = rows * SLOT_PITCH_Y + AISLE;
    const slots: SlotGeometry[] = [];
    for (let row = 0; row < rows; row += 1) {
      for (let col = 0; col < cols; col += 1) {
        slots.push({
          index: slots.length,
          col,
          row,
          cx: x + 1 + (col + 0.5) * SLOT_PITCH_X,
          cy: AISLE + (row + 0.5) * SLOT_PITCH_Y,
        });
      }
    }
    zones.set(zone.id, {
      id: zone.id,
      kind: 'storage',
      x0: x,
      y0: 0,
      width,
      depth,
      cols,
      rows,
      slots,
      leftNeighbour: storage[i - 1]?.id,
      rightNeighbour: storage[i + 1]?.id,
    });
    x += width;
  });
  for (const zone of doors) {
    // Dock doors sit across the aisle from the bays, so their readers do not see stock.
    zones.set(zone.id, {
      id: zone.id,
      kind: 'door',
      x0: x + 2,
      y0: -6,
      width: DOOR_WIDTH,
      depth: 4,
      cols: 1,
      rows: 1,
      slots: [{ index: 0, col: 0, row: 0, cx: x + 2 + DOOR_WIDTH / 2, cy: -4 }],
      leftNeighbour: undefined,
      rightNeighbour: undefined,
    });
    x += DOOR_WIDTH + 4;
  }
  return { zones };
}

/**
 * Antenna k of n for a reader covering `zone`: storage antennas hang at 3.5 m spread along
 * the bay, alternating front and back, so the first and last face the neighbouring bays;
 * door antennas stand on both door posts at 1.5 m.
 */
export function antennaPosition(zone: ZoneGeometry, k: number, n: number): Vec3 {
  if (zone.kind === 'door') {
    const side = k % 2 === 0 ? 0 : 1;
    return { x: zone.x0 + side * zone.width, y: zone.y0 + zone.depth / 2, z: 1.5 };
  }
  const x = zone.x0 + 0.3 + ((zone.width - 0.6) * (k + 0.5)) / n;
  const y = k % 2 === 0 ? AISLE * 0.6 : zone.depth - 0.3;
  return { x, y, z: 3.5 };
}

export function zoneCentre(zone: ZoneGeometry): Vec3 {
  return { x: zone.x0 + zone.width / 2, y: zone.y0 + zone.depth / 2, z: 1.5 };
}

export function distance(a: Vec3, b: Vec3): number {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  const dz = a.z - b.z;
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}
