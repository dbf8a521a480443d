import { MAX_TAGS_PER_EVENT } from '../../protocol/index.ts';
/**
 * How the RFID stage smooths reads into presence and when it speaks. Times are on the
 * gateway clock; defaults suit readers that report every 1–5 s (README.md in this folder
 * explains each choice).
 */
export interface RfidOptions {
  /**
   * One inventory cycle. Readers do not announce rounds, so the gateway cuts time into
   * fixed cycles, as an EPCglobal ALE ECSpec with `repeatPeriod` = `duration` does
   * (ALE 1.1, ECBoundarySpec); `tick(now)` closes the cycles that ended.
   */
  cycleMs: number;
  /** N: cycles of history kept per tag and zone (at most 30). */
  windowCycles: number;
  /** k: a tag is present in a zone once read there in at least k of the last N cycles. */
  presentAfterCycles: number;
  /** Least silence, while its zone is observed, before a present or expected tag is absent. */
  graceMs: number;
  /** Most silence a weakly read tag is given (see `absenceConfidence`). */
  maxGraceMs: number;
  /**
   * A tag is declared absent only when its own read rate makes the silence less likely
   * than this by chance: deep tags that answer in one cycle of eight wait longer than
   * `graceMs`, never longer than `maxGraceMs`.
   */
  absenceConfidence: number;
  /** Cycles over which a tag's read rate is averaged (exponential memory). */
  readRateMemoryCycles: number;
  /** A tag moves to another storage zone once read there in at least this many of the last N cycles… */
  switchMinCycles: number;
  /** …and not read in its current zone for this many cycles, or read clearly stronger there (next). */
  switchQuietCycles: number;
  /** RSSI margin (dB, smoothed) by which the other zone must win while both still read the tag. */
  switchRssiMarginDb: number;
  /** Reads at a door zone that make a passage (a ghost read is one read, a pallet on a forklift dozens). */
  doorMinReads: number;
  /** Door reads further apart than this belong to separate passages. */
  doorPassageGapMs: number;
  /** `lot.verified` for every lot at least this often, besides on every change. */
  verifiedEveryMs: number;
  /** Tags named in one event; the rest are counted in `count` and `more`. */
  maxTagsPerEvent: number;
  /** `tags.missing` is critical (not warning) when more than this share of a lot is missing. */
  missingCriticalPercent: number;
  /** An antenna that used to report and has been silent this long, while its reader reports on others. */
  antennaSilentMs: number;
  /** Raw payloads waiting for decoding; beyond it messages are dropped and counted (`overload`). */
  maxQueueBytes: number;
  /**
   * Queued bytes from which the gateway stops reading MQTT until decoding has caught up
   * (half of this), so the broker holds a burst instead of the gateway dropping it;
   * a quarter of `maxQueueBytes` unless given.
   */
  pauseQueueBytes: number;
  /** Longest slice of decoding before yielding to the event loop, so MQTT keeps being read. */
  batchBudgetMs: number;
  /** Tags outside every manifest tracked at once; beyond it new ones are counted, not tracked. */
  maxForeignTags: number;
}

export const DEFAULT_RFID_OPTIONS: Readonly<RfidOptions> = Object.freeze({
  cycleMs: 10_000,
  windowCycles: 6,
  presentAfterCycles: 2,
  graceMs: 5 * 60_000,
  maxGraceMs: 30 * 60_000,
  absenceConfidence: 1e-6,
  readRateMemoryCycles: 256,
  switchMinCycles: 3,
  switchQuietCycles: 2,
  switchRssiMarginDb: 6,
  doorMinReads: 3,
  doorPassageGapMs: 60_000,
  verifiedEveryMs: 15 * 60_000,
  maxTagsPerEvent: 500,
  missingCriticalPercent: 10,
  antennaSilentMs: 2 * 60_000,
  maxQueueBytes: 32 * 1024 * 1024,
  pauseQueueBytes: 8 * 1024 * 1024,
  batchBudgetMs: 8,
  maxForeignTags: 50_000,
});

function check(ok: boolean, name: keyof RfidOptions, rule: string, value: unknown): void {
  if (!ok) throw new RangeError(`rfid option ${name} must be ${rule}, got ${String(value)}`);
}

