// Checks and serialises records on the way in, and checks them on the way out.
import { InvalidRecordError, OutboxSequenceError } from './errors.ts';
import type { OutboxRecord, SerialisedRecord, Severity } from './types.ts';
import { isSeverity, severityRank } from './types.ts';

/** Internal marker for "no seq yet"; valid seqs are >= 0. */
export const NO_SEQ = -1;

export interface PreparedRecord {
  readonly seq: number;
  readonly severity: Severity;
  /** Kept as a string and encoded straight into the commit buffer: one copy, not two. */
  readonly json: string;
  readonly jsonBytes: number;
}

export interface PreparedAppend {
  readonly records: readonly PreparedRecord[];
  readonly jsonBytes: number;
  readonly severity: Severity;
  readonly firstSeq: number;
  readonly lastSeq: number;
}

/** Throws synchronously so a bad call fails before it joins a commit group. */
export function prepareAppend(records: readonly OutboxRecord[], afterSeq: number, maxRecordBytes: number): PreparedAppend {
  return prepare(records, (record) => record, (record) => JSON.stringify(record), afterSeq, maxRecordBytes);
}

/** prepareAppend() for records that arrive with their JSON: no serialising, a cheap header check instead. */
export function prepareSerialisedAppend(records: readonly SerialisedRecord[], afterSeq: number, maxRecordBytes: number): PreparedAppend {
  return prepare(records, (item) => item.record, serialisedJson, afterSeq, maxRecordBytes);
}

function prepare<T>(
  items: readonly T[],
  recordOf: (item: T) => OutboxRecord,
  jsonOf: (item: T, record: OutboxRecord) => string,
  afterSeq: number,
  maxRecordBytes: number,
): PreparedAppend {
  const prepared: PreparedRecord[] = [];
  let previous = afterSeq;
  let jsonBytes = 0;
  let maxRank = 0;
  for (const item of items) {
    const record = recordOf(item);
    checkShape(record);
    if (record.seq <= previous) {
      throw new OutboxSequenceError(`seq ${record.seq} does not follow ${previous === NO_SEQ ? 'nothing' : previous}`);
    }
    const json = jsonOf(item, record);
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > maxRecordBytes) {
      throw new InvalidRecordError(`record ${record.seq} is ${bytes} bytes, over the ${maxRecordBytes} limit`);
    }
    prepared.push({ seq: record.seq, severity: record.severity, json, jsonBytes: bytes });
    previous = record.seq;
    jsonBytes += bytes;
    maxRank = Math.max(maxRank, severityRank(record.severity));
  }
  const first = prepared[0];
  const last = prepared.at(-1);
  if (first === undefined || last === undefined) throw new InvalidRecordError('append needs at least one record');
  return {
    records: prepared,
    jsonBytes,
    severity: maxRank === 2 ? 'critical' : maxRank === 1 ? 'warning' : 'info',
    firstSeq: first.seq,
    lastSeq: last.seq,
  };
}

/**
 * JSON handed over with the wrong record would pass the CRC yet fail the header
 * check on read, and be skipped as corruption long after the append succeeded.
 * Parsing it back would cost what handing it over saves, so only the seq is looked
 * for: seqs are unique, so this catches JSON paired with the wrong record, though it
 * is no proof that the two are equal.
 */
function serialisedJson(item: SerialisedRecord, record: OutboxRecord): string {
  const { json } = item;
  if (typeof json !== 'string' || !carriesSeq(json, record.seq)) {
    throw new InvalidRecordError(`the JSON handed over with record ${record.seq} does not carry its seq`);
  }
  return json;
}

const SEQ_MEMBER = '"seq":';
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COMMA = 0x2c;
const CLOSING_BRACE = 0x7d;

/** Reads the digits in place: no string is built per record, which the bench showed to cost. */
function carriesSeq(json: string, seq: number): boolean {
  for (let at = json.indexOf(SEQ_MEMBER); at >= 0; at = json.indexOf(SEQ_MEMBER, at + 1)) {
    let position = at + SEQ_MEMBER.length;
    let value = 0;
    let code = json.charCodeAt(position);
    if (!(code >= DIGIT_0 && code <= DIGIT_9)) continue;
    while (code >= DIGIT_0 && code <= DIGIT_9) {
      value = value * 10 + (code - DIGIT_0);
      position += 1;
      code = json.charCodeAt(position);
    }
    if (value === seq && (code === COMMA || code === CLOSING_BRACE)) return true;
  }
  return false;
}

function checkShape(record: OutboxRecord): void {
  if (typeof record !== 'object' || record === null) throw new InvalidRecordError('record must be an object');
  if (typeof record.id !== 'string' || record.id.length === 0) throw new InvalidRecordError('record.id must be a non-empty string');
  if (!Number.isSafeInteger(record.seq) || record.seq < 0) throw new InvalidRecordError(`record.seq must be a non-negative integer, got ${String(record.seq)}`);
  if (!isSeverity(record.severity)) throw new InvalidRecordError(`record.severity must be info, warning or critical`);
}

/**
 * Parses a record read back and checks it against its frame header; null means the
 * bytes passed the CRC yet are not what was written (a bug, or a CRC collision).
 */
export function decodeRecord(json: string, seq: number, severity: Severity): OutboxRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  return matchesHeader(value, seq, severity) ? value : null;
}

function matchesHeader(value: unknown, seq: number, severity: Severity): value is OutboxRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'string' &&
    'seq' in value &&
    value.seq === seq &&
    'severity' in value &&
    value.severity === severity
  );
}
