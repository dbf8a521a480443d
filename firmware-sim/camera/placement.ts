import type { SceneItem, SceneView } from './scene.ts';
import type { SpriteKind } from './sprites.ts';

export interface DrawOp {
  kind: SpriteKind;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Where each sprite of a view goes, back row first so nearer goods overlap farther ones.
 * A cheap perspective: each row further back sits higher and smaller. Units restacked by
 * someone else (arrangement 1) sit askew and off their usual places, which is what a
 * camera compares against its reference.
 */
export function placeView(view: SceneView): DrawOp[] {
  const { roi, cols, rows } = view;
  const ops: DrawOp[] = [];
  const rowStep = roi.height * 0.2;
  const geometry = (row: number) => {
    const scale = 1 - 0.16 * row;
    const slotW = (roi.width / (cols + 0.3)) * scale;
    return { slotW, x0: roi.x + (roi.width - cols * slotW) / 2, baseline: roi.y + roi.height - 4 - row * rowStep };
  };
  const byRow = [...view.slots].sort((a, b) => b.row - a.row || a.col - b.col);
  for (const slot of byRow) {
    const { slotW, x0, baseline } = geometry(slot.row);
    const px = x0 + slot.col * slotW + slotW * 0.05;
    const palletW = slotW * 0.9;
    const palletH = Math.max(3, slotW * 0.12);
    const top = baseline - palletH;
    ops.push({ kind: 'pallet', x: px, y: top, w: palletW, h: palletH });
    const items = [...slot.items].sort((a, b) => b.row - a.row || a.layer - b.layer || a.col - b.col);
    for (const item of items) ops.push(placeItem(item, px, top, palletW));
  }
  if (view.activity) {
    const { slotW, x0 } = geometry(0);
    const w = slotW * 1.5;
    const h = w * 0.9;
    const x = x0 + view.activity.col * slotW - w * 0.15;
    const y = roi.y + roi.height - h + 2;
    if (view.activity.kind === 'forklift') ops.push({ kind: 'forklift', x, y, w, h });
    else {
      ops.push({ kind: 'worker', x, y: y + h * 0.1, w: w * 0.35, h: h * 0.9 });
      ops.push({ kind: 'worker', x: x + w * 0.45, y: y + h * 0.15, w: w * 0.33, h: h * 0.85 });
    }
  }
  return ops.map((op) => ({ ...op, x: Math.round(op.x), y: Math.round(op.y), w: Math.max(2, Math.round(op.w)), h: Math.max(2, Math.round(op.h)) }));
}

function placeItem(item: SceneItem, px: number, top: number, palletW: number): DrawOp {
  const odd = item.arrangement === 1;
  const size = odd ? 0.9 : 1;
  if (item.packaging === 'coil') {
    const d = (palletW / item.stackCols) * size;
    // Pyramid: the upper coils rest in the grooves of the lower ones, half overlapping.
    const x = item.layer === 0 ? px + item.col * d : px + d * (0.25 + item.col * 0.5);
    const y = top - d - item.layer * d * 0.8;
    return { kind: item.look, x: x + (odd ? (item.jitter - 0.5) * d * 0.6 : 0), y, w: d, h: d };
  }
  const w = (palletW / item.stackCols) * size;
  const h = w * (item.packaging === 'bag' ? 0.6 : 0.42);
  const back = item.row;
  let x = px + item.col * w + back * w * 0.15;
  let y = top - (item.layer + 1) * h * 0.85 - back * h * 0.35;
  if (odd) {
    // Restacked in a hurry: shifted to one side, leaning, a row lower.
    x += (item.jitter - 0.2) * w * 0.5 + w * 0.3;
    y += (item.jitter - 0.5) * h * 0.4 + h * 0.25;
  }
  return { kind: item.look, x, y, w, h };
}