/** Defaults overlaid with `partial`; throws a RangeError naming the first bad option. */
export function resolveRfidOptions(partial: Partial<RfidOptions> = {}): RfidOptions {
  const o: RfidOptions = { ...DEFAULT_RFID_OPTIONS, ...partial };
  // A bound given alone brings its own mark, a quarter of it, as the defaults have.
  if (partial.pauseQueueBytes === undefined && partial.maxQueueBytes !== undefined) o.pauseQueueBytes = Math.floor(partial.maxQueueBytes / 4);
  const positive: (keyof RfidOptions)[] = [
    'cycleMs',
    'graceMs',
    'maxGraceMs',
    'readRateMemoryCycles',
    'doorPassageGapMs',
    'verifiedEveryMs',
    'antennaSilentMs',
    'maxQueueBytes',
    'pauseQueueBytes',
    'batchBudgetMs',
  ];
  for (const name of positive) check(Number.isFinite(o[name]) && o[name] > 0, name, 'a positive number', o[name]);
  const counts: (keyof RfidOptions)[] = ['windowCycles', 'presentAfterCycles', 'switchMinCycles', 'switchQuietCycles', 'doorMinReads', 'maxTagsPerEvent'];
  for (const name of counts) check(Number.isInteger(o[name]) && o[name] >= 1, name, 'a positive integer', o[name]);
  // Cycle history lives in the bits of one 32-bit integer.
  // One event names at most this many tags (protocol/evidence/tag-evidence.ts).
  check(o.maxTagsPerEvent <= MAX_TAGS_PER_EVENT, 'maxTagsPerEvent', `at most ${MAX_TAGS_PER_EVENT}`, o.maxTagsPerEvent);
  check(o.windowCycles <= 30, 'windowCycles', 'at most 30', o.windowCycles);
  check(o.presentAfterCycles <= o.windowCycles, 'presentAfterCycles', `at most windowCycles (${o.windowCycles})`, o.presentAfterCycles);
  check(o.switchMinCycles <= o.windowCycles, 'switchMinCycles', `at most windowCycles (${o.windowCycles})`, o.switchMinCycles);
  check(o.switchQuietCycles <= o.windowCycles, 'switchQuietCycles', `at most windowCycles (${o.windowCycles})`, o.switchQuietCycles);
  check(o.pauseQueueBytes <= o.maxQueueBytes, 'pauseQueueBytes', `at most maxQueueBytes (${o.maxQueueBytes})`, o.pauseQueueBytes);
  check(o.maxGraceMs >= o.graceMs, 'maxGraceMs', `at least graceMs (${o.graceMs})`, o.maxGraceMs);
  check(o.absenceConfidence > 0 && o.absenceConfidence < 1, 'absenceConfidence', 'in (0, 1)', o.absenceConfidence);
  check(Number.isFinite(o.switchRssiMarginDb) && o.switchRssiMarginDb >= 0, 'switchRssiMarginDb', 'a number ≥ 0', o.switchRssiMarginDb);
  check(o.missingCriticalPercent >= 0 && o.missingCriticalPercent <= 100, 'missingCriticalPercent', 'in [0, 100]', o.missingCriticalPercent);
  check(Number.isInteger(o.maxForeignTags) && o.maxForeignTags >= 0, 'maxForeignTags', 'an integer ≥ 0', o.maxForeignTags);
  return o;
}

/**
 * Timings for a warehouse whose clock runs `speed` times faster than the gateway's (the
 * demo's simulator at DEMO_SPEED): the stage judges time by arrival, so cycles, grace and
 * silences shrink by the same factor. `batchBudgetMs` is CPU time and stays. Tick the
 * pipeline at least once per resulting `cycleMs`.
 */
export function rfidOptionsAtSpeed(speed: number, base: Partial<RfidOptions> = {}): Partial<RfidOptions> {
  if (!(Number.isFinite(speed) && speed > 0)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const o = { ...DEFAULT_RFID_OPTIONS, ...base };
  const scaled = (ms: number) => Math.max(1, Math.round(ms / speed));
  return {
    ...base,
    cycleMs: scaled(o.cycleMs),
    graceMs: scaled(o.graceMs),
    maxGraceMs: scaled(o.maxGraceMs),
    doorPassageGapMs: scaled(o.doorPassageGapMs),
    verifiedEveryMs: scaled(o.verifiedEveryMs),
    antennaSilentMs: scaled(o.antennaSilentMs),
  };
}
