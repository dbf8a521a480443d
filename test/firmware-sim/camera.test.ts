import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createSimulation, type SimMessage, type Simulation } from '../../firmware-sim/index.ts';
import { collect, siteS1 } from './helpers.ts';
import { grey, meanAndSd, roiDifference, sharpness } from './image-metrics.ts';

const CAMERAS_ONLY = { rfid: { enabled: false }, audio: { enabled: false }, sensors: { enabled: false } };
const ROI = { x: 40, y: 120, width: 560, height: 320 };

function frames(messages: SimMessage[], id = 'cam-a'): SimMessage[] {
  return messages.filter((m) => m.channel === 'camera' && m.deviceId === id);
}

async function frameAt(hourUtc: number): Promise<SimMessage> {
  const sim = createSimulation({
    siteConfig: siteS1(),
    scenario: 'quiet-day',
    seed: 1,
    startMs: Date.UTC(2024, 2, 12, hourUtc),
    devices: { ...CAMERAS_ONLY, only: ['cam-a'] },
  });
  const [frame] = frames(await collect(sim, sim.startMs + 1_000));
  if (!frame) throw new Error('no frame');
  return frame;
}

/** Runs a tamper scenario on cam-a until its ground truth says the tamper began, plus a few frames. */
async function tamperRun(scenario: string): Promise<{ sim: Simulation; before: SimMessage[]; after: SimMessage[] }> {
  const sim = createSimulation({ siteConfig: siteS1(), scenario, seed: 1, devices: { ...CAMERAS_ONLY, only: ['cam-a'], camera: { frameMs: 60_000 } } });
  const seen: SimMessage[] = [];
  while (!sim.groundTruth().some((g) => g.kind === 'tamper')) seen.push(...frames(await collect(sim, sim.now() + 60_000)));
  seen.push(...frames(await collect(sim, sim.now() + 3 * 60_000)));
  const from = Date.parse(sim.groundTruth().find((g) => g.kind === 'tamper')?.ts ?? '');
  return { sim, before: seen.filter((f) => f.simTs < from), after: seen.filter((f) => f.simTs >= from) };
}

describe('cameras', () => {
  it('publish 640×480 JPEG frames with ts and seq user properties', async () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 1, devices: CAMERAS_ONLY });
    const messages = await collect(sim, sim.startMs + 25_000);
    for (const id of ['cam-a', 'cam-b']) {
      const own = frames(messages, id);
      expect(own).toHaveLength(3);
      for (const [i, m] of own.entries()) {
        expect(m.topic).toBe(`wh/s1/camera/${id}/frame`);
        const meta = await sharp(m.payload).metadata();
        expect(meta.format).toBe('jpeg');
        expect([meta.width, meta.height]).toEqual([640, 480]);
        expect(m.userProperties?.['seq']).toBe(String(i + 1));
        expect(m.userProperties?.['ts']).toBe(new Date(m.simTs).toISOString());
        // The same capture time rides in a JPEG comment, for brokers without MQTT 5.
        expect(m.payload.subarray(0, 200).toString('latin1')).toContain(`ts=${m.userProperties?.['ts']}`);
      }
    }
  });

  it('honour a configured resolution', async () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 1, devices: { ...CAMERAS_ONLY, only: ['cam-b'], camera: { width: 320, height: 240 } } });
    const [frame] = frames(await collect(sim, sim.startMs + 1_000), 'cam-b');
    const meta = await sharp(frame?.payload).metadata();
    expect([meta.width, meta.height]).toEqual([320, 240]);
  });

  it('are lit by day and dark and grainy at night', async () => {
    const day = meanAndSd(await grey((await frameAt(12)).payload));
    const night = meanAndSd(await grey((await frameAt(2)).payload));
    expect(day.mean).toBeGreaterThan(90);
    expect(night.mean).toBeLessThan(day.mean * 0.35);
  });

  it('show a covered lens as an almost uniform dark frame', async () => {
    const { before, after } = await tamperRun('camera-covered');
    const normal = meanAndSd(await grey(before.at(-1)?.payload ?? Buffer.alloc(0)));
    const covered = meanAndSd(await grey(after[0]?.payload ?? Buffer.alloc(0)));
    expect(normal.sd).toBeGreaterThan(20);
    expect(covered.sd).toBeLessThan(4);
    expect(covered.mean).toBeLessThan(30);
  });

  it('blur a defocused camera', async () => {
    const { before, after } = await tamperRun('camera-blurred');
    const normal = sharpness(await grey(before.at(-1)?.payload ?? Buffer.alloc(0)));
    const blurred = sharpness(await grey(after[0]?.payload ?? Buffer.alloc(0)));
    expect(blurred).toBeLessThan(normal * 0.5);
  });

  it('shift and rotate the scene of a camera knocked sideways', async () => {
    const { before, after } = await tamperRun('camera-moved');
    const [a, b] = await Promise.all(before.slice(-2).map((f) => grey(f.payload)));
    const moved = await grey(after[0]?.payload ?? Buffer.alloc(0));
    if (!a || !b) throw new Error('need two frames before the tamper');
    const still = roiDifference(a, b, ROI);
    const shifted = roiDifference(b, moved, ROI);
    expect(still).toBeLessThan(6);
    expect(shifted).toBeGreaterThan(5 * still);
    expect(meanAndSd(moved).sd).toBeGreaterThan(20);
  });

  it('repeat identical bytes while frozen, with fresh ts and seq', async () => {
    const { sim, after } = await tamperRun('camera-frozen');
    expect(after.length).toBeGreaterThanOrEqual(3);
    const [first, ...rest] = after;
    for (const f of rest) {
      expect(f.payload.equals(first?.payload ?? Buffer.alloc(0))).toBe(true);
      expect(f.userProperties?.['seq']).not.toBe(first?.userProperties?.['seq']);
    }
    const cleared = sim.groundTruth().find((g) => g.kind === 'tamper');
    const until = Date.parse(String(cleared?.detail['until']));
    const later = frames(await collect(sim, until + 3 * 60_000)).slice(-2);
    expect(later[0]?.payload.equals(later[1]?.payload ?? Buffer.alloc(0))).toBe(false);
  });
});
