// In-memory index of one segment's records, column by column: a million records
// then cost tens of megabytes of numbers instead of a million objects.
import type { Severity } from './types.ts';
import { severityFromRank, severityRank } from './types.ts';

export interface EntryMeta {
  readonly seq: number;
  readonly severity: Severity;
  readonly appendedAt: number;
  readonly offset: number;
  /** Whole frame on disk. */
  readonly length: number;
}

export class SegmentEntries {
  private readonly seqs: number[] = [];
  private readonly ranks: number[] = [];
  private readonly appendedAts: number[] = [];
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];

  get count(): number {
    return this.seqs.length;
  }

  push(entry: EntryMeta): void {
    this.pushValues(entry.seq, entry.severity, entry.appendedAt, entry.offset, entry.length);
  }

  /** push() without an intermediate object, for the append hot path. */
  pushValues(seq: number, severity: Severity, appendedAt: number, offset: number, length: number): void {
    this.seqs.push(seq);
    this.ranks.push(severityRank(severity));
    this.appendedAts.push(appendedAt);
    this.offsets.push(offset);
    this.lengths.push(length);
  }

  removeAt(index: number): void {
    for (const column of [this.seqs, this.ranks, this.appendedAts, this.offsets, this.lengths]) column.splice(index, 1);
  }

  seqAt(index: number): number {
    return column(this.seqs, index);
  }

  severityAt(index: number): Severity {
    return severityFromRank(column(this.ranks, index));
  }

  appendedAtAt(index: number): number {
    return column(this.appendedAts, index);
  }

  offsetAt(index: number): number {
    return column(this.offsets, index);
  }

  lengthAt(index: number): number {
    return column(this.lengths, index);
  }

  entryAt(index: number): EntryMeta {
    return {
      seq: this.seqAt(index),
      severity: this.severityAt(index),
      appendedAt: this.appendedAtAt(index),
      offset: this.offsetAt(index),
      length: this.lengthAt(index),
    };
  }

  lastSeq(): number | null {
    return this.seqs.at(-1) ?? null;
  }

  /** Index of the first entry with seq > `seq` (binary search; seqs rise). */
  firstIndexAfter(seq: number): number {
    let low = 0;
    let high = this.seqs.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (column(this.seqs, mid) <= seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function column(values: readonly number[], index: number): number {
  const value = values[index];
  if (value === undefined) throw new RangeError(`segment entry ${index} out of range`);
  return value;
}
