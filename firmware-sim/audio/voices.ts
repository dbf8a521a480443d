import type { Rng } from '../core/prng.ts';
import { Biquad, PinkNoise, Smoother } from './dsp.ts';
import { Voice } from './voice.ts';

const TAU = 2 * Math.PI;

/**
 * Warehouse room tone: mains hum (transformer and ballast magnetostriction, strongest at
 * twice the mains frequency, with odd and even harmonics), ventilation fans (pink noise
 * low-passed, slowly breathing, with their blade-pass tone) and the microphone's own hiss.
 */
export class AmbientVoice extends Voice {
  private readonly rng: Rng;
  private readonly mainsHz: number;
  private readonly hum: number[];
  private phase = 0;
  private fanPhase = 0;
  private readonly fanHz: number;
  private readonly pink = new PinkNoise();
  private readonly fanFilter: Biquad;
  private t = 0;

  constructor(rng: Rng, rate: number, mainsHz = 50) {
    super(rate, Number.POSITIVE_INFINITY, 0, 0);
    this.rng = rng;
    this.mainsHz = mainsHz;
    this.hum = [0.0012, 0.0035, 0.001, 0.0009, 0.0004, 0.0005].map((a) => a * rng.range(0.6, 1.4));
    this.fanHz = rng.range(45, 70);
    this.fanFilter = Biquad.lowpass(rate, rng.range(500, 900));
  }

  protected next(): number {
    this.t += 1;
    const drift = 1 + 0.0008 * Math.sin((TAU * this.t) / (this.rate * 37));
    this.phase += (TAU * this.mainsHz * drift) / this.rate;
    if (this.phase > TAU) this.phase -= TAU;
    let hum = 0;
    for (let k = 0; k < this.hum.length; k += 1) hum += (this.hum[k] as number) * Math.sin((k + 1) * this.phase);
    this.fanPhase += (TAU * this.fanHz) / this.rate;
    const breathe = 1 + 0.25 * Math.sin((TAU * this.t) / (this.rate * 3.7));
    const white = this.rng.normal();
    const fan = this.fanFilter.step(this.pink.step(white)) * 0.02 * breathe + 0.0015 * Math.sin(this.fanPhase);
    return hum + fan + white * 0.0006;
  }
}

/**
 * Forklift engine (LPG/diesel, four cylinders): firing frequency rpm/30 with a stack of
 * harmonics, RPM wandering between idle and working revs, exhaust rumble as noise
 * modulated at the firing rate, and hydraulic whine while lifting.
 */
export class EngineVoice extends Voice {
  private readonly rng: Rng;
  private phase = 0;
  private readonly rpm: Smoother;
  private target: number;
  private nextChange = 0;
  private readonly amps: number[];
  private readonly rumble: Biquad;
  private readonly whine: Biquad;
  private lifting = 0;
  private whinePhase = 0;

  constructor(rng: Rng, rate: number, durationS: number) {
    super(rate, durationS, 0.6, 1.2);
    this.rng = rng;
    this.target = rng.range(750, 900);
    this.rpm = new Smoother(this.target, rate, 0.45);
    this.amps = Array.from({ length: 22 }, (_, k) => (0.11 / (k + 1) ** 0.8) * (k >= 2 && k <= 6 ? 1.6 : 1) * rng.range(0.7, 1.3));
    this.rumble = Biquad.lowpass(rate, 260);
    this.whine = Biquad.bandpass(rate, rng.range(320, 420), 12);
  }

  protected next(): number {
    const i = this.position;
    if (i >= this.nextChange) {
      // Idle, drive or lift, each for a second or two.
      const roll = this.rng.float();
      this.target = roll < 0.3 ? this.rng.range(750, 900) : this.rng.range(1_500, 2_500);
      this.lifting = roll > 0.8 ? 1 : 0;
      this.nextChange = i + Math.round(this.rng.range(0.8, 2.5) * this.rate);
    }
    const rpm = this.rpm.step(this.target);
    const f0 = rpm / 30;
    this.phase += (TAU * f0) / this.rate;
    if (this.phase > TAU) this.phase -= TAU;
    let s = 0;
    for (let k = 0; k < this.amps.length; k += 1) {
      if ((k + 1) * f0 > this.rate * 0.45) break;
      s += (this.amps[k] as number) * Math.sin((k + 1) * this.phase);
    }
    const noise = this.rng.normal();
    s += this.rumble.step(noise) * 0.25 * (0.6 + 0.4 * Math.sin(this.phase));
    if (this.lifting) {
      this.whinePhase += (TAU * 380) / this.rate;
      s += this.whine.step(noise) * 0.4 + 0.01 * Math.sin(this.whinePhase);
    }
    return s;
  }
}

