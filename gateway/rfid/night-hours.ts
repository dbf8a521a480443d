import type { SiteConfig } from '../../protocol/index.ts';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Whether an instant falls in the site's night (site YAML `night`, in its IANA
 * `timezone`): goods leaving then are more likely theft, so missing tags are escalated.
 * The window wraps midnight when `from` is later than `to` (20:00–06:00). Built once per
 * site: creating an Intl formatter costs milliseconds, and answers are kept per minute.
 */
export function nightHours(site: Pick<SiteConfig, 'timezone' | 'night'>): (ms: number) => boolean {
  const from = clockMinutes(site.night.from);
  const to = clockMinutes(site.night.to);
  const inWindow = (m: number) => (from <= to ? m >= from && m < to : m >= from || m < to);
  if (site.timezone === 'UTC') {
    return (ms) => inWindow(Math.floor((((ms % 86_400_000) + 86_400_000) % 86_400_000) / MINUTE));
  }
  const format = new Intl.DateTimeFormat('en-GB', { timeZone: site.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const memo = new Map<number, boolean>();
  return (ms) => {
    const minute = Math.floor(ms / MINUTE);
    let night = memo.get(minute);
    if (night === undefined) {
      let local = 0;
      for (const part of format.formatToParts(new Date(ms))) {
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
