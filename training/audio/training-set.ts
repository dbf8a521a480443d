import { Rng, synthesiseClip, type ClipLabel } from '../../firmware-sim/index.ts';
import { AUDIO_CLASSES, type AudioClass } from '../../gateway/audio/classifier/audio-classes.ts';
import { HOP_SAMPLES, WINDOW_SAMPLES } from '../../gateway/audio/log-mel.ts';
import { FeatureStream, WINDOW_FRAMES } from '../../gateway/audio/feature-stream.ts';
import { MODEL_RATE } from '../../gateway/audio/pcm-chunk.ts';

/** Exactly one analysis window of samples. */
const CLIP_SAMPLES = WINDOW_FRAMES * HOP_SAMPLES + WINDOW_SAMPLES;
const CLIP_S = CLIP_SAMPLES / MODEL_RATE;

// The simulator calls an impact what it makes: a door slamming.
const SYNTH_LABEL: Readonly<Record<AudioClass, ClipLabel>> = {
  ambient: 'ambient',
  engine: 'engine',
  cutting: 'cutting',
  alarm: 'alarm',
  voices: 'voices',
  impact: 'door-slam',
};

export interface Example {
  classIndex: number;
  logMel: Float32Array;
}

/**
 * One labelled example: the simulator's room tone and sound at a random SNR, then the
 * variations a site brings: overall level from a faint far microphone to clipping,
 * another sound mixed in underneath (the label stays the loudest one), extra broadband
 * background, and 50 or 60 Hz mains.
 */
export function synthesiseExample(classIndex: number, seed: number): Example {
  const rng = new Rng(seed);
  const label = AUDIO_CLASSES[classIndex] as AudioClass;
  const clip = synthesiseClip({
    label: SYNTH_LABEL[label],
    seed: rng.fork('clip').seed,
    durationS: CLIP_S,
    snrDb: rng.range(0, 26),
    mainsHz: rng.chance(0.5) ? 50 : 60,
  });
  const x = clip.samples.subarray(0, CLIP_SAMPLES);
  if (label !== 'ambient' && rng.chance(0.3)) {
    const others = AUDIO_CLASSES.filter((c) => c !== label && c !== 'ambient');
    const other = synthesiseClip({ label: SYNTH_LABEL[rng.pick(others)], seed: rng.fork('mix').seed, durationS: CLIP_S, snrDb: 10 });
    const g = 10 ** (rng.range(-16, -6) / 20);
    for (let i = 0; i < x.length; i += 1) x[i] = (x[i] as number) + g * (other.samples[i] as number);
  }
  if (rng.chance(0.3)) {
    const noise = 10 ** (rng.range(-70, -45) / 20);
    for (let i = 0; i < x.length; i += 1) x[i] = (x[i] as number) + noise * rng.normal();
  }
  const gain = 10 ** (rng.range(-30, 8) / 20);
  for (let i = 0; i < x.length; i += 1) {
    // 16-bit quantisation and clipping, as a microphone delivers it.
    const v = Math.round((x[i] as number) * gain * 32767) / 32768;
    x[i] = v > 0.99997 ? 0.99997 : v < -1 ? -1 : v;
  }
  const [window] = new FeatureStream().push({ startMs: 0, samples: x, continues: false });
  if (!window) throw new Error('a training clip must fill one window');
  return { classIndex, logMel: window.logMel };
}

/** `perClass` examples of each class, interleaved, from seeds derived from `seed`. */
export function synthesiseSet(perClass: number, seed: number, onProgress?: (done: number, total: number) => void): Example[] {
  const out: Example[] = [];
  const total = perClass * AUDIO_CLASSES.length;
  for (let i = 0; i < perClass; i += 1) {
    for (let c = 0; c < AUDIO_CLASSES.length; c += 1) {
      out.push(synthesiseExample(c, seed * 1_000_003 + i * 31 + c));
      onProgress?.(out.length, total);
    }
  }
  return out;
}
