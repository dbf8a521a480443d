/**
 * Local wall-clock time at the site. "At night" and "working hours" are local notions,
 * so they are computed in the site's IANA time zone (site YAML `timezone`).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local time of day in hours, 0 ≤ h < 24. */
export function localHour(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return ((ms % 86_400_000) + 86_400_000) % 86_400_000 / 3_600_000;
  let h = 0;
  let m = 0;
  let s = 0;
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type === 'hour') h = Number(part.value);
    else if (part.type === 'minute') m = Number(part.value);
    else if (part.type === 'second') s = Number(part.value);
  }
  return h + m / 60 + s / 3600;
}

export function clockToHours(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) + (m ?? 0) / 60;
}

/** True when `hour` lies in [from, to), the window wrapping past midnight when from > to. */
export function inWindow(hour: number, from: number, to: number): boolean {
  return from <= to ? hour >= from && hour < to : hour >= from || hour < to;
}

/**
 * The epoch ms of the next moment at or after `afterMs` whose local time is `hour`.
 * Scans in minute steps, which is exact for whole-minute targets and tolerates DST.
 */
export function nextLocalTime(afterMs: number, hour: number, timeZone: string): number {
  const start = Math.ceil(afterMs / 60_000) * 60_000;
  for (let t = start; t < start + 2 * 86_400_000; t += 60_000) {
    if (Math.abs(localHour(t, timeZone) - hour) < 1 / 120) return t;
  }
  throw new Error(`no local time ${hour} in ${timeZone}`);
}

export function isoTs(ms: number): string {
  return new Date(ms).toISOString();
}
