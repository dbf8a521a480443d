import sharp from 'sharp';
import { ANALYSIS_HEIGHT, ANALYSIS_WIDTH, type GreyFrame } from './grey-frame.ts';

export type RefusalReason = 'wrong_type' | 'too_large' | 'corrupt';

export class FrameRefused extends Error {
  override readonly name = 'FrameRefused';
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

export interface DecodeLimits {
  maxFrameBytes: number;
  maxPixels: number;
}

export interface Decoded {
  grey: GreyFrame;
  width: number;
  height: number;
  format: 'jpeg' | 'png';
}

/** JPEG (SOI + marker) or PNG signature; anything else is refused before sharp sees it. */
export function sniffFormat(payload: Uint8Array): 'jpeg' | 'png' | undefined {
  if (payload.length >= 3 && payload[0] === 0xff && payload[1] === 0xd8 && payload[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (payload.length >= 8 && png.every((b, i) => payload[i] === b)) return 'png';
  return undefined;
}

/**
 * Decodes a frame straight to a small grey image in sharp's thread pool (libvips; JPEG
 * shrink-on-load makes this a fraction of a full decode), so the event loop and the
 * RFID stage are never held. Refuses what is not a JPEG or PNG, too big in bytes or in
 * declared pixels (checked from the header before decoding: a decompression bomb never
 * allocates), and anything libvips warns about (a truncated or damaged frame).
 */
export async function decodeFrame(payload: Buffer, limits: DecodeLimits): Promise<Decoded> {
  if (payload.length > limits.maxFrameBytes) throw new FrameRefused('too_large', `${payload.length} bytes, more than ${limits.maxFrameBytes}`);
  const format = sniffFormat(payload);
  if (!format) throw new FrameRefused('wrong_type', 'neither JPEG nor PNG');
  let width: number;
  let height: number;
  try {
    const meta = await sharp(payload, { limitInputPixels: false }).metadata();
    width = meta.width ?? 0;
    height = meta.height ?? 0;
    if (meta.format !== format) throw new FrameRefused('wrong_type', `declared ${format}, read as ${meta.format}`);
  } catch (error) {
    if (error instanceof FrameRefused) throw error;
    throw new FrameRefused('corrupt', (error as Error).message.slice(0, 200));
  }
  if (width < 16 || height < 16) throw new FrameRefused('corrupt', `${width}x${height} is too small to be a camera frame`);
  if (width * height > limits.maxPixels) throw new FrameRefused('too_large', `${width}x${height} pixels, more than ${limits.maxPixels}`);
  try {
    const { data, info } = await sharp(payload, { limitInputPixels: limits.maxPixels, failOn: 'warning' })
      .greyscale()
      .resize(ANALYSIS_WIDTH, ANALYSIS_HEIGHT, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { grey: { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }, width, height, format };
  } catch (error) {
    throw new FrameRefused('corrupt', (error as Error).message.slice(0, 200));
  }
}
