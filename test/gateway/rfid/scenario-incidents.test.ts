import { evidenceField } from '../../support/evidence-examples.ts';
import { describe, expect, it } from 'vitest';
import { firstReports, playScenario } from './support/sim-driver.ts';

const CYCLE = 10_000;
const GRACE = 5 * 60_000;
const ms = (iso: string | undefined) => Date.parse(iso ?? '');

describe('firmware-sim night-theft against its ground truth', () => {
  // Readers batching each round, and (seed 1 again) publishing each event on its own as the vendors' MQTT outputs do by default.
  for (const [seed, eventsPerMessage] of [
    [1, 500],
    [2, 500],
    [1, 1],
  ] as const) {
    it(`reports every removed tag missing for the right lot within two cycles after the grace (seed ${seed}, ${eventsPerMessage === 1 ? 'one event per message' : 'batched rounds'})`, async () => {
      const run = await playScenario({ scenario: 'night-theft', seed, eventsPerMessage });
      const removals = run.truth.filter((t) => t.kind === 'removal');
      expect(removals).toHaveLength(3);
      const missing = firstReports(run.events, 'tags.missing');
      const moved = firstReports(run.events, 'tags.moved');
      for (const removal of removals) {
        const at = ms(removal.ts);
        for (const epc of removal.epcs ?? []) {
          const report = missing.get(epc);
          expect(report, `${epc} of trip ${removal.detail['trip']} reported missing`).toBeDefined();
          expect(report?.lotId).toBe(removal.lotId);
          expect(report?.event).toMatchObject({ severity: 'critical', zone: removal.zone, evidence: { door: 'dock-1' } });
          expect((report?.atMs ?? 0) - at).toBeGreaterThan(0);
          expect((report?.atMs ?? 0) - at).toBeLessThanOrEqual(GRACE + 2 * CYCLE);
          // Seen leaving through the dock door, before it is called missing.
          const passage = moved.get(epc);
          expect(passage?.event).toMatchObject({ severity: 'warning', lotId: removal.lotId, evidence: { door: 'dock-1', reader: 's1/rfid/rd-dock' } });
          expect((passage?.atMs ?? 0) - ms(String(removal.detail['leftSiteAt']))).toBeLessThanOrEqual(2 * CYCLE);
        }
      }
      const removed = new Set(removals.flatMap((r) => r.epcs ?? []));
      expect([...missing.keys()].filter((epc) => !removed.has(epc))).toEqual([]);
      expect([...moved.keys()].filter((epc) => !removed.has(epc))).toEqual([]);
      // The lot's last verification counts what is left.
      const lotId = removals[0]?.lotId;
      const lot = run.sim.lots.find((l) => l.lotId === lotId);
      const last = run.events.filter((e) => e.type === 'lot.verified' && e.lotId === lotId).at(-1);
      expect(last?.evidence).toMatchObject({ expected: lot?.epcs.length, missing: removed.size, present: (lot?.epcs.length ?? 0) - removed.size });
    }, 120_000);
  }
});

describe('firmware-sim reader-offline against its ground truth', () => {
  it('reports the cut antenna and its return when they happen, and no goods missing while the reader is powered off', async () => {
    const run = await playScenario({ scenario: 'reader-offline', seed: 1 });
    const cut = run.truth.find((t) => t.kind === 'antenna-disconnected');
    const mended = run.truth.find((t) => t.kind === 'antenna-connected');
    const health = run.events.filter((e) => e.type === 'device.offline' || e.type === 'device.online');
    expect(health.map((e) => [e.type, evidenceField(e, 'device'), evidenceField(e, 'antenna'), evidenceField(e, 'reason')])).toEqual([
      ['device.offline', `s1/rfid/${cut?.deviceId}`, cut?.detail['antenna'], 'antennaDisconnected'],
      ['device.online', `s1/rfid/${mended?.deviceId}`, mended?.detail['antenna'], 'antennaConnected'],
    ]);
    expect(ms(health[0]?.ts) - ms(cut?.ts)).toBeLessThanOrEqual(CYCLE);
    expect(ms(health[1]?.ts) - ms(mended?.ts)).toBeLessThanOrEqual(CYCLE);
    expect(run.truth.some((t) => t.kind === 'device-offline')).toBe(true);
    expect(run.events.filter((e) => e.type === 'tags.missing' || e.type === 'tags.moved')).toEqual([]);
  }, 120_000);
});

describe('firmware-sim network-cut against its ground truth', () => {
  it('reports the readers’ buffer overflow and no goods missing during a 12-minute outage', async () => {
    const run = await playScenario({ scenario: 'network-cut', seed: 1 });
    expect(run.events.filter((e) => e.type === 'tags.missing' || e.type === 'tags.moved')).toEqual([]);
    const overflow = run.events.filter((e) => evidenceField(e, 'reason') === 'overflow');
    expect(overflow.length).toBeGreaterThanOrEqual(1);
    expect(overflow[0]).toMatchObject({ type: 'device.offline', evidence: { eventsPurged: expect.any(Number) } });
    const ended = run.events.filter((e) => evidenceField(e, 'reason') === 'overflow-ended');
    expect(ended.map((e) => [e.type, evidenceField(e, 'device')])).toEqual(overflow.map((e) => ['device.online', evidenceField(e, 'device')]));
    const restored = ms(run.truth.find((t) => t.kind === 'network-restored')?.ts);
    expect(ms(overflow[0]?.ts)).toBeGreaterThanOrEqual(restored);
  }, 120_000);
});
