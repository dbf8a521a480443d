import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../firmware-sim/index.ts';
import { CAMERAS_ONLY, cameraFrames, createFramePlayer, siteS1, truthTime } from './play-frames.ts';

const SCENARIOS = [
  ['camera-covered', 'covered'],
  ['camera-moved', 'moved'],
  ['camera-blurred', 'blurred'],
  ['camera-frozen', 'frozen'],
] as const;

describe('video core on firmware-sim tamper scenarios (2 frames/s)', () => {
  for (const [scenario, kind] of SCENARIOS) {
    it(`${scenario}: reports ${kind} within 10 s of the tamper, nothing before`, async () => {
      const site = siteS1();
      const truth = truthTime(site, scenario, 'tamper');
      const camera = truth.deviceId ?? '';
      const sim = createSimulation({ siteConfig: site, scenario, seed: 1, devices: { ...CAMERAS_ONLY, only: [camera], camera: { frameMs: 500 } } });
      sim.skipTo(truth.ts - 30_000);
      const player = createFramePlayer(site);
      while (sim.now() < truth.ts + 12_000) {
        for (const m of cameraFrames(await sim.advanceBy(500))) await player.play(m.deviceId, m.payload, m.userProperties ?? {}, m.simTs);
      }
      const tamper = player.seen.filter((s) => s.finding.type === 'tamper');
      const before = player.seen.filter((s) => s.atMs < truth.ts);
      expect(before).toEqual([]);
      const first = tamper[0];
      expect(first?.finding.type === 'tamper' && first.finding.finding.kind).toBe(kind);
      expect((first?.atMs ?? Infinity) - truth.ts).toBeLessThanOrEqual(10_000);
      expect(player.seen.filter((s) => s.finding.type === 'change')).toEqual([]);
    }, 30_000);
  }
});
