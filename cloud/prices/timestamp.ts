import { normaliseTimestamp } from '../../protocol/timestamps.ts';

const BARE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Price-file instants. A date-time follows the wire rule of protocol/timestamps.ts: ISO
// 8601 with its zone (Z or ±hh:mm), since a feed's local time is ambiguous across time
// zones and DST; RFC 3339's space in place of "T" is accepted too. A bare date
// (YYYY-MM-DD), common in daily settlement files, is taken as 00:00 UTC of that day.
export function parseIsoInstant(text: string): Date | undefined {
  const trimmed = text.trim();
  const normalised = BARE_DATE.test(trimmed)
    ? normaliseTimestamp(`${trimmed}T00:00:00Z`)
    : normaliseTimestamp(trimmed.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T'));
  return normalised === undefined ? undefined : new Date(normalised);
}
