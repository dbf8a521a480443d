// What the file store knows about its segments, kept in memory and free of I/O: the
// pending counters, the eviction candidates and the plan of what `peek` must read.
import { FRAME_OVERHEAD } from './frame-codec.ts';
import type { PreparedAppend } from './record-codec.ts';
import type { Segment } from './segment-files.ts';
import type { EvictionCandidate } from './size-policy.ts';

export interface ReadPlan {
  readonly segment: Segment;
  /** Entry indexes [start, end) of `segment`, contiguous in seq order. */
  readonly start: number;
  readonly end: number;
}

export class SegmentIndex {
  readonly segments: Segment[];
  ackedSeq: number;
  lastSeq: number;
  pendingCount = 0;
  pendingBytes = 0;

  constructor(segments: Segment[], ackedSeq: number, lastSeq: number) {
    this.segments = segments;
    this.ackedSeq = ackedSeq;
    this.lastSeq = lastSeq;
    for (const segment of segments) {
      const { entries } = segment;
      for (let index = entries.firstIndexAfter(ackedSeq); index < entries.count; index++) {
        this.pendingCount += 1;
        this.pendingBytes += entries.lengthAt(index);
      }
    }
  }

  diskBytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.sizeBytes;
    return total;
  }

  oldestPendingAt(): number | null {
    for (const { entries } of this.segments) {
      const index = entries.firstIndexAfter(this.ackedSeq);
      if (index < entries.count) return entries.appendedAtAt(index);
    }
    return null;
  }

  recordAppended(segment: Segment, appends: readonly PreparedAppend[], appendedAt: number): void {
    let offset = segment.sizeBytes;
    for (const append of appends) {
      for (const record of append.records) {
        const length = record.jsonBytes + FRAME_OVERHEAD;
        segment.entries.pushValues(record.seq, record.severity, appendedAt, offset, length);
        offset += length;
        this.pendingCount += 1;
        this.pendingBytes += length;
        this.lastSeq = record.seq;
      }
    }
    segment.sizeBytes = offset;
  }

  /** Moves the cursor; the caller has made it durable first. */
  recordAcked(uptoSeq: number): void {
    for (const { entries } of this.segments) {
      for (let index = entries.firstIndexAfter(this.ackedSeq); index < entries.count && entries.seqAt(index) <= uptoSeq; index++) {
        this.pendingCount -= 1;
        this.pendingBytes -= entries.lengthAt(index);
      }
    }
    this.ackedSeq = uptoSeq;
  }

  /**
   * Segments at the head with nothing pending, which may be deleted; never the one
   * holding the newest record, which lastRecord() must still find.
   */
  fullyAcked(): Segment[] {
    const done: Segment[] = [];
    for (const segment of this.segments) {
      const last = segment.entries.lastSeq();
      if (last !== null && (last > this.ackedSeq || last === this.lastSeq)) break;
      done.push(segment);
    }
    return done;
  }

  /** Where the newest record still on disk is. */
  newest(): { segment: Segment; index: number } | null {
    for (let position = this.segments.length - 1; position >= 0; position--) {
      const segment = this.segments[position];
      if (segment !== undefined && segment.entries.count > 0) return { segment, index: segment.entries.count - 1 };
    }
    return null;
  }

  removeSegment(segment: Segment): void {
    const position = this.segments.indexOf(segment);
    if (position < 0) return;
    const { entries } = segment;
    for (let index = entries.firstIndexAfter(this.ackedSeq); index < entries.count; index++) {
      this.pendingCount -= 1;
      this.pendingBytes -= entries.lengthAt(index);
    }
    this.segments.splice(position, 1);
  }

  /** Replaces a segment's content after a rewrite; `null` means it was deleted. */
  replaceSegment(segment: Segment, rewritten: { entries: Segment['entries']; sizeBytes: number } | null): void {
    this.removeSegment(segment);
    if (rewritten === null) return;
    segment.entries = rewritten.entries;
    segment.sizeBytes = rewritten.sizeBytes;
    const position = this.segments.findIndex((other) => other.name > segment.name);
    this.segments.splice(position < 0 ? this.segments.length : position, 0, segment);
    const { entries } = segment;
    for (let index = entries.firstIndexAfter(this.ackedSeq); index < entries.count; index++) {
      this.pendingCount += 1;
      this.pendingBytes += entries.lengthAt(index);
    }
  }

  /** Drops one record found corrupt on read. */
  removeEntry(segment: Segment, index: number): void {
    const { entries } = segment;
    if (entries.seqAt(index) > this.ackedSeq) {
      this.pendingCount -= 1;
      this.pendingBytes -= entries.lengthAt(index);
    }
    entries.removeAt(index);
  }

  /**
   * Pending info records, oldest first: the only ones the size bound may evict. The
   * newest record is spared: the chain continues from it after a restart.
   */
  *infoCandidates(): Generator<EvictionCandidate> {
    for (const { entries } of this.segments) {
      for (let index = entries.firstIndexAfter(this.ackedSeq); index < entries.count; index++) {
        const seq = entries.seqAt(index);
        if (entries.severityAt(index) === 'info' && seq !== this.lastSeq) yield { seq, bytes: entries.lengthAt(index) };
      }
    }
  }

  /** At most `maxCount` records and `maxJsonBytes` of JSON, but never zero if any is pending. */
  planPeek(maxCount: number, maxJsonBytes: number): ReadPlan[] {
    const plans: ReadPlan[] = [];
    let count = 0;
    let bytes = 0;
    for (const segment of this.segments) {
      const { entries } = segment;
      const start = entries.firstIndexAfter(this.ackedSeq);
      let end = start;
      while (end < entries.count && count < maxCount) {
        const json = entries.lengthAt(end) - FRAME_OVERHEAD;
        if (count > 0 && bytes + json > maxJsonBytes) break;
        count += 1;
        bytes += json;
        end += 1;
      }
      if (end > start) plans.push({ segment, start, end });
      if (end < entries.count || count >= maxCount) break;
    }
    return plans;
  }
}
