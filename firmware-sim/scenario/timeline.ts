import { clockToHours, nextLocalTime } from '../core/time-of-day.ts';
import type { ScenarioContext } from './types.ts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** Scenarios start on the same date so a seed means the same thing everywhere. */
const BASE_DATE_MS = Date.UTC(2024, 2, 12);

/** When a scenario starts: its local start time on its base date, or on or after `onOrAfterMs`. */
export function scenarioStart(startLocal: string, timeZone: string, onOrAfterMs = BASE_DATE_MS): number {
  return nextLocalTime(onOrAfterMs, clockToHours(startLocal), timeZone);
}

/**
 * Working hours: from an hour after the night ends to two hours before it starts
 * (07:00–18:00 for the usual 20:00–06:00 night), clipped to the scenario's window.
 */
export function workingWindows(ctx: ScenarioContext): [number, number][] {
  const from = clockToHours(ctx.site.night.to) + 1;
  const to = clockToHours(ctx.site.night.from) - 2;
  const windows: [number, number][] = [];
  let cursor = ctx.startMs - 24 * HOUR;
  while (cursor < ctx.endMs) {
    const open = nextLocalTime(cursor, from, ctx.site.timezone);
    const close = nextLocalTime(open, to, ctx.site.timezone);
    const a = Math.max(open, ctx.startMs);
    const b = Math.min(close, ctx.endMs);
    if (b > a) windows.push([a, b]);
    cursor = close + MINUTE;
  }
  return windows;
}

/** Times of a Poisson process with the given mean gap inside [from, to). */
export function poissonTimes(ctx: ScenarioContext, from: number, to: number, meanGapMs: number, label: string): number[] {
  const rng = ctx.rng.fork(`${label}@${from}`);
  const times: number[] = [];
  for (let t = from + rng.exponential(meanGapMs); t < to; t += rng.exponential(meanGapMs)) times.push(Math.round(t));
  return times;
}
