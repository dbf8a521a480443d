import type { SiteConfig } from '../../protocol/index.ts';

export type IsNight = (at: Date) => boolean;

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Whether a moment falls in the site's night hours, on the warehouse's wall clock (its
 * IANA time zone, daylight saving included). `from` is inclusive and `to` exclusive; a
 * window whose `from` is later than its `to` runs across midnight (20:00–06:00); equal
 * bounds mean the site has no night. Throws at start on a time zone the runtime does not know.
 */
export function createNightWindow(site: Pick<SiteConfig, 'timezone' | 'night'>): IsNight {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: site.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  } catch {
    throw new RangeError(`site timezone ${JSON.stringify(site.timezone)} is not an IANA time zone this runtime knows`);
  }
  const from = minutesOf(site.night.from);
  const to = minutesOf(site.night.to);
  return (at) => {
    let hour = 0;
    let minute = 0;
    for (const part of format.formatToParts(at)) {
      if (part.type === 'hour') hour = Number(part.value) % 24;
      else if (part.type === 'minute') minute = Number(part.value);
    }
    const local = hour * 60 + minute;
    if (from === to) return false;
    return from < to ? local >= from && local < to : local >= from || local < to;
  };
}
