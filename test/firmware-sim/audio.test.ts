import { describe, expect, it } from 'vitest';
import { Biquad, rms } from '../../firmware-sim/audio/dsp.ts';
import { CLIP_LABELS, createSimulation, synthesiseClip, type ClipLabel } from '../../firmware-sim/index.ts';
import { collect, siteS1 } from './helpers.ts';

const MIC_ONLY = { rfid: { enabled: false }, camera: { enabled: false }, sensors: { enabled: false } };

function pcm(payload: Buffer): Float32Array {
  const out = new Float32Array(payload.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = payload.readInt16LE(i * 2) / 32768;
  return out;
}

/** Share of energy below 300 Hz, between 300 Hz and 2 kHz, and above 2 kHz. */
function bands(x: Float32Array, rate: number): { lo: number; mid: number; hi: number } {
  const lp = Biquad.lowpass(rate, 300);
  const hp = Biquad.highpass(rate, 2_000);
  const m1 = Biquad.lowpass(rate, 2_000);
  const m2 = Biquad.highpass(rate, 300);
  let lo = 0;
  let mid = 0;
  let hi = 0;
  for (const v of x) {
    lo += lp.step(v) ** 2;
    hi += hp.step(v) ** 2;
    mid += m2.step(m1.step(v)) ** 2;
  }
  const all = lo + mid + hi;
  return { lo: lo / all, mid: mid / all, hi: hi / all };
}

describe('microphones', () => {
  it('stream 0.5 s chunks of 16 kHz s16le PCM with rate and ts user properties', async () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 1, devices: MIC_ONLY });
    const chunks = (await collect(sim, sim.startMs + 9_900)).filter((m) => m.channel === 'audio');
    expect(chunks.length).toBe(20);
    chunks.forEach((m, i) => {
      expect(m.topic).toBe('wh/s1/audio/mic-1/pcm');
      expect(m.payload.length).toBe(16_000);
      expect(m.userProperties?.['rate']).toBe('16000');
      expect(m.userProperties?.['ts']).toBe(new Date(sim.startMs + i * 500).toISOString());
    });
    // Night room tone: quiet but never digital silence.
    const level = 20 * Math.log10(rms(pcm(chunks[5]?.payload ?? Buffer.alloc(2))));
    expect(level).toBeGreaterThan(-55);
    expect(level).toBeLessThan(-25);
  });

  it('hear the forklift of a night theft well above the room tone', async () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'night-theft', seed: 1, devices: { ...MIC_ONLY, audio: { chunkMs: 1_000 } } });
    // Scenario sounds are planned up front; jump to just before the first engine starts.
    const engine = sim.warehouse.soundsDuring(sim.startMs, sim.endMs).find((s) => s.label === 'engine');
    const start = engine?.startMs ?? sim.endMs;
    sim.skipTo(start - 2 * 60_000);
    const chunks = (await collect(sim, start + 60_000)).filter((m) => m.channel === 'audio');
    expect(sim.groundTruth().some((g) => g.kind === 'audio-event' && g.detail['label'] === 'engine' && Date.parse(g.ts) === start)).toBe(true);
    const quiet = chunks.find((m) => m.simTs < start - 60_000);
    const loud = chunks.find((m) => m.simTs >= start + 30_000);
    const gainDb = 20 * Math.log10(rms(pcm(loud?.payload ?? Buffer.alloc(2))) / rms(pcm(quiet?.payload ?? Buffer.alloc(2))));
    expect(gainDb).toBeGreaterThan(10);
    expect(bands(pcm(loud?.payload ?? Buffer.alloc(2)), 16_000).lo).toBeGreaterThan(0.5);
  });
});

describe('synthesiseClip', () => {
  it('is deterministic from its seed', () => {
    const a = synthesiseClip({ label: 'engine', seed: 5, durationS: 1 });
    const b = synthesiseClip({ label: 'engine', seed: 5, durationS: 1 });
    const c = synthesiseClip({ label: 'engine', seed: 6, durationS: 1 });
    expect(a.samples).toEqual(b.samples);
    expect(a.samples).not.toEqual(c.samples);
    expect(a.samples.length).toBe(16_000);
  });

  const expected: Record<Exclude<ClipLabel, 'ambient' | 'door-slam'>, (b: { lo: number; mid: number; hi: number }) => boolean> = {
    engine: (b) => b.lo > 0.6,
    cutting: (b) => b.hi > 0.7,
    alarm: (b) => b.mid > 0.7,
    voices: (b) => b.mid > 0.6,
  };

  it.each(Object.keys(expected) as (keyof typeof expected)[])('gives %s its own spectrum', (label) => {
    const clip = synthesiseClip({ label, seed: 1, durationS: 2, snrDb: 20 });
    expect(clip.events).toEqual([{ label, startS: 0, endS: 2 }]);
    expect(expected[label](bands(clip.samples, clip.rate))).toBe(true);
  });

  it('makes a door slam an impulse with a decaying tail', () => {
    const clip = synthesiseClip({ label: 'door-slam', seed: 2, durationS: 3, snrDb: 20 });
    const [event] = clip.events;
    const at = Math.round((event?.startS ?? 0) * clip.rate);
    const head = rms(clip.samples, at, at + 800);
    const tail = rms(clip.samples, at + 8_000, at + 8_800);
    expect(head).toBeGreaterThan(tail * 10);
  });

  it('mixes the event at the requested SNR', () => {
    for (const snrDb of [0, 10, 20]) {
      const ambient = synthesiseClip({ label: 'ambient', seed: 3, durationS: 2 });
      const mixed = synthesiseClip({ label: 'alarm', seed: 3, durationS: 2, snrDb });
      const measured = 10 * Math.log10(rms(mixed.samples) ** 2 / rms(ambient.samples) ** 2 - 1);
      expect(Math.abs(measured - snrDb)).toBeLessThan(1.5);
    }
  });

  it('covers every label', () => {
    for (const label of CLIP_LABELS) expect(synthesiseClip({ label, seed: 1, durationS: 0.25 }).samples.length).toBe(4_000);
  });
});
