import type { SiteConfig } from '../../protocol/site/site-config.ts';

const HOUR_MS = 3_600_000;

/**
 * The hour of day (0–23) on the warehouse's wall clock, for per-hour light baselines.
 * Answers are kept per clock hour: an Intl formatter costs microseconds per call.
 */
export function siteHourOf(site: Pick<SiteConfig, 'timezone'>): (ms: number) => number {
  if (site.timezone === 'UTC') return (ms) => Math.floor((((ms % 86_400_000) + 86_400_000) % 86_400_000) / HOUR_MS);
  const format = new Intl.DateTimeFormat('en-GB', { timeZone: site.timezone, hour: '2-digit', hourCycle: 'h23' });
  const memo = new Map<number, number>();
  return (ms) => {
    const key = Math.floor(ms / HOUR_MS);
    let hour = memo.get(key);
    if (hour === undefined) {
      hour = Number(format.formatToParts(ms).find((p) => p.type === 'hour')?.value ?? 0) % 24;
      if (memo.size > 1_000) memo.clear();
      memo.set(key, hour);
    }
    return hour;
  };
}
