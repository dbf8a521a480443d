import { Rng } from '../core/prng.ts';
import type { SoundLabel } from '../model/types.ts';
import { dbToGain, encodeS16le, rms } from './dsp.ts';
import type { Voice } from './voice.ts';
import { AlarmVoice, AmbientVoice, CuttingVoice, DoorSlamVoice, EngineVoice, VoicesVoice } from './voices.ts';

/**
 * Warehouse sound synthesis, pure and seeded. The microphones stream it; a training
 * script can call `synthesiseClip` for labelled examples of each class. Labels match the
 * gateway's `audio.anomaly` evidence labels, plus `door-slam` and `ambient`.
 */
export type ClipLabel = 'ambient' | SoundLabel;

export const CLIP_LABELS: readonly ClipLabel[] = ['ambient', 'engine', 'cutting', 'alarm', 'voices', 'door-slam'];

export { encodeS16le } from './dsp.ts';
export { AmbientVoice } from './voices.ts';
export type { Voice } from './voice.ts';

/**
 * Gain of each source so that at 5 m it sits where it would above a quiet hall's room tone
 * (about −38 dBFS): a forklift ~15 dB above, a grinder ~20 dB, conversation ~10 dB.
 */
export const REFERENCE_LEVEL_DB: Readonly<Record<SoundLabel, number>> = {
  engine: -3,
  cutting: 2,
  alarm: -3,
  voices: -6,
  'door-slam': 6,
};

/** A fresh sound source; the same label, seed and rate give the same samples. */
export function createVoice(label: SoundLabel, seed: number, rate: number, durationS: number): Voice {
  const rng = new Rng(seed);
  switch (label) {
    case 'engine':
      return new EngineVoice(rng, rate, durationS);
    case 'cutting':
      return new CuttingVoice(rng, rate, durationS);
    case 'alarm':
      return new AlarmVoice(rng, rate, durationS);
    case 'voices':
      return new VoicesVoice(rng, rate, durationS);
    case 'door-slam':
      return new DoorSlamVoice(rng, rate, Math.min(durationS, 1.2));
  }
}

export interface ClipOptions {
  label: ClipLabel;
  seed: number;
  durationS: number;
  /** Sample rate, Hz; 16,000 by default as the microphones stream. */
  rate?: number;
  /** Event RMS over its active span relative to the ambient RMS, dB; 10 by default. */
  snrDb?: number;
  mainsHz?: number;
}

export interface Clip {
  label: ClipLabel;
  rate: number;
  samples: Float32Array;
  /** Where the labelled sound is, seconds; empty for ambient. */
  events: { label: SoundLabel; startS: number; endS: number }[];
}

/**
 * One labelled clip: room tone plus, unless `ambient`, one event at the requested SNR.
 * Long sounds fill the clip; a door slam lands somewhere in its first half.
 */
export function synthesiseClip(options: ClipOptions): Clip {
  const rate = options.rate ?? 16_000;
  if (!(options.durationS > 0)) throw new RangeError('durationS must be positive');
  const n = Math.round(options.durationS * rate);
  const rng = new Rng(options.seed);
  const samples = new Float32Array(n);
  new AmbientVoice(rng.fork('ambient'), rate, options.mainsHz ?? 50).addTo(samples, 0, n, 1);
  if (options.label === 'ambient') return { label: 'ambient', rate, samples, events: [] };
  const label = options.label;
  const start = label === 'door-slam' ? rng.int(0, Math.floor(n / 2)) : 0;
  const event = new Float32Array(n);
  const voice = createVoice(label, rng.fork('event').seed, rate, (n - start) / rate);
  const length = voice.addTo(event, start, n - start, 1);
  const ambientRms = rms(samples, start, start + length);
  const eventRms = rms(event, start, start + length);
  const gain = eventRms > 0 ? (ambientRms * dbToGain(options.snrDb ?? 10)) / eventRms : 0;
  let peak = 0;
  for (let i = 0; i < n; i += 1) {
    const v = (samples[i] as number) + (event[i] as number) * gain;
    samples[i] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  if (peak > 0.99) for (let i = 0; i < n; i += 1) samples[i] = ((samples[i] as number) * 0.99) / peak;
  return { label, rate, samples, events: [{ label, startS: start / rate, endS: (start + length) / rate }] };
}

/** The same clip as 16-bit PCM, ready to write to a WAV body or publish. */
export function synthesiseClipPcm(options: ClipOptions): Buffer {
  return encodeS16le(synthesiseClip(options).samples);
}
