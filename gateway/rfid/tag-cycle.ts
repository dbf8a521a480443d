import { recordHit, silentCyclesAllowed, type AbsenceRule } from './read-rate.ts';
import { ABSENT, PRESENT, UNSEEN, bitCount, type TagTrack } from './tag-track.ts';

/** What closing a cycle did to one tag; several may hold at once. */
export const APPEARED = 1;
export const VANISHED = 2;
/** A present tag's zone changed (the zone it left is the caller's `home` before the step). */
export const SWITCHED = 4;
/** A door passage was confirmed: `tag.departure` holds it. */
export const DEPARTED = 8;

export interface CycleRule {
  readonly windowCycles: number;
  readonly windowMask: number;
  readonly presentAfter: number;
  readonly switchMin: number;
  readonly quietMask: number;
  readonly rssiMarginDb: number;
  readonly doorMinReads: number;
  /** A passage is judged once the door has not read the tag for this long. */
  readonly doorSettleMs: number;
  readonly absence: AbsenceRule;
}

export function cycleRule(
  o: { windowCycles: number; presentAfterCycles: number; switchMinCycles: number; switchQuietCycles: number; switchRssiMarginDb: number; doorMinReads: number; cycleMs: number },
  absence: AbsenceRule,
): CycleRule {
  return {
    windowCycles: o.windowCycles,
    windowMask: (1 << o.windowCycles) - 1,
    presentAfter: o.presentAfterCycles,
    switchMin: o.switchMinCycles,
    quietMask: (1 << o.switchQuietCycles) - 1,
    rssiMarginDb: o.switchRssiMarginDb,
    doorMinReads: o.doorMinReads,
    doorSettleMs: o.cycleMs,
    absence,
  };
}

/**
 * Moves the tag to its rival zone when the rival's evidence outweighs home's: read there
 * in enough cycles and no longer at home (it was carried over), or read there clearly
 * stronger while both still read it. A single ghost read through a neighbouring antenna
 * does neither, and a boundary tag needs the RSSI margin both ways, so it does not flap.
 */
function rivalWins(tag: TagTrack, rule: CycleRule): boolean {
  const rivalCount = bitCount(tag.rivalBits);
  const homeCount = bitCount(tag.homeBits);
  if (rivalCount >= rule.switchMin && rivalCount > homeCount && (tag.homeBits & rule.quietMask) === 0) return true;
  return (tag.rivalBits & 1) !== 0 && rivalCount >= rule.presentAfter && rivalCount >= homeCount && tag.rivalRssi >= tag.homeRssi + rule.rssiMarginDb;
}

function moveToRival(tag: TagTrack): void {
  tag.home = tag.rival;
  tag.homeBits = tag.rivalBits;
  tag.homeRssi = tag.rivalRssi;
  tag.lastSeenMs = tag.rivalLastMs;
  tag.lastReader = tag.rivalReader;
  tag.rival = -1;
  tag.rivalBits = 0;
  tag.antennas = 0;
  tag.antennasBefore = 0;
  tag.missed = 0;
  tag.departure = undefined;
  tag.departedUnder = undefined;
}

/**
 * Closes `cycles` cycles for one tag (the first is the one its reads went into, the rest
 * were empty) ending at `endMs`. `observed` says whether its zone's antennas that read it
 * were able to (reader not offline by its last will, antenna not disconnected): silence
 * while nobody could look is not evidence of absence.
 */
export function closeTagCycles(tag: TagTrack, cycles: number, observed: boolean, rotateAntennas: boolean, endMs: number, rule: CycleRule): number {
  let result = 0;
  if ((tag.homeBits & 1) !== 0) {
    recordHit(tag, tag.missed, rule.absence);
    tag.allowedSilence = silentCyclesAllowed(tag, rule.absence);
    tag.missed = 0;
    if (cycles > 1 && observed) tag.missed = cycles - 1;
  } else if (observed) {
    tag.missed += cycles;
  }

  if (tag.rival >= 0 && tag.home >= 0 && rivalWins(tag, rule)) {
    if (tag.state === PRESENT) result |= SWITCHED;
    moveToRival(tag);
  }

  // A weakly read tag gets longer silence so chance does not report it; once it was seen
  // leaving through a door, chance is no longer the explanation and the grace suffices.
  const allowed = tag.departure === undefined ? tag.allowedSilence : Math.min(tag.allowedSilence, rule.absence.minCycles);
  if (tag.state !== PRESENT && tag.home >= 0 && bitCount(tag.homeBits) >= rule.presentAfter) {
    tag.state = PRESENT;
    result |= APPEARED;
  } else if ((tag.state === PRESENT || tag.state === UNSEEN) && tag.missed >= allowed) {
    tag.state = ABSENT;
    result |= VANISHED;
  }

  const passage = tag.door;
  if (passage !== undefined && endMs - passage.lastMs >= rule.doorSettleMs) {
    tag.door = undefined;
    // Read at home after its last door read: the door caught it from inside, it did not leave.
    if (passage.reads >= rule.doorMinReads && !(tag.lastSeenMs > passage.lastMs)) {
      tag.departure = passage;
      result |= DEPARTED;
    }
  }

  if (cycles >= rule.windowCycles) {
    tag.homeBits = 0;
    tag.rivalBits = 0;
  } else {
    tag.homeBits = (tag.homeBits << cycles) & rule.windowMask;
    tag.rivalBits = (tag.rivalBits << cycles) & rule.windowMask;
  }
  if (tag.rivalBits === 0) tag.rival = -1;
  // The antennas that see a tag are refreshed each window it is read in; while it is not
  // read they stay as last known, so a cut antenna keeps its tags unobserved, not missing.
  if (rotateAntennas && tag.antennas !== 0) {
    tag.antennasBefore = tag.antennas;
    tag.antennas = 0;
  }
  return result;
}
