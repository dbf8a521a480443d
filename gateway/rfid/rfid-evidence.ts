import { decodeEpc, isValidId } from '../../protocol/index.ts';
import type { SiteLayout } from './site-layout.ts';
import type { TagTrack } from './tag-track.ts';

export interface TagEvidence {
  epc: string;
  urn: string;
}

/**
 * A tag as evidence names it (PROTOCOL.md "Verification event"): its pure-identity URN
 * and its hex EPC. Manifest EPCs are only checked to be hex, so one that does not decode
 * keeps a raw identity (GS1 TDS §12.4) rather than failing the event.
 */
export function tagEvidence(epc: string): TagEvidence {
  try {
    return { epc, urn: decodeEpc(epc).uri };
  } catch {
    return { epc, urn: `urn:epc:raw:${epc.length * 4}.x${epc}` };
  }
}

/**
 * At most `max` tags named (in EPC order, so the same finding reads the same), with the
 * total in `count` and how many were left out in `more`: one event may cover a whole
 * lot of 10,000 items without becoming megabytes.
 */
export function tagList(tags: readonly TagTrack[], max: number): { tags: TagEvidence[]; count: number; more?: number } {
  const epcs = tags.map((t) => t.epc).sort();
  const named = epcs.slice(0, max).map(tagEvidence);
  return epcs.length > max ? { tags: named, count: epcs.length, more: epcs.length - max } : { tags: named, count: epcs.length };
}

/** The reader that last read most of these tags, as a device ref. */
export function mainReader(tags: readonly TagTrack[], layout: SiteLayout, readerOf: (t: TagTrack) => number = (t) => t.lastReader): string | undefined {
  const votes = new Map<number, number>();
  for (const t of tags) {
    const r = readerOf(t);
    if (r >= 0) votes.set(r, (votes.get(r) ?? 0) + 1);
  }
  let best = -1;
  let most = 0;
  for (const [r, n] of votes) if (n > most || (n === most && r < best)) [best, most] = [r, n];
  return best >= 0 ? layout.readers[best]?.ref : undefined;
}

/** Latest of the tags' times, ISO 8601, or undefined when none was ever read. */
export function latest(tags: readonly TagTrack[], timeOf: (t: TagTrack) => number = (t) => t.lastSeenMs): string | undefined {
  let at = Number.NEGATIVE_INFINITY;
  for (const t of tags) {
    const ms = timeOf(t);
    if (ms > at) at = ms;
  }
  return Number.isFinite(at) ? new Date(at).toISOString() : undefined;
}

/** Event `lotId` must be a topic-safe id (the lot topic carries it); other ids stay out of the envelope. */
export function eventLotId(lotId: string | undefined): string | undefined {
  return lotId !== undefined && isValidId(lotId) ? lotId : undefined;
}

/** Event `zone` is 1–128 characters. */
export function eventZone(zone: string | undefined): string | undefined {
  return zone !== undefined && zone.length >= 1 && zone.length <= 128 ? zone : undefined;
}
