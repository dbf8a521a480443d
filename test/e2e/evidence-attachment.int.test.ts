import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt from 'mqtt';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics, type AttachmentRef, type VerificationEvent } from '../../protocol/index.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const ROI = { x: 200, y: 160, width: 160, height: 120 };

// By day a change must usually outlast two RFID verifications; here it is reported at once.
const siteYaml = (site: string) => `
site: ${site}
zones:
  - id: bay-a
    kind: storage
    cameras:
      - { camera: cam-1, roi: { x: ${ROI.x}, y: ${ROI.y}, width: ${ROI.width}, height: ${ROI.height} } }
video:
  change: { dayPersistMs: 0, onsetFrames: 2 }
`;

// Grey blocks of 16 px at random levels: a scene with no period, so alignment (the
// "moved" check) locks on it; a checkerboard would look shifted by one square.
const BLOCKS = (() => {
  let r = 12_345;
  return Array.from({ length: 40 * 30 }, () => ((r = (r * 1_103_515_245 + 12_345) >>> 0), 40 + (r % 180)));
})();

/** The 640×480 scene with fresh sensor noise; `emptied` blanks the region of interest, as removed goods would. */
async function scene(seed: number, emptied: boolean): Promise<Buffer> {
  const width = 640;
  const height = 480;
  const raw = Buffer.alloc(width * height);
  let s = seed * 2_654_435_761;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      s = (s * 1_103_515_245 + 12_345) >>> 0;
      const inRoi = x >= ROI.x && x < ROI.x + ROI.width && y >= ROI.y && y < ROI.y + ROI.height;
      raw[y * width + x] = emptied && inRoi ? 128 + (s % 5) : (BLOCKS[(y >> 4) * 40 + (x >> 4)] ?? 0) + (s % 9);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 1 } }).jpeg({ quality: 80 }).toBuffer();
}

async function cloudEvents(stack: TestStack, type: string): Promise<VerificationEvent[]> {
  const res = await fetch(`${stack.cloud.url}/api/v1/events?gatewayId=${stack.gatewayId}&type=${type}&limit=100`, { headers: stack.adminAuth });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { event: VerificationEvent }[] }).items.map((i) => i.event);
}

describe('a camera change carries its crop from the gateway to the cloud', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(siteYaml);
  });
  afterAll(() => stack.close());

  it('stores the crop at the gateway, uploads it after the event and serves the same bytes to a user', async () => {
    // The embedded broker speaks MQTT 3.1.1: frames are timed by their arrival.
    const camera = await mqtt.connectAsync(stack.broker.url, { ...stack.mqttLogin('cam-1'), protocolVersion: 4 });
    const analysed = async (): Promise<number> => {
      const res = await fetch(`${stack.gateway.apiUrl}/api/v1/video/cameras`);
      return ((await res.json()) as { items: { frames: number }[] }).items[0]?.frames ?? 0;
    };
    // One frame at a time, as a camera at a frame or two a second sends them: none is skipped.
    for (let i = 0; i < 12; i += 1) {
      await camera.publishAsync(topics.cameraFrame(stack.site, 'cam-1'), await scene(i + 1, i >= 9), { qos: 1 });
      await expect.poll(analysed, { timeout: 10_000 }).toBe(i + 1);
    }
    await camera.endAsync();

    await expect.poll(async () => (await stack.gateway.flush(), (await cloudEvents(stack, 'camera.change')).length), { timeout: 10_000 }).toBeGreaterThan(0);
    const [change] = await cloudEvents(stack, 'camera.change');
    const [ref] = (change?.evidence.attachments ?? []) as AttachmentRef[];
    expect(ref?.mediaType).toBe('image/jpeg');
    const sha256 = ref?.sha256 ?? '';
    // Held in the gateway's data directory under its hash until uploaded.
    const files = async () => [...(await readdir(join(stack.gatewayConfig.dataDir, 'attachments', 'held'))), ...(await readdir(join(stack.gatewayConfig.dataDir, 'attachments', 'released')))];
    expect(await files()).toContain(`${sha256}.jpg`);

    let served: Response | undefined;
    await expect
      .poll(async () => (served = await fetch(`${stack.cloud.url}/api/v1/attachments/${sha256}`, { headers: stack.adminAuth })).status, { timeout: 20_000 })
      .toBe(200);
    const bytes = Buffer.from(await (served as Response).arrayBuffer());
    expect(served?.headers.get('content-type')).toBe('image/jpeg');
    expect(bytes.byteLength).toBe(ref?.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBeLessThanOrEqual(320);
    // Uploaded, so released (evictable) at the gateway.
    await expect.poll(async () => await readdir(join(stack.gatewayConfig.dataDir, 'attachments', 'released'))).toContain(`${sha256}.jpg`);
  }, 60_000);
});
