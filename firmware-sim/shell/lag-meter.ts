/**
 * How far behind schedule publishes go out, in real ms: the time a message was published
 * minus the real time its simulated timestamp was due at the chosen speed.
 */
export class LagMeter {
  private samples: number[] = [];
  private maxMs = 0;
  private lastTickMs = 0;
  private tickMax = 0;

  record(lagMs: number): void {
    const lag = Math.max(0, lagMs);
    this.tickMax = Math.max(this.tickMax, lag);
    this.maxMs = Math.max(this.maxMs, lag);
    this.samples.push(lag);
    // Keep a window of recent samples for percentiles.
    if (this.samples.length > 4_096) this.samples = this.samples.slice(-2_048);
  }

  endTick(): void {
    this.lastTickMs = this.tickMax;
    this.tickMax = 0;
  }

  summary(): { current: number; max: number; p50: number; p95: number } {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return { current: round(this.lastTickMs), max: round(this.maxMs), p50: round(at(0.5)), p95: round(at(0.95)) };
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
