import { normaliseTimestamp } from '../../protocol/index.ts';
import type { DeviceMessage } from '../pipeline/device-message.ts';

/** The rate the features and the classifier are built for; PROTOCOL.md's default. */
export const MODEL_RATE = 16_000;

/** One microphone chunk after its envelope was checked. */
export interface PcmChunk {
  deviceId: string;
  /** Samples scaled to [-1, 1). */
  samples: Float32Array;
  /** Start of the chunk on the device's clock (epoch ms): its `ts`, else arrival minus its length. */
  startMs: number;
  /** The device's `seq` when it sent one. */
  seq: number | undefined;
  /** Whether `startMs` is the arrival-time assumption (no usable `ts`, MQTT 3.1.1 brokers drop it). */
  assumedTime: boolean;
}

export type ChunkError = 'empty' | 'bad_rate' | 'wrong_rate' | 'bad_seq';

export type ChunkResult =
  | { ok: true; chunk: PcmChunk; /** A trailing odd byte was cut off (a truncated chunk). */ oddByte: boolean }
  | { ok: false; reason: ChunkError; detail: string };

const SEQ_MAX = Number.MAX_SAFE_INTEGER;

/**
 * Reads a `wh/{site}/audio/{id}/pcm` message (PROTOCOL.md): s16le mono, user properties
 * `rate` (default 16 kHz), `ts` and `seq`. A chunk at another rate than the model's is
 * refused (counted as `wrong_rate`), never resampled behind the operator's back; an odd
 * byte count keeps its whole samples and is counted. Pure.
 */
export function decodePcmChunk(message: DeviceMessage): ChunkResult {
  const props = message.userProperties;
  const rateText = props['rate'];
  if (rateText !== undefined) {
    const rate = Number(rateText);
    if (!Number.isInteger(rate) || rate < 1_000 || rate > 384_000) return { ok: false, reason: 'bad_rate', detail: `rate ${rateText.slice(0, 20)}` };
    if (rate !== MODEL_RATE) return { ok: false, reason: 'wrong_rate', detail: `rate ${rate}, expected ${MODEL_RATE}` };
  }
  const count = Math.floor(message.payload.byteLength / 2);
  if (count === 0) return { ok: false, reason: 'empty', detail: `${message.payload.byteLength} bytes` };
  let seq: number | undefined;
  const seqText = props['seq'];
  if (seqText !== undefined) {
    seq = Number(seqText);
    if (!Number.isInteger(seq) || seq < 0 || seq > SEQ_MAX) return { ok: false, reason: 'bad_seq', detail: `seq ${seqText.slice(0, 20)}` };
  }
  const samples = new Float32Array(count);
  const view = message.payload;
  for (let i = 0; i < count; i += 1) samples[i] = view.readInt16LE(i * 2) / 32768;
  const durationMs = (count * 1000) / MODEL_RATE;
  const stamped = props['ts'] === undefined ? undefined : normaliseTimestamp(props['ts']);
  const startMs = stamped === undefined ? message.receivedAt.getTime() - durationMs : Date.parse(stamped);
  return {
    ok: true,
    oddByte: message.payload.byteLength % 2 === 1,
    chunk: { deviceId: message.deviceId, samples, startMs, seq, assumedTime: stamped === undefined },
  };
}
