const HOUR_MS = 3_600_000;

/**
 * The hour of the day (0–23) on the warehouse's wall clock for an instant, in the site's
 * IANA time zone: the video stage keeps its light baselines and the audio stage its sound
 * baselines per hour. Answers are kept per clock hour (an Intl formatter costs
 * microseconds per call).
 */
export function siteHour(timezone: string): (ms: number) => number {
  if (timezone === 'UTC') return (ms) => new Date(ms).getUTCHours();
  const format = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', hourCycle: 'h23' });
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
