/** The classifier's input: an ROI of the analysis frame, area-resampled to 32 × 24 grey. */
export const INPUT_WIDTH = 32;
export const INPUT_HEIGHT = 24;

export const ROI_LABELS = ['goods-present', 'goods-partly-removed', 'empty', 'obstructed'] as const;
export type RoiLabelName = (typeof ROI_LABELS)[number];

/**
 * ROI pixels (row-major, `width` × `height`) → 32 × 24 values with zero mean and unit
 * spread: the light of the hour and the camera's gain are taken out before the network
 * sees the picture, so it learns shapes, not brightness.
 */
export function roiInput(pixels: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(INPUT_WIDTH * INPUT_HEIGHT);
  for (let y = 0; y < INPUT_HEIGHT; y += 1) {
    const y0 = Math.floor((y * height) / INPUT_HEIGHT);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / INPUT_HEIGHT));
    for (let x = 0; x < INPUT_WIDTH; x += 1) {
      const x0 = Math.floor((x * width) / INPUT_WIDTH);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / INPUT_WIDTH));
      let s = 0;
      let n = 0;
      for (let yy = y0; yy < Math.min(y1, height); yy += 1) {
        for (let xx = x0; xx < Math.min(x1, width); xx += 1) {
          s += pixels[yy * width + xx] as number;
          n += 1;
        }
      }
      out[y * INPUT_WIDTH + x] = n > 0 ? s / n : 0;
    }
  }
  let mean = 0;
  for (const v of out) mean += v;
  mean /= out.length;
  let sq = 0;
  for (const v of out) sq += (v - mean) ** 2;
  const sd = Math.max(Math.sqrt(sq / out.length), 1);
  for (let i = 0; i < out.length; i += 1) out[i] = ((out[i] as number) - mean) / sd;
  return out;
}
