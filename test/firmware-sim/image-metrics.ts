import sharp from 'sharp';

export interface Grey {
  width: number;
  height: number;
  data: Uint8Array;
}

export async function grey(jpeg: Buffer): Promise<Grey> {
  const { data, info } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

export function meanAndSd(g: Grey): { mean: number; sd: number } {
  let sum = 0;
  let sq = 0;
  for (const v of g.data) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / g.data.length;
  return { mean, sd: Math.sqrt(sq / g.data.length - mean * mean) };
}

/** Mean absolute horizontal+vertical gradient: high for sharp edges, low for blur. */
export function sharpness(g: Grey): number {
  let sum = 0;
  for (let y = 0; y < g.height - 1; y += 1) {
    for (let x = 0; x < g.width - 1; x += 1) {
      const i = y * g.width + x;
      sum += Math.abs((g.data[i + 1] as number) - (g.data[i] as number)) + Math.abs((g.data[i + g.width] as number) - (g.data[i] as number));
    }
  }
  return sum / ((g.width - 1) * (g.height - 1));
}

/** Mean absolute difference inside a rectangle, on a 4× downscaled grid to average out noise. */
export function roiDifference(a: Grey, b: Grey, roi: { x: number; y: number; width: number; height: number }): number {
  let sum = 0;
  let n = 0;
  for (let y = roi.y; y + 4 <= roi.y + roi.height; y += 4) {
    for (let x = roi.x; x + 4 <= roi.x + roi.width; x += 4) {
      let da = 0;
      let db = 0;
      for (let dy = 0; dy < 4; dy += 1) {
        for (let dx = 0; dx < 4; dx += 1) {
          const i = (y + dy) * a.width + x + dx;
          da += a.data[i] as number;
          db += b.data[i] as number;
        }
      }
      sum += Math.abs(da - db) / 16;
      n += 1;
    }
  }
  return sum / n;
}

/** Share of `block`×`block` tiles in a rectangle whose mean brightness moved by more than `threshold`. */
export function changedBlocks(a: Grey, b: Grey, roi: { x: number; y: number; width: number; height: number }, block = 16, threshold = 3): number {
  let changed = 0;
  let n = 0;
  for (let y = roi.y; y + block <= roi.y + roi.height; y += block) {
    for (let x = roi.x; x + block <= roi.x + roi.width; x += block) {
      let d = 0;
      for (let dy = 0; dy < block; dy += 1) {
        for (let dx = 0; dx < block; dx += 1) {
          const i = (y + dy) * a.width + x + dx;
          d += (a.data[i] as number) - (b.data[i] as number);
        }
      }
      if (Math.abs(d / (block * block)) > threshold) changed += 1;
      n += 1;
    }
  }
  return changed / n;
}
