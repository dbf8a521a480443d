import type { SiteConfig } from '../../protocol/site/site-config.ts';
import { clockToHours, inWindow, localHour } from '../core/time-of-day.ts';

export interface Lighting {
  /** Per-channel multiplier applied to the fully lit scene. */
  gain: [number, number, number];
  /** Sensor noise standard deviation, 8-bit levels. */
  noiseSd: number;
  /** 1 = full colour; low light washes colour out. */
  saturation: number;
  lampsOn: boolean;
}

/**
 * Light in the bay at a given time: lamps on outside the site's night window, daylight
 * through roof lights following the sun (06:00–18:00 local, peak at noon), and at night
 * only what leaks in. The camera's auto-gain brightens dark scenes and amplifies sensor
 * noise with them, which is why night frames are dark and grainy.
 */
export function lightingAt(ms: number, site: Pick<SiteConfig, 'timezone' | 'night'>): Lighting {
  const hour = localHour(ms, site.timezone);
  const lampsOn = !inWindow(hour, clockToHours(site.night.from), clockToHours(site.night.to));
  const daylight = Math.max(0, Math.sin((Math.PI * (hour - 6)) / 12));
  // Low sun is warm: more red, less blue in the mornings and evenings.
  const warmth = daylight > 0 ? 0.08 * (1 - daylight) : 0;
  const level = lampsOn ? 0.78 + 0.25 * daylight : 0.12 + 0.3 * daylight;
  const agc = lampsOn ? 1 : 2.2;
  const light = level * agc;
  return {
    gain: [light * (1 + warmth), light, light * (1 - warmth) * (lampsOn ? 1.03 : 1)],
    noiseSd: lampsOn ? 2.5 : 9,
    saturation: lampsOn ? 1 : 0.45,
    lampsOn,
  };
}
