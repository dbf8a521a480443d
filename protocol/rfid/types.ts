import type { TSchema } from 'typebox';

/** One tag observation, whatever reader format it came in. */
export interface RfidRead {
  /** Uppercase hex; always decodable by decodeEpc. */
  epc: string;
  antenna: number;
  /** dBm. */
  rssi: number;
  /** ISO 8601 UTC, millisecond precision. */
  ts: string;
  /** The `{id}` of the topic the payload came on. */
  readerId: string;
}

export type ReaderHealthKind = 'antennaConnected' | 'antennaDisconnected' | 'inventoryStatus' | 'overflow' | 'error';

/** A reader's report about itself, carried on the same topic as its reads. */
export interface ReaderHealth {
  readerId: string;
  ts: string;
  kind: ReaderHealthKind;
  antenna?: number;
  /** The vendor's own fields, plus `vendor`. */
  detail: Record<string, unknown>;
}

export interface RfidNormalised {
  reads: RfidRead[];
  health: ReaderHealth[];
  /** One line per dropped element, saying which element and why. */
  errors: string[];
}

export type JsonObject = Record<string, unknown>;

export interface NormaliseContext {
  readerId: string;
  /** ISO 8601 UTC arrival time, used when an element carries no timestamp. */
  receivedAt: string;
  /** How EPCs and timestamps are checked: plainly (element-fields.ts), or through a decoder's caches. */
  fields: FieldChecks;
}

/** What one element of a payload turned into. */
export type ElementResult =
  | { kind: 'read'; read: RfidRead }
  | { kind: 'health'; health: ReaderHealth }
  | { kind: 'error'; error: string };

export type FieldResult<T> = { ok: true; value: T } | { ok: false; error: ElementResult };

/**
 * The checks of an element's fields that a decoder may answer from its own caches (the
 * gateway's RFID stage keeps them per instance: readers repeat the same tags and the same
 * minute all day). Each must answer exactly as the plain check in element-fields.ts.
 */
export interface FieldChecks {
  /** Uppercase hex that decodeEpc accepts (checkedEpc). */
  epc(hex: string): FieldResult<string>;
  /** The EPC a base64 EPC bank spells, checked as by `epc` (checkedBase64Epc). */
  base64Epc(b64: string): FieldResult<string>;
  /** normaliseTimestamp of a device timestamp. */
  time(text: string): string | undefined;
  /** Whether `time(text)` gives a result. */
  validTime(text: string): boolean;
}

/** One per reader format, after the shape of MQTT.js's one-handler-per-packet-type. */
export type RfidElementNormaliser = (element: JsonObject, ctx: NormaliseContext) => ElementResult;

/**
 * How a tag read of a format is checked and what of it makes the read: the schema its
 * elements are checked against and the dotted paths of the fields `normalise` takes a
 * read from. read-layouts.ts learns element layouts from these.
 */
export interface ReadShape {
  readonly schema: TSchema;
  readonly fields: readonly string[];
  /**
   * The read straight from the values of `fields` as a learned layout holds them (JSON
   * values, undefined for a member the layout does not have), skipping the schema check
   * and the projection object that `normalise` needs. It must check every constraint the
   * schema puts on those fields and return a read only when `normalise` would make exactly
   * that read of the element; undefined says "not sure" and `normalise` decides. The
   * layout checks the element's other constrained members itself.
   */
  readonly read?: (ctx: NormaliseContext, ...values: unknown[]) => RfidRead | undefined;
}

export interface RfidFormat {
  readonly name: 'impinj' | 'zebra' | 'compact';
  readonly readShape: ReadShape;
  /** Shape test only: a matching element that is still invalid yields an error naming the format. */
  readonly matches: (element: JsonObject) => boolean;
  readonly normalise: RfidElementNormaliser;
}
