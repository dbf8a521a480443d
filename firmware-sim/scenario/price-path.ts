import type { Rng } from '../core/prng.ts';

export interface PricePoint {
  atMs: number;
  price: number;
  phase: 'normal' | 'crash' | 'after';
}

export interface PricePathOptions {
  startMs: number;
  endMs: number;
  stepMs: number;
  base: number;
  /** Daily volatility of log price (e.g. 0.02). */
  dailyVol: number;
  crashFromMs: number;
  crashToMs: number;
  /** Total fall over the crash window, e.g. 0.22 for −22 %. */
  crashDepth: number;
}

/**
 * A price path for a commodity: geometric Brownian motion at the commodity's volatility,
 * with a crash spread over a few hours (markets gap and grind, they do not teleport) and a
 * partial rebound afterwards.
 */
export function pricePath(o: PricePathOptions, rng: Rng): PricePoint[] {
  const stepVol = o.dailyVol * Math.sqrt(o.stepMs / 86_400_000);
  const crashSteps = Math.max(1, Math.round((o.crashToMs - o.crashFromMs) / o.stepMs));
  const crashDrift = Math.log(1 - o.crashDepth) / crashSteps;
  const points: PricePoint[] = [];
  let logPrice = Math.log(o.base);
  let rebound = 0;
  for (let t = o.startMs; t <= o.endMs; t += o.stepMs) {
    let phase: PricePoint['phase'] = 'normal';
    if (t > o.crashFromMs && t <= o.crashToMs) {
      phase = 'crash';
      logPrice += crashDrift + stepVol * 2 * rng.normal();
      rebound = -Math.log(1 - o.crashDepth) * 0.3;
    } else {
      if (t > o.crashToMs) phase = 'after';
      const pull = rebound > 0 ? rebound * 0.08 : 0;
      rebound -= pull;
      logPrice += pull + stepVol * rng.normal();
    }
    points.push({ atMs: t, price: Math.round(Math.exp(logPrice) * 100) / 100, phase });
  }
  return points;
}