/**
 * Angle grinder cutting metal: a motor/gear whine in the kHz range that sags when the disc
 * bites, its harmonic, broadband hiss above 1.5 kHz that swells while cutting, and the
 * crackle of sparks.
 */
export class CuttingVoice extends Voice {
  private readonly rng: Rng;
  private phase = 0;
  private readonly freeHz: number;
  private readonly pitch: Smoother;
  private loaded = false;
  private nextChange = 0;
  private readonly hiss: Biquad;
  private readonly load: Smoother;

  constructor(rng: Rng, rate: number, durationS: number) {
    super(rate, durationS, 0.3, 0.8);
    this.rng = rng;
    this.freeHz = rng.range(3_000, 4_200);
    this.pitch = new Smoother(this.freeHz, rate, 0.25);
    this.load = new Smoother(0, rate, 0.15);
    this.hiss = Biquad.highpass(rate, 1_500);
  }

  protected next(): number {
    const i = this.position;
    if (i >= this.nextChange) {
      this.loaded = this.rng.chance(0.7);
      this.nextChange = i + Math.round(this.rng.range(0.6, 3) * this.rate);
    }
    const f = this.pitch.step(this.loaded ? this.freeHz * 0.86 : this.freeHz);
    const load = this.load.step(this.loaded ? 1 : 0.25);
    this.phase += (TAU * f) / this.rate;
    if (this.phase > TAU) this.phase -= TAU;
    let s = 0.12 * Math.sin(this.phase);
    if (2 * f < this.rate * 0.45) s += 0.05 * Math.sin(2 * this.phase);
    s += this.hiss.step(this.rng.normal()) * 0.18 * load;
    if (this.loaded && this.rng.chance(0.002)) s += this.rng.range(-0.3, 0.3);
    return s;
  }
}

/**
 * Intruder alarm siren: a square-ish tone (odd harmonics) either wailing (continuous sweep
 * 600–1,300 Hz, ~2 s period) or alternating hi-lo, with a short room echo.
 */
export class AlarmVoice extends Voice {
  private phase = 0;
  private readonly wail: boolean;
  private readonly periodS: number;
  private readonly echo: Float32Array;
  private echoIndex = 0;

  constructor(rng: Rng, rate: number, durationS: number) {
    super(rate, durationS, 0.02, 0.1);
    this.wail = rng.chance(0.6);
    this.periodS = this.wail ? rng.range(1.6, 2.6) : rng.range(0.8, 1.2);
    this.echo = new Float32Array(Math.round(rate * 0.07));
  }

  protected next(): number {
    const t = this.position / this.rate;
    const cycle = (t / this.periodS) % 1;
    const f = this.wail ? 600 + 700 * (0.5 - 0.5 * Math.cos(TAU * cycle)) : cycle < 0.5 ? 960 : 770;
    this.phase += (TAU * f) / this.rate;
    if (this.phase > TAU) this.phase -= TAU;
    let s = 0;
    for (let k = 1; k <= 7; k += 2) if (k * f < this.rate * 0.45) s += Math.sin(k * this.phase) / k;
    s *= 0.22;
    const delayed = this.echo[this.echoIndex] as number;
    this.echo[this.echoIndex] = s + delayed * 0.3;
    this.echoIndex = (this.echoIndex + 1) % this.echo.length;
    return s + delayed * 0.35;
  }
}

/** Vowel formants F1–F3 in Hz (Peterson & Barney, 1952, adult male averages). */
const VOWELS: readonly [number, number, number][] = [
  [730, 1_090, 2_440],
  [270, 2_290, 3_010],
  [300, 870, 2_240],
  [530, 1_840, 2_480],
  [570, 840, 2_410],
  [660, 1_720, 2_410],
];

const FORMANT_GAIN = [1, 0.5, 0.25];

/**
 * People talking: a glottal pulse train (pitch 95–230 Hz with jitter and falling
 * intonation) through three formant resonators, in syllables of 120–280 ms grouped into
 * phrases with pauses, with the odd fricative hiss between syllables.
 */
export class VoicesVoice extends Voice {
  private readonly rng: Rng;
  private readonly speakers: number[];
  private speaker = 0;
  private phase = 0;
  private readonly formants: Biquad[];
  private readonly fricative: Biquad;
  /** Glottal pulses fall off at about −12 dB/octave; without this the voice is a buzz. */
  private readonly glottis: Biquad;
  private syllableStart = 0;
  private syllableLen = 1;
  private inPause = true;
  private fricativeUntil = 0;
  private syllablesLeft = 0;
  private f0 = 120;

