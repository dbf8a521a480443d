import type { RegionOfInterest } from '../../protocol/site/site-config.ts';
import { COMMODITIES, type Look } from '../model/commodities.ts';
import type { CameraLayout } from '../model/device-layout.ts';
import type { Activity } from '../model/types.ts';
import type { Warehouse } from '../model/warehouse.ts';

export interface SceneItem {
  look: Look;
  packaging: 'bag' | 'bundle' | 'coil';
  stackCols: number;
  col: number;
  row: number;
  layer: number;
  arrangement: number;
  /** 0–1 from the EPC, so a restacked unit lands in the same odd place every frame. */
  jitter: number;
}

export interface SceneSlot {
  col: number;
  row: number;
  items: SceneItem[];
}

export interface SceneView {
  zone: string;
  roi: RegionOfInterest;
  cols: number;
  rows: number;
  slots: SceneSlot[];
  activity: { kind: Activity['kind']; col: number } | undefined;
}

/** What a camera sees at one moment, as plain data; `key` changes whenever the picture would. */
export interface SceneSnapshot {
  key: string;
  views: SceneView[];
}

/** ROIs in the site YAML are pixels of a 640 × 480 frame; other resolutions scale them. */
const REFERENCE = { width: 640, height: 480 };

export function sceneOf(camera: CameraLayout, warehouse: Warehouse, t: number, width: number, height: number): SceneSnapshot {
  const sx = width / REFERENCE.width;
  const sy = height / REFERENCE.height;
  const keys: string[] = [];
  const views = camera.views.map((view): SceneView => {
    const zone = warehouse.zone(view.zone);
    const slots = new Map<number, SceneSlot>();
    for (const item of warehouse.itemsIn(view.zone)) {
      if (item.slot < 0) continue;
      const geometry = zone.slots[item.slot];
      if (!geometry) continue;
      let slot = slots.get(item.slot);
      if (!slot) {
        slot = { col: geometry.col, row: geometry.row, items: [] };
        slots.set(item.slot, slot);
      }
      const c = COMMODITIES[item.commodity];
      slot.items.push({
        look: item.look,
        packaging: c.packaging,
        stackCols: c.stack.cols,
        col: item.col,
        row: item.row,
        layer: item.layer,
        arrangement: item.arrangement,
        jitter: parseInt(item.epc.slice(-4), 16) / 0xffff,
      });
    }
    const activity = warehouse.activityIn(view.zone, t);
    const slotGeometry = activity ? zone.slots[activity.slot] : undefined;
    keys.push(`${view.zone}:${warehouse.version(view.zone)}:${activity ? `${activity.kind}@${activity.slot}` : '-'}`);
    return {
      zone: view.zone,
      roi: {
        x: Math.round(view.roi.x * sx),
        y: Math.round(view.roi.y * sy),
        width: Math.round(view.roi.width * sx),
        height: Math.round(view.roi.height * sy),
      },
      cols: zone.cols,
      rows: zone.rows,
      slots: [...slots.values()],
      activity: activity ? { kind: activity.kind, col: slotGeometry?.col ?? 0 } : undefined,
    };
  });
  return { key: `${camera.id}|${width}x${height}|${keys.join('|')}`, views };
}
