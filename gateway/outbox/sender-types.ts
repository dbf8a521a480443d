// The sender's seams: what `deliver` answers, the timers and clock it runs on, and
// the hooks through which metrics and alarms observe it.
import type { BackoffOptions } from './backoff.ts';
import type { OutboxLogger } from './logger.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { OutboxRecord } from './types.ts';

/** One event the cloud refused for good. A 409 duplicate counts as delivered. */
export interface EventRejection {
  readonly id: string;
  readonly reason: 'duplicate' | 'invalid';
  readonly message?: string;
}

export type DeliverResult =
  /** The whole batch is stored by the cloud. */
  | { readonly kind: 'ok' }
  /** Nothing can be assumed stored (network down, 5xx, 429): resend the same batch later. */
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  /** The batch was processed; the events listed were refused, all others are stored. */
  | { readonly kind: 'rejected'; readonly rejections: readonly EventRejection[] };

export interface DeliverContext {
  /** Aborted by stop(), so an HTTP request in flight can be cancelled. */
  readonly signal: AbortSignal;
  /** 0 on the first try of a batch. */
  readonly attempt: number;
}

export type Deliver<R extends OutboxRecord> = (batch: readonly R[], context: DeliverContext) => Promise<DeliverResult>;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Clock {
  now(): number;
}

export interface SenderHooks {
  onDelivered?(event: { readonly count: number; readonly bytes: number; readonly latencyMs: number; readonly lastSeq: number }): void;
  onRetry?(event: { readonly attempt: number; readonly delayMs: number; readonly reason: string }): void;
  onDuplicates?(count: number): void;
  /** Events refused as invalid are dropped from the outbox after this call: raise an alarm or keep them aside. */
  onDeadLettered?(event: { readonly records: readonly OutboxRecord[]; readonly rejections: readonly EventRejection[] }): void;
}

export interface SenderOptions<R extends OutboxRecord> {
  readonly store: OutboxStore<R>;
  readonly deliver: Deliver<R>;
  readonly batchSize: number;
  /** JSON bytes per batch; a single larger event still goes alone. */
  readonly maxBatchBytes: number;
  readonly backoff: BackoffOptions;
  readonly timers?: Timers;
  readonly clock?: Clock;
  /** Values in [0, 1), like Math.random. */
  readonly random?: () => number;
  readonly logger?: OutboxLogger;
  readonly hooks?: readonly SenderHooks[];
}

export interface Sender {
  start(): void;
  /** Stops after the batch in flight; resolves when the loop has ended. */
  stop(): Promise<void>;
  /** Resolves once everything appended before the call is delivered (or dropped). */
  flush(): Promise<void>;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const systemClock: Clock = { now: () => Date.now() };
