import { evidenceField } from '../../support/evidence-examples.ts';
import { describe, expect, it } from 'vitest';
import { playScenario } from './support/sim-driver.ts';

describe('firmware-sim quiet-day, 24 hours at default read rates', () => {
  it('reports no goods missing or moved, and foreign tags only for the strangers that passed', async () => {
    const run = await playScenario({ scenario: 'quiet-day', seed: 1 });
    expect(run.events.filter((e) => e.type === 'tags.missing')).toEqual([]);
    expect(run.events.filter((e) => e.type === 'tags.moved')).toEqual([]);
    const pledged = new Set(run.sim.lots.flatMap((l) => l.epcs));
    const foreign = run.events.filter((e) => e.type === 'tags.foreign').flatMap((e) => (e.evidence.tags as { epc: string }[]).map((t) => t.epc));
    expect(foreign.filter((epc) => pledged.has(epc))).toEqual([]);
    // Every stray of the ground truth (another depositor's pallet, a factory-default label) was noticed.
    for (const stray of run.truth.filter((t) => t.kind === 'stray-tag')) expect(foreign).toEqual(expect.arrayContaining(stray.epcs ?? []));
    // Every lot stays verified in full all day.
    for (const lot of run.sim.lots) {
      const verified = run.events.filter((e) => e.type === 'lot.verified' && e.lotId === lot.lotId);
      expect(verified.length).toBeGreaterThanOrEqual(24 * 4);
      expect(verified.every((e) => evidenceField(e, 'present') === lot.epcs.length && evidenceField(e, 'missing') === 0)).toBe(true);
    }
  }, 600_000);
});
