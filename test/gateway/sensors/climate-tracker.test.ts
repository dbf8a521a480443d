import { describe, expect, it } from 'vitest';
import { resolveSensorSettings } from '../../../protocol/site/sensor-settings.ts';
import { beyond, createClimateTracker, type ClimateFinding } from '../../../gateway/sensors/climate-tracker.ts';
import { createLotConditions } from '../../../gateway/sensors/lot-condition.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const settings = resolveSensorSettings(undefined);
const COFFEE_HUMIDITY = { min: 20, max: 65 };

function play(values: (t: number) => number, to: number, range = COFFEE_HUMIDITY) {
  const tracker = createClimateTracker(settings.climate);
  const found: Array<ClimateFinding & { at: number }> = [];
  let exposure = 0;
  for (let t = 0; t <= to; t += MINUTE) {
    // Probe noise of ±0.5 %, deterministic.
    const result = tracker.observe(t, values(t) + 0.5 * Math.sin(t / 7_919), range);
    exposure += result.exposure;
    for (const f of result.findings) found.push({ ...f, at: t });
  }
  return { found, exposure };
}

describe('climate tracker: a probe quantity against its range', () => {
  it('a diurnal swing inside the range, with noise, reports nothing', () => {
    const { found, exposure } = play((t) => 45 - 12 * Math.sin((2 * Math.PI * t) / (24 * HOUR)), 48 * HOUR);
    expect(found).toEqual([]);
    expect(exposure).toBe(0);
  });

  it('a door left open for five minutes is no excursion', () => {
    const { found } = play((t) => (t >= HOUR && t < HOUR + 5 * MINUTE ? 72 : 50), 3 * HOUR);
    expect(found).toEqual([]);
  });

  it('a wet spell: onset after the confirmation time, repeats with the duration so far, cleared with total duration and extent', () => {
    // Humidity rises to 75 % (10 above the limit) from 02:00 to 05:00.
    const { found, exposure } = play((t) => (t >= 2 * HOUR && t < 5 * HOUR ? 75 : 50), 8 * HOUR);
    expect(found.map((f) => f.phase)).toEqual(['onset', 'ongoing', 'ongoing', 'ongoing', 'ongoing', 'ongoing', 'cleared']);
    const onset = found[0];
    expect(onset?.at).toBe(2 * HOUR + settings.climate.confirmMs);
    expect(onset).toMatchObject({ since: 2 * HOUR, durationMs: settings.climate.confirmMs });
    expect(onset?.extent).toBeGreaterThan(9.5);
    const cleared = found.at(-1);
    expect(cleared).toMatchObject({ phase: 'cleared', since: 2 * HOUR, durationMs: 3 * HOUR });
    expect(cleared?.extent).toBeLessThanOrEqual(10.5);
    expect(cleared?.at).toBe(5 * HOUR + settings.climate.confirmMs);
    // About 10 %·h for 3 h.
    expect(exposure / HOUR).toBeGreaterThan(28);
    expect(exposure / HOUR).toBeLessThan(32);
  });

  it('hovering just inside the bound does not clear: back in range means inside by the hysteresis margin', () => {
    const { found } = play((t) => (t < HOUR ? 50 : t < 2 * HOUR ? 70 : 64.8), 4 * HOUR);
    expect(found[0]?.phase).toBe('onset');
    expect(found.map((f) => f.phase)).not.toContain('cleared');
  });

  it('beyond() measures from the nearer bound; open-ended ranges work', () => {
    expect(beyond(3, { min: 5, max: 35 })).toBe(2);
    expect(beyond(40, { max: 35 })).toBe(5);
    expect(beyond(20, { min: 5 })).toBe(0);
  });
});

describe('lot condition from climate history', () => {
  it('lowers the factor with unit-hours beyond the range, reports in steps, never below the floor, and says why', () => {
    const conditions = createLotConditions(settings.condition);
    // 10 %·h of humidity at 0.001 per %·h: 0.99, reported once it moved by 0.01.
    expect(conditions.expose(0, ['LOT-1'], 'humidity', '%', 9 * HOUR)).toEqual([]);
    const [first] = conditions.expose(HOUR, ['LOT-1'], 'humidity', '%', 1 * HOUR);
    expect(first).toMatchObject({ lotId: 'LOT-1', factor: 0.99, since: 0 });
    expect(first?.reasons).toEqual(['humidity beyond its range: 10.00 %·h']);
    // Temperature adds its own: 5 °C·h at 0.002 → another 0.01.
    const [second] = conditions.expose(2 * HOUR, ['LOT-1'], 'temperature', '°C', 5 * HOUR);
    expect(second?.factor).toBe(0.98);
    expect(second?.reasons).toHaveLength(2);
    // A month in the wet: the floor, reported once.
    expect(conditions.expose(3 * HOUR, ['LOT-1'], 'humidity', '%', 10_000 * HOUR)[0]?.factor).toBe(settings.condition.floor);
    expect(conditions.expose(4 * HOUR, ['LOT-1'], 'humidity', '%', 10 * HOUR)).toEqual([]);
    // A kind without a rate costs nothing; a released lot is forgotten.
    expect(conditions.expose(0, ['LOT-2'], 'co2', 'ppm', 1e9)).toEqual([]);
    conditions.keepOnly(new Set());
    expect(conditions.snapshot()).toEqual([]);
  });
});
