import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../firmware-sim/index.ts';
import { CAMERAS_ONLY, SMALL_FRAMES, cameraFrames, createFramePlayer, siteS1, siteS1SmallFrames, truthTime } from './play-frames.ts';

const MINUTE = 60_000;
/** RFID's default verification cadence (gateway/rfid verifiedEveryMs). */
const VERIFIED_EVERY_MS = 15 * MINUTE;

describe('video core on firmware-sim change scenarios', () => {
  it('substitution at night: camera.change on the lot’s zone, at night, before the swap is over', async () => {
    const site = siteS1();
    const truth = truthTime(site, 'substitution', 'substitution');
    const sim = createSimulation({ siteConfig: site, scenario: 'substitution', seed: 1, devices: { ...CAMERAS_ONLY, camera: { frameMs: 5_000, ...SMALL_FRAMES } } });
    sim.skipTo(truth.ts - 12 * MINUTE);
    const player = createFramePlayer(siteS1SmallFrames());
    let nextVerified = sim.now();
    while (sim.now() < truth.ts + 5 * MINUTE) {
      // The tags were moved over to the look-alikes: RFID keeps verifying the lot complete.
      if (sim.now() >= nextVerified) {
        for (const zone of site.zones) player.core.reverified(zone.id, player.core.isNight(sim.now()));
        nextVerified += VERIFIED_EVERY_MS;
      }
      for (const m of cameraFrames(await sim.advanceBy(5_000))) await player.play(m.deviceId, m.payload, m.userProperties ?? {}, m.simTs);
    }
    const changes = player.seen.flatMap((s) => (s.finding.type === 'change' && !s.finding.finding.cleared ? [{ ...s.finding.finding, cameraId: s.cameraId }] : []));
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.map((c) => c.zone))).toEqual(new Set([truth.zone]));
    expect(changes.every((c) => c.atNight)).toBe(true);
    expect(changes[0]?.atMs).toBeLessThanOrEqual(truth.ts + MINUTE);
    expect(player.seen.filter((s) => s.finding.type === 'tamper')).toEqual([]);
  }, 60_000);

  it('quiet-day: 24 h of day and night, forklifts and an authorised move, no tamper and no change', async () => {
    const site = siteS1();
    const frameMs = 4 * MINUTE;
    const sim = createSimulation({ siteConfig: site, scenario: 'quiet-day', seed: 1, devices: { ...CAMERAS_ONLY, camera: { frameMs, ...SMALL_FRAMES } } });
    const player = createFramePlayer(siteS1SmallFrames());
    let nextVerified = sim.now();
    let frames = 0;
    while (sim.now() < sim.startMs + 24 * 60 * MINUTE) {
      if (sim.now() >= nextVerified) {
        for (const zone of site.zones) player.core.reverified(zone.id, player.core.isNight(sim.now()));
        nextVerified += VERIFIED_EVERY_MS;
      }
      for (const m of cameraFrames(await sim.advanceBy(frameMs))) {
        frames += 1;
        await player.play(m.deviceId, m.payload, m.userProperties ?? {}, m.simTs);
      }
    }
    expect(frames).toBeGreaterThan(700);
    expect(player.seen).toEqual([]);
  }, 120_000);
});
