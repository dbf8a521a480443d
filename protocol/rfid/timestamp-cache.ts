import { normaliseTimestamp } from '../timestamps.ts';

/**
 * Readers stamp hundreds of reads a second that differ only in seconds and fraction, and
 * zone offsets are whole minutes, so the UTC date, hour and minute follow from the text up
 * to the minute plus the zone alone. Those are validated once by normaliseTimestamp and
 * remembered; later stamps of the same minute only have their seconds and fraction checked.
 * Linear scan over a few slots: a site has one open minute per zone style (`Z`, `+0000`).
 */
interface MinuteSlot {
  /** `YYYY-MM-DDTHH:mm:` as the reader wrote it. */
  head: string;
  /** Everything after the fraction: `Z`, `+0000`, `-05:00`. */
  zone: string;
  /** The same minute in UTC, as normaliseTimestamp writes it, up to the seconds. */
  utcHead: string;
  /** Reader already writes UTC with `Z`: a stamp with a 3-digit `.` fraction is its own normal form. */
  identity: boolean;
}

export interface TimestampCache {
  /** Same result as normaliseTimestamp. */
  normalise(text: string): string | undefined;
  /** Minutes remembered (at most `slots`). */
  size(): number;
}

const HEAD_LENGTH = 17;
/** `ss.sssZ`, the part of normaliseTimestamp's output after the minute. */
const TAIL_LENGTH = 7;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

export function createTimestampCache(slots = 8): TimestampCache {
  const entries: MinuteSlot[] = [];
  let next = 0;

  function remember(text: string, zoneStart: number): string | undefined {
    const normal = normaliseTimestamp(text);
    if (normal === undefined) return undefined;
    const zone = text.slice(zoneStart);
    const head = text.slice(0, HEAD_LENGTH);
    const utcHead = normal.slice(0, normal.length - TAIL_LENGTH);
    const slot: MinuteSlot = { head, zone, utcHead, identity: zone === 'Z' && utcHead === head };
    if (entries.length < slots) entries.push(slot);
    else {
      entries[next] = slot;
      next = (next + 1) % slots;
    }
    return normal;
  }

  function normalise(text: string): string | undefined {
    const n = text.length;
    // Anything but `…:ss[.f+]zone` with ASCII digits goes the long way (and is not cached).
    if (n < 20 || text.charCodeAt(16) !== 0x3a) return normaliseTimestamp(text);
    const s1 = text.charCodeAt(17);
    const s2 = text.charCodeAt(18);
    if (!isDigit(s1) || !isDigit(s2) || s1 > 0x35) return normaliseTimestamp(text);
    let zoneStart = 19;
    const sep = text.charCodeAt(19);
    if (sep === 0x2e || sep === 0x2c) {
      zoneStart = 20;
      while (zoneStart < n && isDigit(text.charCodeAt(zoneStart))) zoneStart++;
      if (zoneStart === 20) return normaliseTimestamp(text);
    }
    const zoneLength = n - zoneStart;
    for (let i = 0; i < entries.length; i++) {
      const slot = entries[i];
      if (slot === undefined || slot.zone.length !== zoneLength || !text.startsWith(slot.head) || !text.endsWith(slot.zone)) continue;
      const digits = zoneStart - 20;
      if (slot.identity && sep === 0x2e && digits === 3) return text;
      const ms = digits <= 0 ? '000' : digits >= 3 ? text.slice(20, 23) : text.slice(20, zoneStart).padEnd(3, '0');
      return `${slot.utcHead}${text.slice(17, 19)}.${ms}Z`;
    }
    return remember(text, zoneStart);
  }

  return { normalise, size: () => entries.length };
}
