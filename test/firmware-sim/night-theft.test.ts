import { describe, expect, it } from 'vitest';
import { normaliseRfidPayload } from '../../protocol/index.ts';
import { createSimulation } from '../../firmware-sim/index.ts';
import { NO_MEDIA, siteS1 } from './helpers.ts';

describe('night-theft', () => {
  it('publishes what its ground truth says: removed tags pass the door reader, then vanish from the bay', async () => {
    const site = siteS1();
    const sim = createSimulation({ siteConfig: site, scenario: 'night-theft', seed: 7, devices: { ...NO_MEDIA, sensors: { enabled: false } } });
    const seen = new Map<string, { door: number[]; bay: number[] }>();
    // The trips are planned up front (their engine noise is in the sound plan): jump to
    // shortly before the first and follow the readers until well after the last.
    const engines = sim.warehouse.soundsDuring(sim.startMs, sim.endMs).filter((s) => s.label === 'engine');
    const first = Math.min(...engines.map((s) => s.startMs));
    const until = Math.max(...engines.map((s) => s.startMs + s.durationMs)) + 30 * 60_000;
    sim.skipTo(first - 5 * 60_000);
    while (sim.now() < until) {
      for (const o of await sim.advanceBy(10 * 60_000)) {
        if (o.type !== 'publish') continue;
        const n = normaliseRfidPayload(o.message.payload, o.message.deviceId);
        expect(n.errors).toEqual([]);
        for (const r of n.reads) {
          const entry = seen.get(r.epc) ?? { door: [], bay: [] };
          (r.readerId === 'rd-dock' ? entry.door : entry.bay).push(Date.parse(r.ts));
          seen.set(r.epc, entry);
        }
      }
    }
    const removals = sim.groundTruth().filter((g) => g.kind === 'removal');
    expect(removals).toHaveLength(3);
    const lotIds = new Set(removals.map((r) => r.lotId));
    expect(lotIds.size).toBe(1);
    const lot = sim.lots.find((l) => lotIds.has(l.lotId));
    const nightFrom = Number(site.night.from.slice(0, 2));
    const nightTo = Number(site.night.to.slice(0, 2));
    for (const removal of removals) {
      const at = Date.parse(removal.ts);
      const hour = new Date(at).getUTCHours();
      expect(hour >= nightFrom || hour < nightTo).toBe(true);
      expect(removal.zone).toBe(lot?.zone);
      expect(removal.detail['via']).toBe('dock-1');
      expect(removal.epcs?.length).toBeGreaterThan(0);
      for (const epc of removal.epcs ?? []) {
        expect(lot?.epcs).toContain(epc);
        const reads = seen.get(epc);
        // Read in the bay before, at the door right after, never again anywhere.
        expect(reads?.bay.some((t) => t < at)).toBe(true);
        expect(reads?.bay.some((t) => t > at)).toBe(false);
        expect(reads?.door.length).toBeGreaterThan(3);
        expect(Math.min(...(reads?.door ?? []))).toBeGreaterThanOrEqual(at);
        // Reads carry their time within a ~250 ms inventory round started before the tags left.
        expect(Math.max(...(reads?.door ?? []))).toBeLessThan(Date.parse(String(removal.detail['leftSiteAt'])) + 250);
      }
    }
    // The rest of the lot is still read in its bay to the end.
    const removed = new Set(removals.flatMap((r) => r.epcs ?? []));
    const end = sim.now() - 10 * 60_000;
    const remaining = (lot?.epcs ?? []).filter((e) => !removed.has(e));
    const stillRead = remaining.filter((e) => seen.get(e)?.bay.some((t) => t > end));
    expect(stillRead.length).toBeGreaterThan(remaining.length * 0.95);
    // The forklift's engine was heard while it happened.
    const engine = sim.groundTruth().filter((g) => g.kind === 'audio-event' && g.detail['label'] === 'engine');
    expect(engine.length).toBeGreaterThanOrEqual(3);
  });
});
