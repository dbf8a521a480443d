/**
 * A sound source rendered sample by sample with its own running state, so a sound that
 * spans many 0.5 s chunks continues seamlessly from one chunk to the next.
 */
export abstract class Voice {
  protected readonly rate: number;
  readonly totalSamples: number;
  private readonly attack: number;
  private readonly release: number;
  protected position = 0;

  constructor(rate: number, durationS: number, attackS = 0.05, releaseS = 0.2) {
    this.rate = rate;
    this.totalSamples = Number.isFinite(durationS) ? Math.round(durationS * rate) : Number.POSITIVE_INFINITY;
    this.attack = Math.max(1, Math.round(attackS * rate));
    this.release = Math.max(1, Math.round(releaseS * rate));
  }

  get done(): boolean {
    return this.position >= this.totalSamples;
  }

  /** Adds up to `n` samples × `gain` into `out` from `offset`; returns how many were written. */
  addTo(out: Float32Array, offset: number, n: number, gain: number): number {
    const m = Math.max(0, Math.min(n, out.length - offset, this.totalSamples - this.position));
    for (let i = 0; i < m; i += 1) {
      const p = this.position;
      const env = Math.min(1, p / this.attack, (this.totalSamples - p) / this.release);
      out[offset + i] = (out[offset + i] as number) + gain * env * this.next();
      this.position = p + 1;
    }
    return m;
  }

  /** Next sample at the source's reference level (full scale is 1). */
  protected abstract next(): number;
}
