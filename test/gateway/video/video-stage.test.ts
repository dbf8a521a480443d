import { evidenceField } from '../../support/evidence-examples.ts';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../firmware-sim/index.ts';
import { fakeManifests, fusionHarness, lot } from '../fusion/support/fusion-harness.ts';
import { CAMERAS_ONLY, SMALL_FRAMES, cameraFrames, siteS1, siteS1SmallFrames, truthTime } from './play-frames.ts';
import { texturedJpeg, videoStageHarness } from './stage-harness.ts';

const T0 = Date.UTC(2024, 2, 12, 10);

function pngChunk(type: string, data: Buffer): Buffer {
  const name = Buffer.from(type);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([name, data])));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, name, data, crc]);
}

/** A 65-byte PNG declaring `width` × `height` pixels: a decompression bomb's calling card. */
function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const idat = Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

describe('video stage', () => {
  it('refuses corrupt, truncated, huge and wrong-type frames with a counted reason, and goes on', async () => {
    const h = videoStageHarness(siteS1(), { video: { limits: { maxFrameBytes: 200_000 } } });
    const good = await texturedJpeg(1);
    const bad: Array<[Buffer, string]> = [
      [Buffer.from('GIF89a not a frame'), 'wrong_type'],
      [Buffer.from('{"json":"instead"}'), 'wrong_type'],
      [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5_000, 7)]), 'corrupt'],
      [good.subarray(0, Math.floor(good.length / 2)), 'corrupt'],
      [pngBomb(100_000, 100_000), 'too_large'],
      [Buffer.alloc(300_000, 0xff), 'too_large'],
    ];
    for (const [i, [payload]] of bad.entries()) {
      h.stage.handle(h.frame('cam-a', payload, T0 + i * 500));
      await h.stage.idle();
    }
    h.stage.handle(h.frame('cam-a', good, T0 + 10_000));
    await h.stage.idle();
    expect(h.rejected.map((r) => r.reason)).toEqual(bad.map(([, reason]) => `video_${reason}`));
    for (const reason of ['wrong_type', 'corrupt', 'too_large']) {
      expect(await h.metric('gateway_video_frames_refused_total', { reason })).toBe(bad.filter(([, r]) => r === reason).length);
    }
    expect(await h.metric('gateway_video_frames_total', { camera: 'cam-a' })).toBe(1);
    h.stage.handle(h.frame('cam-x', good, T0 + 11_000));
    expect(h.rejected.at(-1)?.reason).toBe('video_unknown_camera');
  });

  it('keeps a bounded queue per camera: the oldest waiting frames are skipped and counted, the newest analysed', async () => {
    const h = videoStageHarness(siteS1(), { video: { queue: { framesPerCamera: 2 } } });
    const frames = await Promise.all(Array.from({ length: 8 }, (_, i) => texturedJpeg(i + 1)));
    for (const [i, f] of frames.entries()) h.stage.handle(h.frame('cam-a', f, T0 + i * 500));
    h.stage.handle(h.frame('cam-b', frames[0] as Buffer, T0));
    await h.stage.idle();
    // One frame was taken at once; of the seven behind it, two fit the queue.
    expect(await h.metric('gateway_video_frames_skipped_total', { camera: 'cam-a' })).toBe(5);
    expect(await h.metric('gateway_video_frames_total', { camera: 'cam-a' })).toBe(3);
    expect(await h.metric('gateway_video_frames_skipped_total', { camera: 'cam-b' })).toBe(0);
    const camA = h.stage.cameras().find((c) => c.camera === 'cam-a');
    expect(camA).toMatchObject({ frames: 3, skipped: 5, queued: 0, lastFrameAt: new Date(T0 + 7 * 500).toISOString(), resolution: '640x480' });
  });

  it('reports a black stream, a stuck stream and a wrong resolution as device health, and their end', async () => {
    const h = videoStageHarness(siteS1(), { video: { health: { afterMs: 10_000 } } });
    const black = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000' } }).jpeg().toBuffer();
    const small = await texturedJpeg(99, 320, 240);
    let t = T0;
    const send = async (payload: Buffer, n: number, camera = 'cam-a') => {
      for (let i = 0; i < n; i += 1) {
        t += 1_000;
        h.stage.handle(h.frame(camera, payload === black || payload === small ? payload : await texturedJpeg(t), t));
        await h.stage.idle();
      }
    };
    const normal = Buffer.alloc(0);
    await send(normal, 8);
    await send(black, 12);
    await send(normal, 3);
    await send(small, 12);
    await send(normal, 3);
    const health = h.drafts.filter((d) => d.type === 'device.offline' || d.type === 'device.online');
    expect(health.map((d) => [d.type, d.evidence.reason])).toEqual([
      ['device.offline', 'black-stream'],
      ['device.online', 'stream-restored'],
      ['device.offline', 'wrong-resolution'],
      ['device.online', 'stream-restored'],
    ]);
    expect(health[0]?.evidence).toEqual({ device: 's1/camera/cam-a', reason: 'black-stream', zones: ['bay-a'] });
    const stuck = videoStageHarness(siteS1(), { video: { health: { afterMs: 5_000 } } });
    const still = await texturedJpeg(5);
    for (let i = 0; i < 12; i += 1) {
      stuck.stage.handle(stuck.frame('cam-b', i < 4 ? await texturedJpeg(100 + i) : still, T0 + i * 1_000));
      await stuck.stage.idle();
    }
    expect(stuck.drafts.filter((d) => d.type === 'device.offline').map((d) => d.evidence.reason)).toEqual(['stuck-stream']);
  });

  it('substitution: camera.change names the lot, with a bounded JPEG crop, and fusion makes the lot suspect', async () => {
    const site = siteS1();
    const truth = truthTime(site, 'substitution', 'substitution');
    const sim = createSimulation({ siteConfig: site, scenario: 'substitution', seed: 1, devices: { ...CAMERAS_ONLY, camera: { frameMs: 5_000, ...SMALL_FRAMES } } });
    const lots = sim.lots.map((l) => lot(l.lotId, l.zone));
    const manifests = fakeManifests(lots);
    const h = videoStageHarness(siteS1SmallFrames(), { manifests });
    const f = fusionHarness({ start: new Date(truth.ts - 10 * 60_000).toISOString(), site, lots });
    sim.skipTo(truth.ts - 10 * 60_000);
    for (const l of lots) h.stage.observe(f.event('lot.verified', { lotId: l.lotId, zone: l.zone, severity: 'info', evidence: { expected: 10, present: 10, missing: 0 } }));
    while (sim.now() < truth.ts + 2 * 60_000) {
      for (const m of cameraFrames(await sim.advanceBy(5_000))) h.stage.handle(h.frame(m.deviceId, m.payload, m.simTs, m.userProperties ?? {}));
      await h.stage.idle();
    }
    const changes = h.drafts.filter((d) => d.type === 'camera.change' && evidenceField(d, 'cleared') !== true);
    expect(changes.map((d) => d.lotId)).toContain(truth.lotId);
    expect(new Set(changes.map((d) => d.zone))).toEqual(new Set([truth.zone]));
    const first = changes.find((d) => d.lotId === truth.lotId);
    expect(first?.evidence).toMatchObject({ device: 's1/camera/cam-b', zone: 'bay-b', roi: { x: 20, y: 60, width: 280, height: 160 }, atNight: true });
    const attachment = (evidenceField(first, 'attachments') as Array<{ sha256: string; bytes: number; mediaType: string }>)[0];
    expect(attachment?.mediaType).toBe('image/jpeg');
    const crop = h.stored.get(attachment?.sha256 ?? '');
    expect(crop?.length).toBe(attachment?.bytes);
    const meta = await sharp(crop).metadata();
    expect(meta.width).toBeLessThanOrEqual(280);
    for (const d of h.drafts) {
      f.at(d.ts ?? new Date().toISOString());
      f.fusion.observe(f.event(d.type, { severity: d.severity, ...(d.lotId ? { lotId: d.lotId } : {}), ...(d.zone ? { zone: d.zone } : {}), evidence: d.evidence }));
    }
    expect(f.view(truth.lotId ?? '')?.state).toBe('suspect');
    expect(f.view(lots.find((l) => l.zone !== truth.zone)?.lotId ?? '')?.state).toBe('verified');
  }, 60_000);
});
