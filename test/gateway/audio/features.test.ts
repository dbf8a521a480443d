import { describe, expect, it } from 'vitest';
import { FeatureStream, WINDOW_MS } from '../../../gateway/audio/feature-stream.ts';
import { MEL_BANDS } from '../../../gateway/audio/log-mel.ts';
import { decodeWav, encodeWav } from '../../../gateway/audio/wav.ts';

const RATE = 16_000;
const sine = (hz: number, amplitude: number, n: number) => Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / RATE));

function loudestBand(logMel: Float32Array): number {
  const mean = new Float64Array(MEL_BANDS);
  for (let i = 0; i < logMel.length; i += 1) mean[i % MEL_BANDS] = (mean[i % MEL_BANDS] as number) + (logMel[i] as number);
  return mean.indexOf(Math.max(...mean));
}

// HTK mel centre of band b (64 bands, 60 Hz to 8 kHz).
const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const centreHz = (b: number) => 700 * (10 ** ((mel(60) + ((mel(8_000) - mel(60)) * (b + 1)) / 65) / 2595) - 1);

describe('log-mel features', () => {
  it('put a tone in the mel band around its frequency and measure its level in dBFS', () => {
    for (const hz of [250, 1_000, 4_000]) {
      const [w] = new FeatureStream().push({ startMs: 0, samples: sine(hz, 0.5, 20_000), continues: false });
      const band = loudestBand(w?.logMel ?? new Float32Array());
      expect(Math.abs(centreHz(band) - hz) / hz).toBeLessThan(0.08);
      // RMS of a sine of amplitude 0.5: 0.5/√2, −9.03 dBFS.
      expect(w?.dbfs).toBeCloseTo(-9.03, 1);
      expect(w?.clipped).toBe(0);
    }
  });

  it('run on across chunk boundaries: chunked and whole give the same windows', () => {
    const x = sine(440, 0.3, 40_000).map((v, i) => v + 0.05 * Math.sin(i * 0.37));
    const whole = new FeatureStream().push({ startMs: 1_000, samples: x, continues: false });
    const chunked = new FeatureStream();
    const parts = [];
    for (let at = 0, k = 0; at < x.length; k += 1) {
      const n = [3_001, 8_000, 517][k % 3] as number;
      parts.push(...chunked.push({ startMs: 1_000 + (at / RATE) * 1000, samples: x.subarray(at, at + n), continues: at > 0 }));
      at += n;
    }
    expect(parts.map((w) => w.startMs)).toEqual(whole.map((w) => w.startMs));
    expect(parts.map((w) => w.startMs)).toEqual([1_000, 1_000 + WINDOW_MS]);
    parts.forEach((w, i) => expect(w.logMel).toEqual(whole[i]?.logMel));
  });

  it('start afresh after a discontinuity: no window spans a gap', () => {
    const f = new FeatureStream();
    expect(f.push({ startMs: 0, samples: sine(440, 0.3, 12_000), continues: false })).toEqual([]);
    const after = f.push({ startMs: 60_000, samples: sine(440, 0.3, 16_400), continues: false });
    expect(after.map((w) => w.startMs)).toEqual([60_000]);
  });

  it('measure digital silence at the floor and clipping as a share of samples', () => {
    const [silent] = new FeatureStream().push({ startMs: 0, samples: new Float32Array(16_400), continues: false });
    expect(silent?.dbfs).toBe(-120);
    const [clipped] = new FeatureStream().push({ startMs: 0, samples: sine(100, 3, 16_400).map((v) => Math.max(-1, Math.min(32_767 / 32_768, v))), continues: false });
    expect(clipped?.clipped).toBeGreaterThan(0.5);
  });
});

describe('WAV', () => {
  it('round-trips 16-bit mono and refuses what it cannot read', () => {
    const x = sine(1_000, 0.5, 1_600);
    const wav = Buffer.from(encodeWav(x));
    expect(wav.length).toBe(44 + 3_200);
    const { rate, pcm } = decodeWav(wav);
    expect(rate).toBe(16_000);
    expect(pcm.readInt16LE(2 * 4)).toBe(Math.round((x[4] as number) * 32768));
    expect(() => decodeWav(Buffer.from('RIFF....WAVEjunk'))).toThrow(/no data chunk/);
    const stereo = Buffer.from(wav);
    stereo.writeUInt16LE(2, 22);
    expect(() => decodeWav(stereo)).toThrow(/16-bit integer mono/);
    expect(() => decodeWav(Buffer.from('not a wav'))).toThrow(/RIFF/);
  });
});
