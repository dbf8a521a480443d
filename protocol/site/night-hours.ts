import type { SiteConfig } from './site-config.ts';

/** Whether an instant (epoch ms on the warehouse's clock) falls in the site's night. */
export type IsNight = (ms: number) => boolean;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DAY_MINUTES = 24 * 60;

function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * The site's night (site YAML `night`) on the warehouse's wall clock: its IANA `timezone`,
 * daylight saving included. Goods leaving then are more likely theft, so the RFID stage
 * escalates missing tags and fusion's night rules apply. `from` is inclusive and `to`
 * exclusive; a window whose `from` is later than its `to` runs across midnight (20:00–06:00);
 * equal bounds mean the site has no night. Built once per site: an Intl formatter costs
 * milliseconds to create, and answers are kept per minute. Throws at start on a time zone
 * the runtime does not know.
 */
export function nightHours(site: Pick<SiteConfig, 'timezone' | 'night'>): IsNight {
  const from = clockMinutes(site.night.from);
  const to = clockMinutes(site.night.to);
  const inWindow = (minute: number) => (from <= to ? minute >= from && minute < to : minute >= from || minute < to);
  if (site.timezone === 'UTC') return (ms) => inWindow(Math.floor((((ms % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS));
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: site.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  } catch {
    throw new RangeError(`site timezone ${JSON.stringify(site.timezone)} is not an IANA time zone this runtime knows`);
  }
  const memo = new Map<number, boolean>();
  return (ms) => {
    const minute = Math.floor(ms / MINUTE_MS);
    let night = memo.get(minute);
    if (night === undefined) {
      let local = 0;
      for (const part of format.formatToParts(ms)) {
        if (part.type === 'hour') local += Number(part.value) * 60;
        else if (part.type === 'minute') local += Number(part.value);
      }
      night = inWindow(local % DAY_MINUTES);
      if (memo.size > 1_000) memo.clear();
      memo.set(minute, night);
    }
    return night;
  };
}
