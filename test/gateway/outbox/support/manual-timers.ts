// Timers and clock under the test's control: time moves only when the test fires
// the next timer, so an hour-long outage runs in milliseconds and deterministically.
import type { Clock, Timers } from '../../../../gateway/outbox/sender-types.ts';

interface ScheduledTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

export class ManualTimers implements Timers, Clock {
  private nowMs: number;
  private nextId = 1;
  private timers: ScheduledTimer[] = [];
  private scheduledWaiters: (() => void)[] = [];
  readonly delays: number[] = [];

  constructor(startMs = 0) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.delays.push(ms);
    this.timers.push({ id, due: this.nowMs + ms, callback });
    const waiters = this.scheduledWaiters;
    this.scheduledWaiters = [];
    for (const wake of waiters) wake();
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Resolves as soon as a timer is scheduled (at once if one already is). */
  whenScheduled(): Promise<void> {
    if (this.timers.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.scheduledWaiters.push(resolve));
  }

  /** Moves time to the earliest timer and runs it; false if none is scheduled. */
  fireNext(): boolean {
    const next = this.timers.reduce<ScheduledTimer | undefined>((earliest, timer) => (earliest === undefined || timer.due < earliest.due ? timer : earliest), undefined);
    if (next === undefined) return false;
    this.timers = this.timers.filter((timer) => timer !== next);
    this.nowMs = Math.max(this.nowMs, next.due);
    next.callback();
    return true;
  }

  /** Fires timers as they are scheduled until `done` settles. */
  async runUntil<T>(done: Promise<T>): Promise<T> {
    let settled = false;
    const tracked = done.finally(() => {
      settled = true;
    });
    while (!settled) {
      await Promise.race([this.whenScheduled(), tracked]);
      if (!settled) this.fireNext();
    }
    return tracked;
  }
}
