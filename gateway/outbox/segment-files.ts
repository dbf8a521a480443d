// Segment naming and the store's mutable view of one segment. A segment is named
// after the seq of its first record (as Kafka does), zero-padded so that name order
// is seq order.
import { SegmentEntries } from './segment-entries.ts';

export const SEGMENT_SUFFIX = '.seg';
export const TEMP_SUFFIX = '.tmp';
const SEGMENT_NAME = /^\d{20}\.seg$/;

export interface Segment {
  readonly name: string;
  entries: SegmentEntries;
  sizeBytes: number;
}

export function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(20, '0')}${SEGMENT_SUFFIX}`;
}

export function isSegmentName(name: string): boolean {
  return SEGMENT_NAME.test(name);
}

export function isTempName(name: string): boolean {
  return name.endsWith(TEMP_SUFFIX);
}

export function newSegment(name: string): Segment {
  return { name, entries: new SegmentEntries(), sizeBytes: 0 };
}
