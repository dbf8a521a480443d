import type { EvidenceKind } from './evidence.ts';

/** How long a finding counts after it was last observed, in ms; null: until a clearing event. */
export type EvidenceWindows = Readonly<Record<EvidenceKind, number | null>>;

const MINUTE = 60_000;

export const DEFAULT_EVIDENCE_WINDOWS: EvidenceWindows = {
  // Missing goods stay missing until a complete count says otherwise.
  rfid: null,
  // The video stage re-reports a lasting change or tamper; a finding not repeated or
  // cleared within an hour is stale.
  video: 60 * MINUTE,
  // A sound corroborates what happened around it, not an hour later.
  audio: 15 * MINUTE,
  // device.online ends it; presence reports every comeback.
  devices: null,
  sensors: 60 * MINUTE,
};

/**
 * A lower (better) state must be what the evidence says for this long before the lot
 * moves down to it; worse states apply at once. Keeps a reader that flickers between
 * "missing" and "complete" from flapping the lot and the bank's freeze.
 */
export const DEFAULT_DWELL_MS = 2 * MINUTE;
