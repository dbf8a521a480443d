import sharp from 'sharp';
import type { RegionOfInterest } from '../../protocol/site/site-config.ts';

/**
 * The ROI of the frame as sent, as a small JPEG for a person to look at: at most
 * `maxWidth` wide (and 3/4 of that high), quality 75, so an attachment stays a few tens
 * of kilobytes whatever the camera's resolution.
 */
export async function roiCrop(payload: Buffer, roi: RegionOfInterest, frame: { width: number; height: number }, maxWidth: number): Promise<Buffer> {
  const left = Math.min(Math.max(0, roi.x), frame.width - 1);
  const top = Math.min(Math.max(0, roi.y), frame.height - 1);
  const width = Math.max(1, Math.min(roi.width, frame.width - left));
  const height = Math.max(1, Math.min(roi.height, frame.height - top));
  return sharp(payload)
    .extract({ left, top, width, height })
    .resize({ width: maxWidth, height: Math.round((maxWidth * 3) / 4), fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 75 })
    .toBuffer();
}