  constructor(rng: Rng, rate: number, durationS: number) {
    super(rate, durationS, 0.02, 0.2);
    this.rng = rng;
    this.speakers = [rng.range(95, 140), rng.range(170, 230)];
    this.formants = [Biquad.bandpass(rate, 700, 6), Biquad.bandpass(rate, 1_200, 8), Biquad.bandpass(rate, 2_500, 10)];
    this.fricative = Biquad.highpass(rate, 4_000);
    this.glottis = Biquad.lowpass(rate, 350);
  }

  private nextSyllable(i: number): void {
    const rng = this.rng;
    if (this.syllablesLeft <= 0) {
      this.inPause = true;
      this.syllableLen = Math.round(rng.range(0.25, 0.9) * this.rate);
      this.syllablesLeft = rng.int(3, 12);
      if (rng.chance(0.5)) this.speaker = 1 - this.speaker;
    } else {
      this.inPause = false;
      this.syllablesLeft -= 1;
      this.syllableLen = Math.round(rng.range(0.12, 0.28) * this.rate);
      const [f1, f2, f3] = rng.pick(VOWELS);
      const scale = this.speaker === 1 ? 1.15 : 1;
      this.formants[0]?.set('bandpass', this.rate, f1 * scale, 6);
      this.formants[1]?.set('bandpass', this.rate, f2 * scale, 8);
      this.formants[2]?.set('bandpass', this.rate, f3 * scale, 10);
      this.f0 = (this.speakers[this.speaker] ?? 120) * rng.range(0.9, 1.15);
      if (rng.chance(0.3)) this.fricativeUntil = i + Math.round(0.06 * this.rate);
    }
    this.syllableStart = i;
  }

  protected next(): number {
    const i = this.position;
    if (i - this.syllableStart >= this.syllableLen) this.nextSyllable(i);
    const noise = this.rng.normal();
    let s = 0;
    if (i < this.fricativeUntil) s += this.fricative.step(noise) * 0.05;
    if (this.inPause) return s;
    const progress = (i - this.syllableStart) / this.syllableLen;
    const f = this.f0 * (1 - 0.12 * progress) * (1 + 0.01 * noise);
    this.phase += f / this.rate;
    let pulse = 0;
    if (this.phase >= 1) {
      this.phase -= 1;
      pulse = 1;
    }
    const env = Math.sin(Math.PI * progress);
    const excitation = this.glottis.step(pulse * 40) + noise * 0.05;
    let v = 0;
    for (let k = 0; k < this.formants.length; k += 1) v += (this.formants[k] as Biquad).step(excitation) * (FORMANT_GAIN[k] ?? 0);
    return s + v * env;
  }
}

/**
 * A door slamming: a click of broadband noise, the door and frame ringing at a few low
 * modes, a reverberant tail of the hall, and a rattle.
 */
export class DoorSlamVoice extends Voice {
  private readonly rng: Rng;
  private readonly modes: { f: number; a: number; decay: number }[];
  private readonly tail: Biquad;
  private readonly rattleAt: number;

  constructor(rng: Rng, rate: number, durationS: number) {
    super(rate, durationS, 0, 0.05);
    this.rng = rng;
    this.modes = [
      { f: rng.range(55, 90), a: 0.5, decay: rng.range(0.08, 0.15) },
      { f: rng.range(130, 180), a: 0.3, decay: rng.range(0.05, 0.1) },
      { f: rng.range(250, 320), a: 0.18, decay: rng.range(0.03, 0.06) },
    ];
    this.tail = Biquad.lowpass(rate, 1_800);
    this.rattleAt = Math.round(rng.range(0.12, 0.2) * rate);
  }

  protected next(): number {
    const i = this.position;
    const t = i / this.rate;
    const noise = this.rng.normal();
    let s = i < this.rate * 0.008 ? noise * 0.7 * (1 - i / (this.rate * 0.008)) : 0;
    for (const m of this.modes) s += m.a * Math.exp(-t / m.decay) * Math.sin(TAU * m.f * t);
    s += this.tail.step(noise) * 0.12 * Math.exp(-t / 0.4);
    const r = i - this.rattleAt;
    if (r >= 0 && r < this.rate * 0.05) s += noise * 0.08 * (1 - r / (this.rate * 0.05));
    return s;
  }
}
