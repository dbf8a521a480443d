import { describe, expect, it } from 'vitest';
import { compileSchema, DeviceStatus, SensorReading } from '../../protocol/index.ts';
import { createSimulation } from '../../firmware-sim/index.ts';
import { collect, json, NO_MEDIA, siteS1 } from './helpers.ts';

const checkReading = compileSchema(SensorReading);
const checkStatus = compileSchema(DeviceStatus);

describe('scales and climate probes', () => {
  it('publish readings that match the contract and stay inside the configured ranges', async () => {
    const site = siteS1();
    const sim = createSimulation({ siteConfig: site, scenario: 'quiet-day', seed: 1, devices: { ...NO_MEDIA, rfid: { enabled: false } } });
    const readings = (await collect(sim, sim.startMs + 24 * 3_600_000, 3_600_000)).filter((m) => m.channel === 'sensor');
    const byKind = new Map<string, number[]>();
    for (const m of readings) {
      const checked = checkReading(json(m));
      expect(checked.ok).toBe(true);
      if (!checked.ok) continue;
      const key = `${m.deviceId}/${checked.value.kind}`;
      byKind.set(key, [...(byKind.get(key) ?? []), checked.value.value]);
      const range = site.sensorRanges.find((r) => r.sensor === m.deviceId && r.kind === checked.value.kind);
      if (range) {
        expect(checked.value.unit).toBe(range.unit);
        expect(checked.value.value).toBeGreaterThanOrEqual(range.min ?? -Infinity);
        expect(checked.value.value).toBeLessThanOrEqual(range.max ?? Infinity);
      }
    }
    expect([...byKind.keys()].sort()).toEqual(['climate-a/humidity', 'climate-a/temperature', 'climate-b/humidity', 'climate-b/temperature', 'scale-a/weight']);
    // A diurnal cycle: a clear spread over the day, no jumps between consecutive minutes.
    const temps = byKind.get('climate-a/temperature') ?? [];
    expect(Math.max(...temps) - Math.min(...temps)).toBeGreaterThan(4);
    expect(Math.max(...temps.slice(1).map((t, i) => Math.abs(t - (temps[i] as number))))).toBeLessThan(1);
  });

  it('weigh the goods of their bay and follow stock that leaves', async () => {
    // Pick a seed whose theft hits bay A, the bay with a scale.
    let seed = 1;
    let sim = createSimulation({ siteConfig: siteS1(), scenario: 'night-theft', seed, devices: { ...NO_MEDIA, only: ['scale-a'] } });
    while (theftZone(sim) !== 'bay-a') {
      seed += 1;
      sim = createSimulation({ siteConfig: siteS1(), scenario: 'night-theft', seed, devices: { ...NO_MEDIA, only: ['scale-a'] } });
    }
    const weights = (await collect(sim, sim.endMs, 600_000)).filter((m) => m.channel === 'sensor').map((m) => ({ t: m.simTs, kg: (json(m) as { value: number }).value }));
    const stocked = sim.lots.filter((l) => l.zone === 'bay-a').reduce((s, l) => s + Number(l.quantity), 0);
    expect(weights[0]?.kg).toBeGreaterThan(stocked);
    expect(weights[0]?.kg).toBeLessThan(stocked * 1.05);
    const removedKg = sim.groundTruth().filter((g) => g.kind === 'removal').reduce((s, g) => s + Number(g.detail['kg']), 0);
    expect(removedKg).toBeGreaterThan(0);
    const drop = (weights[0]?.kg ?? 0) - (weights.at(-1)?.kg ?? 0);
    expect(Math.abs(drop - removedKg)).toBeLessThan(removedKg * 0.1 + 100);
  });
});

/** Where the night-theft forklift works: its sounds are planned when the simulation is built. */
function theftZone(sim: ReturnType<typeof createSimulation>): string | undefined {
  return sim.warehouse.soundsDuring(sim.startMs, sim.endMs).find((s) => s.label === 'engine')?.zone;
}

describe('device status', () => {
  it('is retained online on connect and the retained last will on a drop, both per the contract', async () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'reader-offline', seed: 1, devices: { ...NO_MEDIA, only: ['rd-a'] } });
    const outputs = [];
    while (!sim.finished) outputs.push(...(await sim.advanceBy(10 * 60_000)));
    const links = outputs.filter((o) => o.type !== 'publish');
    expect(links.map((o) => o.type)).toEqual(['connect', 'disconnect', 'connect']);
    for (const o of links) {
      const message = o.type === 'connect' ? o.online : o.type === 'disconnect' ? o.will : undefined;
      expect(message?.topic).toBe('wh/s1/device/rd-a/status');
      expect(message?.retain).toBe(true);
      const status = checkStatus(JSON.parse(message?.payload.toString() ?? ''));
      expect(status.ok).toBe(true);
      expect(status.ok && status.value.state).toBe(o.type === 'connect' ? 'online' : 'offline');
    }
    const truth = sim.groundTruth().filter((g) => g.deviceId === 'rd-a' && g.kind.startsWith('device-'));
    expect(truth.map((g) => g.kind)).toEqual(['device-offline', 'device-online']);
    // Nothing is published while the reader is powered off.
    const [off, on] = truth.map((g) => Date.parse(g.ts));
    expect(outputs.some((o) => o.type === 'publish' && o.message.simTs > (off ?? 0) && o.message.simTs < (on ?? 0))).toBe(false);
  });
});
