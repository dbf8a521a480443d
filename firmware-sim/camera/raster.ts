import sharp from 'sharp';

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** SVG to raw RGBA through sharp (librsvg). */
export async function rasterise(svg: string): Promise<RgbaImage> {
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Alpha-blends an RGBA image onto an RGB canvas at (x, y), clipped to the canvas. */
export function blit(canvas: Uint8Array, cw: number, ch: number, img: RgbaImage, x: number, y: number): void {
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(cw, x + img.width);
  const y1 = Math.min(ch, y + img.height);
  const src = img.data;
  for (let cy = y0; cy < y1; cy += 1) {
    let s = ((cy - y) * img.width + (x0 - x)) * 4;
    let d = (cy * cw + x0) * 3;
    for (let cx = x0; cx < x1; cx += 1, s += 4, d += 3) {
      const a = src[s + 3] as number;
      if (a === 0) continue;
      if (a === 255) {
        canvas[d] = src[s] as number;
        canvas[d + 1] = src[s + 1] as number;
        canvas[d + 2] = src[s + 2] as number;
      } else {
        const k = a / 255;
        canvas[d] = (canvas[d] as number) + ((src[s] as number) - (canvas[d] as number)) * k;
        canvas[d + 1] = (canvas[d + 1] as number) + ((src[s + 1] as number) - (canvas[d + 1] as number)) * k;
        canvas[d + 2] = (canvas[d + 2] as number) + ((src[s + 2] as number) - (canvas[d + 2] as number)) * k;
      }
    }
  }
}
