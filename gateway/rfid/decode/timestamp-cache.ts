import { normaliseTimestamp } from '../../../protocol/index.ts';

/**
 * Readers stamp hundreds of reads a second that differ only in seconds and fraction, and
 * zone offsets are whole minutes, so the UTC date, hour and minute follow from the text up
 * to the minute plus the zone alone. Those are validated once by normaliseTimestamp and
 * remembered; later stamps of the same minute only have their seconds and fraction checked.
 * Linear scan over a few slots: a site has one open minute per zone style (`Z`, `+0000`).
 */
interface MinuteSlot {
  /** `YYYY-MM-DDTHH:mm:` as the reader wrote it, cut at SPLIT. */
  headStart: string;
  headEnd: string;
  /** Everything after the fraction: `Z`, `+0000`, `-05:00`. */
  zone: string;
  /** The same minute in UTC, as normaliseTimestamp writes it, up to the seconds. */
  utcHead: string;
  /** Reader already writes UTC with `Z`: a stamp with a 3-digit `.` fraction is its own normal form. */
  identity: boolean;
  /** The last stamp of this minute after the minute (`ss.ffffffZ`) and its normal form: runs of reads share one. */
  lastTail: string;
  lastNormal: string;
}

export interface TimestampCache {
  /** Same result as normaliseTimestamp. */
  normalise(text: string): string | undefined;
  /** Minutes remembered (at most `slots`). */
  size(): number;
}

const HEAD_LENGTH = 17;
/**
 * V8 copies substrings shorter than 13 characters and makes longer ones views of the
 * payload, which are several times slower to compare or read. The stamp is compared in
 * copies of at most 12 characters: [0, SPLIT), [SPLIT, HEAD_LENGTH) and the tail.
 */
const SPLIT = 12;
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
    const slot: MinuteSlot = { headStart: head.slice(0, SPLIT), headEnd: head.slice(SPLIT), zone, utcHead, identity: zone === 'Z' && utcHead === head, lastTail: text.slice(HEAD_LENGTH), lastNormal: normal };
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
    // `ss[.f+]zone`; a copy when short (SPLIT).
    const tail = text.slice(HEAD_LENGTH);
    const s1 = tail.charCodeAt(0);
    const s2 = tail.charCodeAt(1);
    if (!isDigit(s1) || !isDigit(s2) || s1 > 0x35) return normaliseTimestamp(text);
    let zoneStart = 2;
    const sep = tail.charCodeAt(2);
    if (sep === 0x2e || sep === 0x2c) {
      zoneStart = 3;
      while (zoneStart < tail.length && isDigit(tail.charCodeAt(zoneStart))) zoneStart++;
      if (zoneStart === 3) return normaliseTimestamp(text);
    }
    const zoneLength = tail.length - zoneStart;
    const headStart = text.slice(0, SPLIT);
    const headEnd = text.slice(SPLIT, HEAD_LENGTH);
    for (let i = 0; i < entries.length; i++) {
      const slot = entries[i];
      if (slot === undefined || slot.zone.length !== zoneLength || slot.headStart !== headStart || slot.headEnd !== headEnd || !tail.endsWith(slot.zone)) continue;
      if (tail === slot.lastTail) return slot.lastNormal;
      const digits = zoneStart - 3;
      let normal: string;
      if (slot.identity && sep === 0x2e && digits === 3) normal = text;
      else {
        const ms = digits <= 0 ? '000' : digits >= 3 ? tail.slice(3, 6) : tail.slice(3, zoneStart).padEnd(3, '0');
        normal = `${slot.utcHead}${tail.slice(0, 2)}.${ms}Z`;
      }
      slot.lastTail = tail;
      slot.lastNormal = normal;
      return normal;
    }
    return remember(text, HEAD_LENGTH + zoneStart);
  }

  return { normalise, size: () => entries.length };
}
