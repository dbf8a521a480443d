// Plain data shared by every outbox store and the sender.

export type Severity = 'info' | 'warning' | 'critical';

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

/**
 * The least the outbox needs to know about a record. The rest of the payload is
 * opaque to it: it is stored as JSON and handed back byte-for-byte equivalent, so
 * the event's hash and signature stay valid.
 */
export interface OutboxRecord {
  readonly id: string;
  readonly seq: number;
  readonly severity: Severity;
}

/**
 * A record with the JSON its producer already made of it (the event log, while
 * sealing), so the outbox frames and writes those bytes instead of serialising the
 * record a second time. `JSON.parse(json)` must equal `record`: the JSON is what is
 * stored and handed back; `record` supplies the seq and severity of the frame header.
 */
export interface SerialisedRecord<R extends OutboxRecord = OutboxRecord> {
  readonly record: R;
  readonly json: string;
}

export interface StoredRecord<R extends OutboxRecord = OutboxRecord> {
  readonly record: R;
  /** Epoch milliseconds at which the store accepted the record. */
  readonly appendedAt: number;
  /** Size of the record's JSON in UTF-8 bytes (what goes on the wire). */
  readonly bytes: number;
}

export interface OutboxStats {
  /** Records appended and neither acknowledged, evicted nor lost to corruption. */
  readonly pending: number;
  /** On-disk (framed) bytes of the pending records; the quantity `maxBytes` bounds. */
  readonly pendingBytes: number;
  /** `appendedAt` of the oldest pending record, null when nothing is pending. */
  readonly oldestTs: number | null;
  readonly lastAppendedSeq: number | null;
  readonly lastAckedSeq: number | null;
  /** Corrupted records found (at open or on read) and skipped since open. */
  readonly corruptRecordsSkipped: number;
  /** Pending info records dropped by the size bound since open. */
  readonly evictedRecords: number;
  /** Records refused with OutboxFullError since open. */
  readonly rejectedRecords: number;
  /** Write+fsync cycles since open; concurrent appends share one (group commit). */
  readonly commits: number;
  readonly segments: number;
  readonly diskBytes: number;
}

export interface CorruptionReport {
  readonly segment: string;
  readonly offset: number;
  readonly length: number;
  readonly reason: 'crc' | 'length' | 'header' | 'order' | 'decode' | 'cursor';
}

export interface EvictionReport {
  readonly seqs: readonly number[];
  /** Framed bytes freed. */
  readonly bytes: number;
}

export interface AppendNotice {
  readonly count: number;
  readonly lastSeq: number;
}

export type AppendListener = (notice: AppendNotice) => void;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

export function severityFromRank(rank: number): Severity {
  const severity = SEVERITIES[rank];
  if (severity === undefined) throw new RangeError(`unknown severity rank ${rank}`);
  return severity;
}

export function isSeverity(value: unknown): value is Severity {
  return value === 'info' || value === 'warning' || value === 'critical';
}
