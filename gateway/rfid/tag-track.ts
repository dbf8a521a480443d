import { PRIOR_HITS, PRIOR_OBSERVED, type ReadRate } from './read-rate.ts';

export const UNSEEN = 0;
export const PRESENT = 1;
export const ABSENT = 2;
export type TagState = typeof UNSEEN | typeof PRESENT | typeof ABSENT;

/** Reads of a tag at a door zone that may turn out to be a passage. */
export interface DoorPassage {
  zone: number;
  reader: number;
  firstMs: number;
  lastMs: number;
  reads: number;
}

/**
 * What the gateway knows about one tag. Plain mutable data on the hot path (one object
 * per tag, no allocation per read); the tracker owns every instance.
 *
 * Cycle history is a bit field: bit 0 is the open cycle, bit i the cycle i cycles ago.
 * A tag has one home (the storage zone it is resolved to) and at most one rival zone
 * that also reads it (a ghost read through a neighbouring antenna's side lobe, or the
 * tag really moving there); reads in the rival only move the tag once they outweigh home.
 */
export interface TagTrack extends ReadRate {
  readonly epc: string;
  /** Index of the lot it is pledged in (manifest), or -1. */
  lot: number;
  /** Named by an approved release order. */
  released: boolean;
  /** Was ever in a manifest: once pledged goods are not foreign goods. */
  known: boolean;
  state: TagState;
  home: number;
  homeBits: number;
  homeRssi: number;
  rival: number;
  rivalBits: number;
  rivalRssi: number;
  rivalLastMs: number;
  rivalReader: number;
  /** Bits of the home antennas that read it, this window and the one before. */
  antennas: number;
  antennasBefore: number;
  /** Observed cycles since its last read at home. */
  missed: number;
  /** Silent cycles after which it is absent (fixed at its last read, see read-rate.ts). */
  allowedSilence: number;
  /** Gateway time of the last read at home; NaN before the first. */
  lastSeenMs: number;
  lastReader: number;
  door: DoorPassage | undefined;
  /** The last confirmed door passage since it was last read at home. */
  departure: DoorPassage | undefined;
  /** Release order reference it left under, once a departure was reported as authorised. */
  departedUnder: string | undefined;
}

export function newTagTrack(epc: string, allowedSilence: number): TagTrack {
  return {
    epc,
    lot: -1,
    released: false,
    known: false,
    state: UNSEEN,
    home: -1,
    homeBits: 0,
    homeRssi: 0,
    rival: -1,
    rivalBits: 0,
    rivalRssi: 0,
    rivalLastMs: Number.NaN,
    rivalReader: -1,
    antennas: 0,
    antennasBefore: 0,
    missed: 0,
    allowedSilence,
    lastSeenMs: Number.NaN,
    lastReader: -1,
    door: undefined,
    departure: undefined,
    departedUnder: undefined,
    hits: PRIOR_HITS,
    observed: PRIOR_OBSERVED,
  };
}

/** Smoothing of RSSI per zone: a few reads settle it, one outlier does not swing it. */
const RSSI_WEIGHT = 0.25;

/** One read at a storage zone antenna. */
export function recordStorageRead(tag: TagTrack, zone: number, antennaBit: number, reader: number, rssi: number, atMs: number): void {
  if (tag.home < 0) tag.home = zone;
  if (zone === tag.home) {
    tag.homeRssi = Number.isNaN(tag.lastSeenMs) ? rssi : tag.homeRssi + RSSI_WEIGHT * (rssi - tag.homeRssi);
    tag.homeBits |= 1;
    tag.antennas |= antennaBit;
    tag.lastSeenMs = atMs;
    tag.lastReader = reader;
    // Back in its zone: whatever door passage came before did not take it away.
    tag.departure = undefined;
    tag.departedUnder = undefined;
    return;
  }
  if (zone !== tag.rival) {
    // A third zone replaces the rival only once the rival has gone quiet.
    if (tag.rival >= 0 && (tag.rivalBits & 3) !== 0) return;
    tag.rival = zone;
    tag.rivalBits = 0;
    tag.rivalRssi = rssi;
  } else {
    tag.rivalRssi += RSSI_WEIGHT * (rssi - tag.rivalRssi);
  }
  tag.rivalBits |= 1;
  tag.rivalLastMs = atMs;
  tag.rivalReader = reader;
}

/** One read at a door zone antenna: part of the current passage, or the start of a new one. */
export function recordDoorRead(tag: TagTrack, zone: number, reader: number, atMs: number, passageGapMs: number): void {
  const p = tag.door;
  if (p === undefined || p.zone !== zone || atMs - p.lastMs > passageGapMs) {
    tag.door = { zone, reader, firstMs: atMs, lastMs: atMs, reads: 1 };
    return;
  }
  p.lastMs = Math.max(p.lastMs, atMs);
  p.reader = reader;
  p.reads += 1;
}

/** Number of set bits (Hacker's Delight, 5-1). */
export function bitCount(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return (x * 0x01010101) >>> 24;
}
