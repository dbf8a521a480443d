import sharp from 'sharp';

export interface EncodeOptions {
  width: number;
  height: number;
  quality: number;
  /** Gaussian blur sigma for a defocused lens; 0 for none. */
  blurSigma: number;
  /** Text for a JPEG COM segment (ts and seq, readable where MQTT 5 properties are lost). */
  comment: string;
}

export async function encodeJpeg(raw: Uint8Array, o: EncodeOptions): Promise<Buffer> {
  let image = sharp(raw, { raw: { width: o.width, height: o.height, channels: 3 } });
  if (o.blurSigma > 0) image = image.blur(o.blurSigma);
  const jpeg = await image.jpeg({ quality: o.quality, chromaSubsampling: '4:2:0' }).toBuffer();
  return withComment(jpeg, o.comment);
}

/**
 * Inserts a COM (0xFFFE) segment right after SOI (ITU-T T.81 §B.2.4.5). IP cameras put
 * capture metadata in JPEG headers; any decoder skips it.
 */
export function withComment(jpeg: Buffer, comment: string): Buffer {
  if (comment.length === 0 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return jpeg;
  const text = Buffer.from(comment, 'latin1').subarray(0, 65_000);
  const header = Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), header, text, jpeg.subarray(2)]);
}
