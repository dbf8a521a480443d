/** A cut-off as people write it, 24-hour "HH:MM", and as the schedule counts it, minutes after midnight. */
export const CUTOFF_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

export function cutoffMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

export function cutoffText(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
