import { HOP_SAMPLES, LogMel, MEL_BANDS, WINDOW_SAMPLES } from './log-mel.ts';
import { MODEL_RATE } from './pcm-chunk.ts';
import type { Segment } from './stream-reassembly.ts';

/** Frames per analysis window: 100 hops of 10 ms, one second of sound. */
export const WINDOW_FRAMES = 100;
export const WINDOW_MS = (WINDOW_FRAMES * HOP_SAMPLES * 1000) / MODEL_RATE;
const WINDOW_HOP_SAMPLES = WINDOW_FRAMES * HOP_SAMPLES;
/** A sample this close to full scale counts as clipped. */
const CLIP_LEVEL = 32_700 / 32_768;
const DBFS_FLOOR = -120;

/** One second of a microphone: what the classifier, the baseline and the health check see. */
export interface AudioWindow {
  startMs: number;
  /** WINDOW_FRAMES × MEL_BANDS log-mel values, frame-major. */
  logMel: Float32Array;
  /** RMS level of the window's samples, dB relative to full scale (a full-scale square wave is 0). */
  dbfs: number;
  /** Share of samples at full scale. */
  clipped: number;
  /** The window's samples, kept for an evidence clip. */
  samples: Float32Array;
}

function dbfsOf(meanSquare: number): number {
  return meanSquare > 0 ? Math.max(DBFS_FLOOR, 10 * Math.log10(meanSquare)) : DBFS_FLOOR;
}

/**
 * Cuts a microphone's segments into one-second windows of log-mel frames. Frames run on
 * across chunk boundaries; a discontinuity (`continues: false`) starts afresh, so a
 * window never spans a gap. Pure apart from its own buffers.
 */
export class FeatureStream {
  private readonly mel = new LogMel();
  private buffer = new Float32Array(WINDOW_HOP_SAMPLES + WINDOW_SAMPLES);
  private filled = 0;
  /** Device time (ms) of buffer[0]. */
  private bufferStartMs = 0;

  push(segment: Segment): AudioWindow[] {
    if (!segment.continues || this.filled === 0) {
      this.filled = 0;
      this.bufferStartMs = segment.startMs;
    }
    const out: AudioWindow[] = [];
    let offset = 0;
    while (offset < segment.samples.length) {
      const take = Math.min(segment.samples.length - offset, this.buffer.length - this.filled);
      this.buffer.set(segment.samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.buffer.length) out.push(this.cut());
    }
    return out;
  }

  private cut(): AudioWindow {
    const logMel = new Float32Array(WINDOW_FRAMES * MEL_BANDS);
    for (let f = 0; f < WINDOW_FRAMES; f += 1) this.mel.frame(this.buffer, f * HOP_SAMPLES, logMel, f * MEL_BANDS);
    let sumSquares = 0;
    let clipped = 0;
    for (let i = 0; i < WINDOW_HOP_SAMPLES; i += 1) {
      const v = this.buffer[i] as number;
      sumSquares += v * v;
      if (v >= CLIP_LEVEL || v <= -CLIP_LEVEL) clipped += 1;
    }
    const samples = this.buffer.slice(0, WINDOW_HOP_SAMPLES);
    const window: AudioWindow = { startMs: this.bufferStartMs, logMel, dbfs: dbfsOf(sumSquares / WINDOW_HOP_SAMPLES), clipped: clipped / WINDOW_HOP_SAMPLES, samples };
    // The overlap (last frame's tail) stays for the next window's first frames.
    this.buffer.copyWithin(0, WINDOW_HOP_SAMPLES, this.filled);
    this.filled -= WINDOW_HOP_SAMPLES;
    this.bufferStartMs += WINDOW_MS;
    return window;
  }
}
