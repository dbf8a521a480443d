import { describe, expect, it } from 'vitest';
import { resolveSensorSettings } from '../../../protocol/site/sensor-settings.ts';
import { createWeightTracker, type BayManifest, type WeightFinding } from '../../../gateway/sensors/weight-tracker.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const SCALE_EVERY = 30 * SECOND;
const settings = resolveSensorSettings(undefined).weight;

/** Deterministic normal noise (mulberry32 + Box-Muller), as the simulator's load cells. */
function noise(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

// A bay of coffee: 300 bags of 60 kg on 13 pallets of 25 kg.
const NET = 18_000;
const PALLETS = 13 * 25;
const COFFEE_BAY: BayManifest = { netKg: NET, lots: ['LOT-1', 'LOT-2'], toleranceKg: NET * 0.005 };
const PALLET = 24 * 60 + 25;

/**
 * Feeds a recorded-like sequence: `trueKg(t)` is what lies on the scale, read with the
 * simulator's load-cell model (0.02 % gain noise, 0.8 kg offset noise, 0.5 kg resolution).
 */
function play(opts: { from: number; to: number; trueKg: (t: number) => number; bay?: (t: number) => BayManifest; night?: (t: number) => boolean; seed?: number; tare?: number }) {
  const tracker = createWeightTracker(settings, opts.tare);
  const n = noise(opts.seed ?? 1);
  const found: Array<WeightFinding & { at: number }> = [];
  for (let t = opts.from; t <= opts.to; t += SCALE_EVERY) {
    const kg = Math.round((opts.trueKg(t) * (1 + n() * 0.0002) + n() * 0.8) * 2) / 2;
    for (const f of tracker.observe(t, kg, opts.bay?.(t) ?? COFFEE_BAY, opts.night?.(t) ?? false)) found.push({ ...f, at: t });
  }
  return { found, tracker };
}

const nightHours = (t: number) => {
  const hour = (t / HOUR) % 24;
  return hour >= 20 || hour < 6;
};

describe('weight tracker: a bay scale reconciled against the manifest', () => {
  it('a full day of load-cell noise reports nothing', () => {
    for (const seed of [1, 2, 3]) {
      const { found } = play({ from: 0, to: 24 * HOUR, trueKg: () => NET + PALLETS, night: nightHours, seed });
      expect(found).toEqual([]);
    }
  });

  it('a forklift placing and lifting goods in working hours is no weight change', () => {
    // 10:00 a pallet lifted for a count and put back 3 min later; 11:00 the truck itself
    // (3.5 t) drives onto the scale for a minute; 14:00 a pallet set down and taken away again after 6 min.
    const trueKg = (t: number) => {
      let kg = NET + PALLETS;
      if (t >= 10 * HOUR && t < 10 * HOUR + 3 * MINUTE) kg -= PALLET;
      if (t >= 11 * HOUR && t < 11 * HOUR + MINUTE) kg += 3_500;
      if (t >= 14 * HOUR && t < 14 * HOUR + 6 * MINUTE) kg += PALLET;
      return kg;
    };
    const { found } = play({ from: 8 * HOUR, to: 18 * HOUR, trueKg, night: nightHours });
    expect(found).toEqual([]);
  });

  it('slow drift within the commodity tolerance is not a change; beyond it, one drift finding, and its clearing', () => {
    // Coffee drying out: -0.3 % over two days is within 0.5 % and says nothing.
    const drying = play({ from: 0, to: 48 * HOUR, trueKg: (t) => NET * (1 - 0.003 * (t / (48 * HOUR))) + PALLETS, night: nightHours });
    expect(drying.found).toEqual([]);

    // Soaking up 1 % over two days crosses the tolerance once, as drift, never as a step; drying back clears it.
    const wet = (t: number) => (t < 48 * HOUR ? NET * (1 + 0.01 * (t / (48 * HOUR))) : NET * (1 + 0.01 * Math.max(0, 1 - (t - 48 * HOUR) / (24 * HOUR)))) + PALLETS;
    const soaking = play({ from: 0, to: 96 * HOUR, trueKg: wet, night: nightHours });
    expect(soaking.found.map((f) => f.kind)).toEqual(['drift', 'cleared']);
    const [drift, cleared] = soaking.found;
    expect(drift).toMatchObject({ kind: 'drift', tolerance: 90, atNight: expect.any(Boolean), lots: ['LOT-1', 'LOT-2'] });
    expect(drift?.delta).toBeGreaterThanOrEqual(90);
    expect(drift?.delta).toBeLessThan(110);
    expect(drift?.at).toBeGreaterThan(20 * HOUR);
    expect(cleared).toMatchObject({ kind: 'cleared', ends: 'drift' });
  });

  it('a pallet taken at night is a step reported within minutes, with before, after, delta and the lots', () => {
    const at = 2 * HOUR;
    const { found } = play({ from: 0, to: 4 * HOUR, trueKg: (t) => NET + PALLETS - (t >= at ? PALLET : 0), night: nightHours });
    expect(found).toHaveLength(1);
    const [step] = found;
    expect(step).toMatchObject({ kind: 'step', atNight: true, tolerance: 20, lots: ['LOT-1', 'LOT-2'] });
    expect(step?.delta).toBeCloseTo(-PALLET, -1);
    expect(step?.before).toBeCloseTo(NET + PALLETS, -1);
    expect(step?.after).toBeCloseTo(NET + PALLETS - PALLET, -1);
    expect(step?.expected).toBeCloseTo(NET + PALLETS, -1);
    // Median of 5 readings plus the 2 min night settle.
    expect((step?.at ?? 0) - at).toBeLessThanOrEqual(settings.settleNightMs + 3 * SCALE_EVERY + SCALE_EVERY);
    expect(step?.since).toBeGreaterThanOrEqual(at);
  });

  it('the same pallet taken by day waits for the working-hours settle time', () => {
    const at = 10 * HOUR;
    const { found } = play({ from: 8 * HOUR, to: 12 * HOUR, trueKg: (t) => NET + PALLETS - (t >= at ? PALLET : 0), night: nightHours });
    expect(found.map((f) => [f.kind, f.atNight])).toEqual([['step', false]]);
    expect((found[0]?.at ?? 0) - at).toBeGreaterThanOrEqual(settings.settleDayMs);
  });

  it('goods swapped for lighter look-alikes (a 43 kg step on an 18 t bay) are seen', () => {
    const at = 1 * HOUR;
    const { found } = play({ from: 0, to: 3 * HOUR, trueKg: (t) => NET + PALLETS - (t >= at ? 24 * 1.8 : 0), night: nightHours });
    expect(found.map((f) => f.kind)).toEqual(['step']);
    expect(found[0]?.delta).toBeCloseTo(-43.2, -1);
  });

  it('a delivery or release the manifest explains is not reported, pallets included; goods put back clear an open step', () => {
    const newLot = 20 * 60;
    const delivered = 10 * HOUR;
    const bay = (t: number): BayManifest => (t >= 9 * HOUR ? { ...COFFEE_BAY, netKg: NET + newLot, lots: ['LOT-1', 'LOT-2', 'LOT-3'] } : COFFEE_BAY);
    const delivery = play({ from: 6 * HOUR, to: 14 * HOUR, trueKg: (t) => NET + PALLETS + (t >= delivered ? newLot + 25 : 0), bay, night: nightHours });
    expect(delivery.found).toEqual([]);
    expect(delivery.tracker.snapshot().expected).toBeCloseTo(NET + newLot + PALLETS + 25, -1);

    // Taken at 01:00, brought back at 03:00: a step, then its clearing.
    const back = play({ from: 0, to: 5 * HOUR, trueKg: (t) => NET + PALLETS - (t >= HOUR && t < 3 * HOUR ? PALLET : 0), night: nightHours });
    expect(back.found.map((f) => [f.kind, f.ends])).toEqual([
      ['step', undefined],
      ['cleared', 'step'],
    ]);
  });

  it('a configured tare is reconciled from the first reading: a bay lighter than its manifest is drift at once', () => {
    const { found } = play({ from: 0, to: HOUR, trueKg: () => NET - 500 + PALLETS, tare: PALLETS, night: () => false });
    expect(found.map((f) => f.kind)).toEqual(['drift']);
    expect(found[0]?.delta).toBeCloseTo(-500, -1);
  });
});
