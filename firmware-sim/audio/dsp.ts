/**
 * Small DSP building blocks for the synthesiser. Biquads follow R. Bristow-Johnson's
 * "Audio EQ Cookbook" (https://www.w3.org/TR/audio-eq-cookbook/).
 */
export class Biquad {
  private b0 = 1;
  private b1 = 0;
  private b2 = 0;
  private a1 = 0;
  private a2 = 0;
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;

  static lowpass(rate: number, f: number, q = Math.SQRT1_2): Biquad {
    return new Biquad().set('lowpass', rate, f, q);
  }
  static highpass(rate: number, f: number, q = Math.SQRT1_2): Biquad {
    return new Biquad().set('highpass', rate, f, q);
  }
  static bandpass(rate: number, f: number, q: number): Biquad {
    return new Biquad().set('bandpass', rate, f, q);
  }

  /** Re-tunes without clearing state, so sweeping a filter does not click. */
  set(type: 'lowpass' | 'highpass' | 'bandpass', rate: number, f: number, q: number): this {
    const w0 = (2 * Math.PI * Math.min(f, rate * 0.45)) / rate;
    const cos = Math.cos(w0);
    const alpha = Math.sin(w0) / (2 * q);
    const a0 = 1 + alpha;
    if (type === 'lowpass') {
      this.b0 = (1 - cos) / 2 / a0;
      this.b1 = (1 - cos) / a0;
      this.b2 = this.b0;
    } else if (type === 'highpass') {
      this.b0 = (1 + cos) / 2 / a0;
      this.b1 = -(1 + cos) / a0;
      this.b2 = this.b0;
    } else {
      // Constant 0 dB peak gain.
      this.b0 = alpha / a0;
      this.b1 = 0;
      this.b2 = -alpha / a0;
    }
    this.a1 = (-2 * cos) / a0;
    this.a2 = (1 - alpha) / a0;
    return this;
  }

  step(x: number): number {
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = x;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}

/** First-order smoother: glides a control value (RPM, pitch) toward its target. */
export class Smoother {
  private value: number;
  private readonly k: number;
  constructor(initial: number, rate: number, timeConstantS: number) {
    this.value = initial;
    this.k = 1 - Math.exp(-1 / (rate * timeConstantS));
  }
  step(target: number): number {
    this.value += (target - this.value) * this.k;
    return this.value;
  }
}

/**
 * Pink noise (−3 dB/octave), Paul Kellett's economy filter: fan and air noise sound
 * like this rather than like white noise.
 */
export class PinkNoise {
  private b0 = 0;
  private b1 = 0;
  private b2 = 0;
  step(white: number): number {
    this.b0 = 0.99765 * this.b0 + white * 0.099046;
    this.b1 = 0.963 * this.b1 + white * 0.2965164;
    this.b2 = 0.57 * this.b2 + white * 1.0526913;
    return (this.b0 + this.b1 + this.b2 + white * 0.1848) * 0.2;
  }
}

export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

export function rms(samples: Float32Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i += 1) sum += (samples[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Float samples in [-1, 1] to signed 16-bit little-endian PCM, clipping outside. */
export function encodeS16le(samples: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(samples.length * 2);
  for (let i = 0; i < samples.length; i += 1) {
    const v = Math.round((samples[i] as number) * 32767);
    out.writeInt16LE(v > 32767 ? 32767 : v < -32768 ? -32768 : v, i * 2);
  }
  return out;
}
