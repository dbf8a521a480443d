import { describe, expect, it } from 'vitest';
import { ManualClock, parseDuration, Rng, ScaledClock, deriveSeed } from '../../firmware-sim/index.ts';
import { Scheduler } from '../../firmware-sim/core/scheduler.ts';

describe('Rng', () => {
  it('repeats a sequence for a seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 8 }, () => a.u32());
    expect(Array.from({ length: 8 }, () => b.u32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.u32())).not.toEqual(seqA);
  });

  it('forks named streams that do not depend on how much the parent was used', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    b.u32();
    b.u32();
    expect(a.fork('rfid:rd-a').u32()).toBe(b.fork('rfid:rd-a').u32());
    expect(a.fork('rfid:rd-a').u32()).not.toBe(a.fork('rfid:rd-b').u32());
    expect(deriveSeed(1, 'x')).not.toBe(deriveSeed(2, 'x'));
  });

  it('draws plausible uniform and normal variates', () => {
    const rng = new Rng(1);
    const n = 20_000;
    let sum = 0;
    let sumSq = 0;
    let uniform = 0;
    for (let i = 0; i < n; i += 1) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
      uniform += rng.float();
      const k = rng.int(3, 5);
      expect(k >= 3 && k <= 5).toBe(true);
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.05);
    expect(Math.abs(uniform / n - 0.5)).toBeLessThan(0.01);
  });
});

describe('clocks', () => {
  it('steps a manual clock forward only', () => {
    const clock = new ManualClock(1_000);
    expect(clock.advance(500)).toBe(1_500);
    expect(() => clock.set(1_000)).toThrow();
  });

  it('runs a scaled clock at its speed and measures lag', () => {
    let real = 100;
    const clock = new ScaledClock({ startSimMs: 0, speed: 60, realNow: () => real });
    real += 1_000;
    expect(clock.now()).toBe(60_000);
    expect(clock.simAt(1_100)).toBe(60_000);
    expect(clock.simAt(1_600)).toBe(90_000);
    expect(clock.realAt(120_000)).toBe(2_100);
    expect(clock.lagMs(30_000)).toBe(500);
  });
});

describe('scheduler', () => {
  it('runs tasks in time order, ties in insertion order', () => {
    const s = new Scheduler();
    const order: string[] = [];
    s.schedule(20, () => order.push('c'));
    s.schedule(10, () => order.push('a'));
    s.schedule(10, () => order.push('b'));
    s.schedule(30, () => order.push('late'));
    for (let t = s.popDue(25); t; t = s.popDue(25)) t.run(t.at);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(s.peekTime()).toBe(30);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['45', 45_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('rejects junk', () => {
    expect(parseDuration('2 hours')).toBeUndefined();
    expect(parseDuration('h')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});
