import { FrameRenderer, type CameraLook } from '../../firmware-sim/camera/renderer.ts';
import { lightingAt } from '../../firmware-sim/camera/lighting.ts';
import type { SceneItem, SceneSlot, SceneSnapshot } from '../../firmware-sim/camera/scene.ts';
import { NOISE_SLACK } from '../../firmware-sim/camera/renderer.ts';
import { Rng } from '../../firmware-sim/core/prng.ts';
import { COMMODITIES, type CommodityId } from '../../firmware-sim/model/commodities.ts';
import type { SiteConfig } from '../../protocol/site/site-config.ts';
import { decodeFrame } from '../../gateway/video/decode-frame.ts';
import { roiPixels } from '../../gateway/video/roi-change.ts';
import { ROI_LABELS, roiInput, type RoiLabelName } from '../../gateway/video/classifier/roi-input.ts';

export interface RoiSample {
  label: RoiLabelName;
  input: Float32Array;
}

// Rendered at 320 × 240 (a quarter of the work); the gateway sees every frame at 160 × 120 anyway.
const FRAME = { width: 320, height: 240 };
const ROI = { x: 20, y: 60, width: 280, height: 160 };
const SITE: Pick<SiteConfig, 'timezone' | 'night'> = { timezone: 'UTC', night: { from: '20:00', to: '06:00' } };
const STYLES: CameraLook['style'][] = [
  { rack: '#2b4a8b', beam: '#e8871e', wall: ['#c4c0b6', '#a29d92'], floor: ['#8f8c86', '#6d6a64'], lamps: [0.2, 0.5, 0.8], doorOnLeft: true },
  { rack: '#d9692b', beam: '#f2b705', wall: ['#b8bec4', '#959ca3'], floor: ['#8a8f8d', '#676c6a'], lamps: [0.22, 0.47, 0.83], doorOnLeft: false },
  { rack: '#2f6b3a', beam: '#c0392b', wall: ['#cbbfa8', '#a89b84'], floor: ['#8f8c86', '#6d6a64'], lamps: [0.17, 0.52, 0.78], doorOnLeft: true },
  { rack: '#2b4a8b', beam: '#f2b705', wall: ['#cbbfa8', '#a89b84'], floor: ['#8a8f8d', '#676c6a'], lamps: [0.25, 0.5, 0.75], doorOnLeft: false },
];

function stack(rng: Rng, commodity: CommodityId, layersShare: number, odd: boolean): SceneItem[] {
  const c = COMMODITIES[commodity];
  const items: SceneItem[] = [];
  const layers = Math.max(1, Math.round(c.stack.layers * layersShare));
  const look = odd && rng.chance(0.5) ? c.substitute.look : c.look;
  for (let layer = 0; layer < layers; layer += 1) {
    for (let row = 0; row < c.stack.rows; row += 1) {
      for (let col = 0; col < c.stack.cols; col += 1) {
        items.push({ look, packaging: c.packaging, stackCols: c.stack.cols, col, row, layer, arrangement: odd && rng.chance(0.3) ? 1 : 0, jitter: rng.float() });
      }
    }
  }
  return items;
}

/** A bay as one label would have it: which slots hold goods, how full, and who stands in front. */
function sceneFor(rng: Rng, label: RoiLabelName, key: string): SceneSnapshot {
  const cols = rng.int(4, 6);
  const rows = 2;
  const commodity = rng.pick<CommodityId>(['coffee', 'cocoa', 'maize', 'copper', 'aluminium']);
  const slots: SceneSlot[] = [];
  const all = Array.from({ length: cols * rows }, (_, i) => ({ col: i % cols, row: Math.floor(i / cols) }));
  const share = label === 'goods-present' || label === 'obstructed' ? rng.range(0.85, 1) : label === 'goods-partly-removed' ? rng.range(0.25, 0.6) : 0;
  for (const s of all) {
    if (rng.float() < share) slots.push({ ...s, items: stack(rng, commodity, label === 'goods-partly-removed' && rng.chance(0.3) ? 0.5 : rng.range(0.75, 1), rng.chance(0.1)) });
    else if (rng.chance(label === 'empty' ? 0.4 : 0.2)) slots.push({ ...s, items: [] });
  }
  const activity = label === 'obstructed' ? { kind: rng.pick<'forklift' | 'workers'>(['forklift', 'forklift', 'workers']), col: rng.int(0, cols - 1) } : undefined;
  return { key, views: [{ zone: 'bay', roi: ROI, cols, rows, slots, activity }] };
}

/**
 * Labelled ROI samples rendered by firmware-sim's camera renderer: random bays, stock and
 * camera styles, at any hour (day, dusk, grainy night), JPEG quality 35–90, a little
 * defocus now and then; then decoded and cut exactly as the gateway does.
 */
export async function renderRoiSamples(perLabel: number, seed: number, progress?: (done: number, total: number) => void): Promise<RoiSample[]> {
  const rng = new Rng(seed);
  const renderer = new FrameRenderer();
  const samples: RoiSample[] = [];
  const total = perLabel * ROI_LABELS.length;
  const analysisRoi = { x: 10, y: 30, width: 140, height: 80 };
  for (let i = 0; i < total; i += 1) {
    const label = ROI_LABELS[i % ROI_LABELS.length] as RoiLabelName;
    const styleIndex = rng.int(0, STYLES.length - 1);
    const look: CameraLook = { style: STYLES[styleIndex] as CameraLook['style'], turn: { angleRad: 0, dx: 0, dy: 0 } };
    const hour = rng.int(0, 23);
    const jpeg = await renderer.render({
      cameraId: `train-${styleIndex}`,
      ...FRAME,
      quality: rng.int(35, 90),
      look,
      scene: sceneFor(rng, label, `${seed}:${i}`),
      lighting: lightingAt(Date.UTC(2024, 2, 12, hour, rng.int(0, 59)), SITE),
      tamper: rng.chance(0.1) ? 'blurred' : undefined,
      noiseOffset: rng.int(0, NOISE_SLACK - 1),
      comment: '',
    });
    const decoded = await decodeFrame(jpeg, { maxFrameBytes: 4 * 1_048_576, maxPixels: 16_777_216 });
    samples.push({ label, input: roiInput(roiPixels(decoded.grey, analysisRoi), analysisRoi.width, analysisRoi.height) });
    progress?.(i + 1, total);
  }
  return samples;
}
