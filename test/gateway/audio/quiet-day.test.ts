import { describe, expect, it } from 'vitest';
import { committedClassifier, siteS1 } from './support/classifier.ts';
import { audioRun, play } from './support/sim-audio.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('quiet-day audio', () => {
  it('yields no night-time anomaly (sampled through the night: a stretch to learn the hour, then a minute at a time)', async () => {
    const site = siteS1();
    const run = audioRun({ scenario: 'quiet-day', seed: 1, site, classifier: await committedClassifier() });
    const start = run.sim.startMs;
    // Night at site s1 is 20:00–06:00; the scenario starts at 00:00.
    const stretches: [number, number][] = [
      [0, 150_000],
      ...[1, 4, 20.25, 22.5, 23.5].map((h): [number, number] => [h * HOUR, h * HOUR + MINUTE]),
    ];
    for (const [from, to] of stretches) await play(run, start + from, start + to);
    const nightWindows = run.windows.filter((w) => !run.core.policy.inWorkingHours(w.startMs));
    expect(nightWindows.length).toBeGreaterThan(7 * 60);
    expect(run.drafts.filter((d) => d.type === 'audio.anomaly' && d.evidence.atNight === true)).toEqual([]);
    expect(run.drafts.filter((d) => d.type === 'device.offline')).toEqual([]);
  }, 60_000);
});
