import type { EvidenceKind } from '../../protocol/index.ts';

/**
 * The independent kinds of evidence fusion weighs against each other (listed in the
 * protocol, since `lot.state` evidence names them). Two findings of the same kind never
 * corroborate each other; two of different kinds do.
 */
export { EVIDENCE_KINDS, type EvidenceKind } from '../../protocol/index.ts';

/** Camera tamper kinds of PROTOCOL.md, plus `tampered` for a kind the video stage adds later. */
export const TAMPER_SIGNALS = ['covered', 'blurred', 'moved', 'frozen', 'tampered'] as const;

/**
 * Where a finding applies: to one lot (RFID reconciliation names the lot) or to every
 * lot stored in a zone (a camera, microphone or device covers a zone, not a lot). Zone
 * findings are kept per zone, so a lot added to the manifest later sees them too.
 */
export type Scope = `lot:${string}` | `zone:${string}`;

export const lotScope = (lotId: string): Scope => `lot:${lotId}`;
export const zoneScope = (zone: string): Scope => `zone:${zone}`;

/** What one event says about one scope. */
export interface Observation {
  kind: EvidenceKind;
  /** Who observed it: a device ref (`s1/camera/cam-a`) or, for RFID reconciliation, the lot id. */
  source: string;
  /** What was observed, in the vocabulary rules use (see README "Signals"). */
  signal: string;
  /** Half a sentence for a person: "3 tags missing", "engine sound on s1/audio/mic-1". */
  summary: string;
  eventId: string;
  at: number;
  atNight: boolean;
}

/**
 * An ongoing finding: the same kind, source and signal seen again is the same item, kept
 * alive rather than duplicated. `eventIds` are the events a person should open: the one
 * that established it and those that changed what it says.
 */
export interface EvidenceItem {
  /** Unique in the store: scope and key. */
  id: string;
  scope: Scope;
  kind: EvidenceKind;
  source: string;
  signal: string;
  summary: string;
  eventIds: string[];
  firstAt: number;
  lastAt: number;
  /** Null: holds until a clearing event removes it. */
  expiresAt: number | null;
  /** Whether any of its observations fell in the site's night hours. */
  atNight: boolean;
}

/** An event that withdraws earlier findings (complete RFID count, device back, camera restored). */
export interface Clearing {
  /** Undefined: wherever the source's findings are (a device ref is unique on the site). */
  scope?: Scope | undefined;
  kind: EvidenceKind;
  source?: string | undefined;
  /** Undefined: every signal of the kind (and source). */
  signals?: readonly string[] | undefined;
  eventId: string;
  /** Findings observed after this moment stand: a clearing cannot disprove the future. */
  at: number;
  summary: string;
}

/** Everything one event means to fusion. */
export interface EvidenceInput {
  observations: Array<{ scope: Scope; observation: Observation }>;
  clearings: Clearing[];
}
