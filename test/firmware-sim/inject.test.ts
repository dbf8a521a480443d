import { describe, expect, it } from 'vitest';
import { createSimulation, UnknownScenarioError } from '../../firmware-sim/index.ts';
import { NO_MEDIA, siteS1 } from './helpers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('a scenario injected into a running warehouse', () => {
  it('plays the incident from now on the goods as they are, once, without a second day of work', () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 4, devices: NO_MEDIA });
    sim.skipTo(sim.startMs + 14 * HOUR);
    const before = sim.groundTruth().length;
    const activitiesBefore = sim.groundTruth().filter((g) => g.kind === 'activity').length;
    const now = sim.now();
    const incident = sim.inject('night-theft', now - 30 * MINUTE);
    expect(incident).toMatchObject({ scenario: 'night-theft', injection: 1, startMs: now - 30 * MINUTE });
    expect(sim.groundTruth().at(before)).toMatchObject({ kind: 'scenario', detail: { name: 'night-theft', phase: 'start', injected: 1 } });

    sim.skipTo(now + HOUR);
    const removals = sim.groundTruth().filter((g) => g.kind === 'removal');
    expect(removals.length).toBe(3);
    // With half an hour of its lead-up behind it, the first trip comes within 25 minutes of now, none before now.
    for (const r of removals) expect(Date.parse(r.ts)).toBeGreaterThanOrEqual(now);
    expect(Date.parse(removals[0]?.ts ?? '')).toBeLessThan(now + 26 * MINUTE);
    // Only the quiet day's own work: the injection adds no shift of its own.
    const quietOnly = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 4, devices: NO_MEDIA });
    quietOnly.skipTo(now + HOUR);
    expect(sim.groundTruth().filter((g) => g.kind === 'activity').length).toBe(quietOnly.groundTruth().filter((g) => g.kind === 'activity').length);
    expect(activitiesBefore).toBeGreaterThan(0);
  });

  it('gives each injection its own draw and end', () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 4, devices: NO_MEDIA });
    sim.skipTo(sim.startMs + 2 * HOUR);
    const first = sim.inject('camera-covered');
    const second = sim.inject('camera-covered');
    expect(second.injection).toBe(first.injection + 1);
    sim.skipTo(first.endMs + MINUTE);
    const ends = sim.groundTruth().filter((g) => g.kind === 'scenario' && g.detail['phase'] === 'end' && g.detail['name'] === 'camera-covered');
    expect(ends.map((e) => e.detail['injected'])).toEqual([1, 2]);
  });

  it('refuses an unknown scenario by name', () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 4, devices: NO_MEDIA });
    expect(() => sim.inject('heist')).toThrow(UnknownScenarioError);
  });
});
