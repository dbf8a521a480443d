import { describe, expect, it } from 'vitest';
import { decodeEpc } from '../../protocol/index.ts';
import { benchSiteConfig, COMMODITIES, createSimulation } from '../../firmware-sim/index.ts';
import { siteS1 } from './helpers.ts';

describe('default population of s1', () => {
  const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 1 });

  it('stocks four lots of 40–120 units in bay-a and bay-b', () => {
    expect(sim.lots.map((l) => l.lotId)).toEqual(['LOT-S1-0001', 'LOT-S1-0002', 'LOT-S1-0003', 'LOT-S1-0004']);
    expect(new Set(sim.lots.map((l) => l.zone))).toEqual(new Set(['bay-a', 'bay-b']));
    for (const lot of sim.lots) {
      expect(lot.epcs.length).toBeGreaterThanOrEqual(40);
      expect(lot.epcs.length).toBeLessThanOrEqual(120);
      expect(lot.itemCount).toBe(lot.epcs.length);
      expect(lot.unit).toBe('kg');
      expect(lot.quantity).toBe(String(lot.epcs.length * COMMODITIES[lot.commodity].itemKg));
    }
    // Bay names in the YAML pick the goods: coffee in bay A, copper in bay B.
    expect(sim.lots.filter((l) => l.zone === 'bay-a').map((l) => l.commodity)).toContain('coffee');
    expect(sim.lots.filter((l) => l.zone === 'bay-b').map((l) => l.commodity)).toContain('copper');
  });

  it('tags every unit with a unique SGTIN-96 of its commodity producers', () => {
    const all = sim.lots.flatMap((l) => l.epcs);
    expect(new Set(all).size).toBe(all.length);
    for (const lot of sim.lots) {
      const prefixes = COMMODITIES[lot.commodity].producers.map((p) => p.companyPrefix);
      const serials = lot.epcs.map((epc) => {
        const d = decodeEpc(epc);
        expect(d.scheme).toBe('sgtin-96');
        expect(d.uri).toMatch(/^urn:epc:id:sgtin:\d+\.\d+\.\d+$/);
        expect(prefixes).toContain(d.companyPrefix);
        return Number(d.serial);
      });
      // Labels come off a roll: consecutive serials within a lot.
      expect(serials.every((s, i) => i === 0 || s === (serials[i - 1] as number) + 1)).toBe(true);
    }
  });

  it('derives its devices from the site YAML', () => {
    const ids = sim.devices.map((d) => `${d.kind}/${d.id}`).sort();
    expect(ids).toEqual(
      ['rfid/rd-a', 'rfid/rd-b', 'rfid/rd-dock', 'camera/cam-a', 'camera/cam-b', 'audio/mic-1', 'sensor/scale-a', 'sensor/climate-a', 'sensor/climate-b'].sort(),
    );
    const rdA = sim.layout.readers.find((r) => r.id === 'rd-a');
    expect(rdA?.antennas.map((a) => a.port)).toEqual([1, 2, 3, 4]);
    expect(rdA?.antennas.at(-1)?.facing).toBe('bay-b');
    expect(sim.layout.readers.find((r) => r.id === 'rd-dock')?.door).toBe(true);
    expect(sim.layout.microphones[0]?.zones).toEqual(['bay-a', 'bay-b']);
    expect(sim.layout.sensors.find((s) => s.id === 'climate-a')?.channels.map((c) => c.kind)).toEqual(['temperature', 'humidity']);
    expect(sim.layout.sensors.find((s) => s.id === 'scale-a')?.role).toBe('scale');
  });

  it('draws different lots for a different seed', () => {
    const other = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 2 });
    expect(other.lots.map((l) => l.epcs[0])).not.toEqual(sim.lots.map((l) => l.epcs[0]));
  });
});

describe('bench population', () => {
  it('puts 5,000 tags in a site with 50 readers, 16 cameras and 8 microphones', () => {
    const sim = createSimulation({ siteConfig: benchSiteConfig(), scenario: 'quiet-day', seed: 1, population: 'bench' });
    expect(sim.lots.reduce((s, l) => s + l.epcs.length, 0)).toBe(5_000);
    expect(sim.devices.filter((d) => d.kind === 'rfid')).toHaveLength(50);
    expect(sim.devices.filter((d) => d.kind === 'camera')).toHaveLength(16);
    expect(sim.devices.filter((d) => d.kind === 'audio')).toHaveLength(8);
  });
});
