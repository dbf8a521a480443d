// On-disk framing of one record, pure: [length u32 LE][crc32 u32 LE][payload], the
// CRC covering the payload. The payload starts with a fixed header so recovery can
// rebuild the index without parsing JSON:
//   appendedAt f64 LE | seq f64 LE | severity u8 | record JSON (UTF-8)
// f64 holds every integer up to 2^53 exactly, which bounds seq.
import { crc32 } from 'node:zlib';
import type { Severity } from './types.ts';
import { severityFromRank, severityRank } from './types.ts';

export const FRAME_HEADER_BYTES = 8;
export const PAYLOAD_HEADER_BYTES = 17;
/** Framed size minus JSON size. */
export const FRAME_OVERHEAD = FRAME_HEADER_BYTES + PAYLOAD_HEADER_BYTES;
/** "{}" is the smallest JSON object. */
const MIN_PAYLOAD_BYTES = PAYLOAD_HEADER_BYTES + 2;

export interface FrameMeta {
  readonly seq: number;
  readonly severity: Severity;
  readonly appendedAt: number;
}

export interface ScannedFrame extends FrameMeta {
  readonly offset: number;
  /** Whole frame, header included. */
  readonly length: number;
}

export interface CorruptRegion {
  readonly offset: number;
  readonly length: number;
  readonly reason: 'crc' | 'length' | 'header' | 'order';
}

export interface ScanResult {
  readonly frames: ScannedFrame[];
  /** Bad bytes followed by at least one good frame: real corruption. */
  readonly corrupt: CorruptRegion[];
  /** End of the last good frame; bytes past it are a torn (unacknowledged) tail. */
  readonly validEnd: number;
}

export function encodeFrame(json: string, meta: FrameMeta): Buffer {
  const jsonBytes = Buffer.byteLength(json, 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_OVERHEAD + jsonBytes);
  encodeFrameInto(frame, 0, json, jsonBytes, meta);
  return frame;
}

/** Writes the frame at `offset` of `target`; returns the offset just past it. */
export function encodeFrameInto(target: Buffer, offset: number, json: string, jsonBytes: number, meta: FrameMeta): number {
  const end = offset + FRAME_OVERHEAD + jsonBytes;
  target.writeUInt32LE(PAYLOAD_HEADER_BYTES + jsonBytes, offset);
  target.writeDoubleLE(meta.appendedAt, offset + 8);
  target.writeDoubleLE(meta.seq, offset + 16);
  target.writeUInt8(severityRank(meta.severity), offset + 24);
  if (target.write(json, offset + FRAME_OVERHEAD, jsonBytes, 'utf8') !== jsonBytes) {
    throw new RangeError('record JSON did not encode to its announced length');
  }
  target.writeUInt32LE(crc32(target.subarray(offset + FRAME_HEADER_BYTES, end)), offset + 4);
  return end;
}

type FrameCheck =
  | { readonly ok: true; readonly frame: ScannedFrame }
  | { readonly ok: false; readonly reason: CorruptRegion['reason'] };

/**
 * Checks the frame at `offset`. Cheap header checks come before the CRC so that
 * resynchronising over garbage stays fast.
 */
export function checkFrame(buf: Buffer, offset: number, maxPayloadBytes: number, afterSeq: number): FrameCheck {
  if (offset + FRAME_HEADER_BYTES > buf.length) return { ok: false, reason: 'length' };
  const payloadLength = buf.readUInt32LE(offset);
  if (payloadLength < MIN_PAYLOAD_BYTES || payloadLength > maxPayloadBytes) return { ok: false, reason: 'length' };
  const end = offset + FRAME_HEADER_BYTES + payloadLength;
  if (end > buf.length) return { ok: false, reason: 'length' };
  const appendedAt = buf.readDoubleLE(offset + 8);
  const seq = buf.readDoubleLE(offset + 16);
  const rank = buf.readUInt8(offset + 24);
  if (!Number.isFinite(appendedAt) || !Number.isSafeInteger(seq) || seq < 0 || rank > 2) {
    return { ok: false, reason: 'header' };
  }
  if (crc32(buf.subarray(offset + FRAME_HEADER_BYTES, end)) !== buf.readUInt32LE(offset + 4)) {
    return { ok: false, reason: 'crc' };
  }
  if (seq <= afterSeq) return { ok: false, reason: 'order' };
  return {
    ok: true,
    frame: { offset, length: end - offset, seq, severity: severityFromRank(rank), appendedAt },
  };
}

/**
 * Walks a segment. On a bad frame it searches forward byte by byte for the next good
 * one: a damaged length field leaves no other way to find the next boundary. Bad
 * bytes with a good frame after them are corruption (counted, skipped); bad bytes at
 * the end are a torn tail from a write cut short, never acknowledged.
 */
export function scanFrames(buf: Buffer, maxPayloadBytes: number, afterSeq: number): ScanResult {
  const frames: ScannedFrame[] = [];
  const corrupt: CorruptRegion[] = [];
  let offset = 0;
  let lastSeq = afterSeq;
  while (offset < buf.length) {
    const check = checkFrame(buf, offset, maxPayloadBytes, lastSeq);
    if (check.ok) {
      frames.push(check.frame);
      lastSeq = check.frame.seq;
      offset += check.frame.length;
      continue;
    }
    const next = findNextFrame(buf, offset + 1, maxPayloadBytes, lastSeq);
    if (next === null) break;
    corrupt.push({ offset, length: next - offset, reason: check.reason });
    offset = next;
  }
  const last = frames.at(-1);
  return { frames, corrupt, validEnd: last === undefined ? 0 : last.offset + last.length };
}

function findNextFrame(buf: Buffer, from: number, maxPayloadBytes: number, afterSeq: number): number | null {
  for (let offset = from; offset + FRAME_HEADER_BYTES + MIN_PAYLOAD_BYTES <= buf.length; offset++) {
    if (checkFrame(buf, offset, maxPayloadBytes, afterSeq).ok) return offset;
  }
  return null;
}

/** Decodes one frame read back from disk, verifying its CRC again. */
export function decodeFrame(buf: Buffer, maxPayloadBytes: number): { meta: FrameMeta; json: Buffer } | null {
  const check = checkFrame(buf, 0, maxPayloadBytes, -1);
  if (!check.ok || check.frame.length !== buf.length) return null;
  const { seq, severity, appendedAt } = check.frame;
  return { meta: { seq, severity, appendedAt }, json: buf.subarray(FRAME_OVERHEAD) };
}
