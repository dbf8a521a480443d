/** Quantities a camera's normal frames are compared with, learned per hour of day. */
export interface BaselineSample {
  meanLuma: number;
  sdLuma: number;
  gradient: number;
  sharpness: number;
  /** Phase-correlation peak against the reference. */
  peak: number;
  /** Mean grey difference to the previous frame (sensor noise and life in the scene). */
  diff: number;
}

type Key = keyof BaselineSample;
const KEYS: readonly Key[] = ['meanLuma', 'sdLuma', 'gradient', 'sharpness', 'peak', 'diff'];

interface Bucket {
  count: Record<Key, number>;
  value: BaselineSample;
}

/**
 * Exponentially weighted means per hour of the warehouse's day: what is normal at 02:00
 * (dark, grainy) is not what is normal at noon, so a dark frame at night is not a cover.
 * An hour not yet seen borrows the nearest hour that has been (the first night after
 * installation compares with dusk, not with noon). A sample's quantity may be skipped
 * (NaN), e.g. the frame difference of a repeated frame.
 */
export function createHourlyBaseline(alpha: number) {
  const buckets: (Bucket | undefined)[] = new Array(24).fill(undefined);
  let samples = 0;

  function learn(hour: number, sample: BaselineSample): void {
    samples += 1;
    let b = buckets[hour];
    if (!b) {
      b = { count: { meanLuma: 0, sdLuma: 0, gradient: 0, sharpness: 0, peak: 0, diff: 0 }, value: { ...sample } };
      buckets[hour] = b;
    }
    for (const key of KEYS) {
      const v = sample[key];
      if (!Number.isFinite(v)) continue;
      const n = b.count[key] + 1;
      b.count[key] = n;
      // Plain mean while young, so the first frames do not weigh the first value forever.
      const weight = Math.max(alpha, 1 / n);
      b.value[key] = n === 1 ? v : b.value[key] + weight * (v - b.value[key]);
    }
  }

  function expected(hour: number, key: Key): number | undefined {
    for (let d = 0; d <= 12; d += 1) {
      for (const h of d === 0 ? [hour] : [(hour + d) % 24, (hour + 24 - d) % 24]) {
        const b = buckets[h];
        if (b && b.count[key] > 0) return b.value[key];
      }
    }
    return undefined;
  }

  return { learn, expected, samples: () => samples };
}

export type HourlyBaseline = ReturnType<typeof createHourlyBaseline>;
