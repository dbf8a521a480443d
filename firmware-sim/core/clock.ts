/**
 * Simulated time. The simulation core never reads a clock: it is told "advance to t".
 * A clock decides what t is: a scaled one maps real time onto simulated time (speed 60 =
 * one simulated minute per real second), a manual one is stepped by tests.
 */
export interface SimClock {
  /** Current simulated time, epoch milliseconds. */
  now(): number;
}

export class ManualClock implements SimClock {
  private t: number;
  constructor(startMs: number) {
    this.t = startMs;
  }
  now(): number {
    return this.t;
  }
  set(ms: number): void {
    if (ms < this.t) throw new Error('a simulated clock never goes backwards');
    this.t = ms;
  }
  advance(ms: number): number {
    this.set(this.t + ms);
    return this.t;
  }
}

export interface ScaledClockOptions {
  startSimMs: number;
  /** Simulated milliseconds per real millisecond. */
  speed: number;
  /** Monotonic real time in ms; injectable for tests. */
  realNow?: () => number;
}

export class ScaledClock implements SimClock {
  readonly startSimMs: number;
  readonly speed: number;
  private readonly realNow: () => number;
  private readonly startReal: number;

  constructor(options: ScaledClockOptions) {
    if (!(options.speed > 0)) throw new Error('speed must be positive');
    this.startSimMs = options.startSimMs;
    this.speed = options.speed;
    this.realNow = options.realNow ?? (() => performance.now());
    this.startReal = this.realNow();
  }

  now(): number {
    return this.simAt(this.realNow());
  }

  /** Simulated time at real time `realMs` (on realNow's scale). */
  simAt(realMs: number): number {
    return this.startSimMs + (realMs - this.startReal) * this.speed;
  }

  /** Real time (on realNow's scale) at which the simulation should reach `simMs`. */
  realAt(simMs: number): number {
    return this.startReal + (simMs - this.startSimMs) / this.speed;
  }

  /** How many real ms late something due at `simMs` is, if it happens now. */
  lagMs(simMs: number): number {
    return this.realNow() - this.realAt(simMs);
  }

  realElapsedMs(): number {
    return this.realNow() - this.startReal;
  }
}
