import { createHash } from 'node:crypto';
import type { Logger } from '../../infra/logger.ts';
import { citedAttachments, type AttachmentRef, type VerificationEvent } from '../../protocol/index.ts';
import type { AttachmentPutOutcome } from '../uplink/cloud-client.ts';
import { fullJitterDelayMs, type BackoffOptions } from '../outbox/backoff.ts';
import { realTimers, systemClock, type Clock, type Timers } from '../outbox/sender-types.ts';
import type { AttachmentStore } from './attachment-store.ts';

export type UploadOutcome = 'uploaded' | 'orphaned' | 'refused_by_cloud' | 'corrupt';

export interface AttachmentUploaderDeps {
  store: AttachmentStore;
  put(ref: AttachmentRef, bytes: Uint8Array<ArrayBuffer>): Promise<AttachmentPutOutcome>;
  /** True while no sealed event waits in the outbox: every event that could cite held bytes is in the cloud. */
  outboxDrained(): boolean;
  log: Logger;
  onOutcome?(outcome: UploadOutcome, ref: AttachmentRef): void;
  onRetry?(reason: string): void;
  backoff?: BackoffOptions;
  /**
   * A held attachment no delivered batch has cited is tried only once the outbox is
   * drained and it is this old, so bytes whose event is being sealed right now are not
   * mistaken for an orphan.
   */
  orphanGraceMs?: number;
  /** How often held attachments not cited by a batch of this run are looked at. */
  sweepMs?: number;
  timers?: Timers;
  clock?: Clock;
  random?: () => number;
}

interface Upload {
  ref: AttachmentRef;
  /** Cited by a batch the cloud stored in this run. */
  delivered: boolean;
  /** When this run first knew of it. */
  since: number;
  attempt: number;
  dueAt: number;
}

// A batch the cloud stored cites these bytes, yet it answers "not cited": give up after
// this many tries rather than retry forever (a cloud restored from an older backup).
const MAX_NOT_CITED_AFTER_DELIVERY = 8;

/**
 * Uploads the bytes cited by delivered events, after the batch and never in its way:
 * the deliver decorator only marks them, this loop PUTs them one at a time with backoff,
 * and releases each (evictable) once the cloud has it or can never want it.
 */
export function createAttachmentUploader(deps: AttachmentUploaderDeps) {
  const timers = deps.timers ?? realTimers;
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  const backoff = deps.backoff ?? { initialMs: 1_000, maxMs: 300_000 };
  const grace = deps.orphanGraceMs ?? 60_000;
  const sweepMs = deps.sweepMs ?? 30_000;
  const uploads = new Map<string, Upload>();
  let wake: unknown;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let started = false;
  const idleWaiters: Array<() => void> = [];

  /** Held bytes not yet known here; `fromLastRun`: no event of theirs is being sealed now, so no grace. */
  const adopt = (fromLastRun = false): void => {
    const now = clock.now();
    for (const ref of deps.store.held()) {
      if (!uploads.has(ref.sha256)) uploads.set(ref.sha256, { ref, delivered: false, since: fromLastRun ? now - grace : now, attempt: 0, dueAt: now });
    }
  };

  const ready = (u: Upload, now: number): boolean => u.dueAt <= now && (u.delivered || (now - u.since >= grace && deps.outboxDrained()));

  const finish = (u: Upload, outcome: UploadOutcome): void => {
    uploads.delete(u.ref.sha256);
    if (outcome === 'corrupt') deps.store.discard(u.ref.sha256);
    else deps.store.release(u.ref.sha256);
    deps.onOutcome?.(outcome, u.ref);
  };

  const postpone = (u: Upload, reason: string, retryAfterMs?: number): void => {
    u.attempt++;
    u.dueAt = clock.now() + Math.max(retryAfterMs ?? 0, fullJitterDelayMs(u.attempt, backoff, random));
    deps.onRetry?.(reason);
  };

  async function attempt(u: Upload): Promise<void> {
    const stored = await deps.store.read(u.ref.sha256);
    if (!stored) {
      uploads.delete(u.ref.sha256);
      return;
    }
    const bytes = new Uint8Array(stored.bytes);
    if (createHash('sha256').update(bytes).digest('hex') !== u.ref.sha256) {
      deps.log.error({ sha256: u.ref.sha256 }, 'ALARM: stored attachment no longer matches its hash; not uploaded');
      finish(u, 'corrupt');
      return;
    }
    const outcome = await deps.put(stored.ref, bytes);
    switch (outcome.kind) {
      case 'stored':
        finish(u, 'uploaded');
        return;
      case 'not_cited':
        if ((!u.delivered && deps.outboxDrained()) || (u.delivered && u.attempt + 1 >= MAX_NOT_CITED_AFTER_DELIVERY)) {
          deps.log.warn({ sha256: u.ref.sha256, reason: outcome.reason }, 'attachment cited by no event the cloud stored; released');
          finish(u, 'orphaned');
        } else postpone(u, outcome.reason);
        return;
      case 'refused':
        deps.log.error({ sha256: u.ref.sha256, status: outcome.status, reason: outcome.reason }, 'cloud refused an attachment for good; released');
        finish(u, 'refused_by_cloud');
        return;
      case 'retry':
        postpone(u, outcome.reason, outcome.retryAfterMs);
        return;
    }
  }

  async function run(): Promise<void> {
    do {
      again = false;
      adopt();
      for (;;) {
        const now = clock.now();
        const next = [...uploads.values()].filter((u) => ready(u, now)).sort((a, b) => a.dueAt - b.dueAt)[0];
        if (next === undefined || stopped) break;
        try {
          await attempt(next);
        } catch (error) {
          deps.log.error({ err: error, sha256: next.ref.sha256 }, 'attachment upload failed');
          postpone(next, error instanceof Error ? error.message : String(error));
        }
      }
    } while (again && !stopped);
    if (!stopped) arm();
    if (pendingDelivered() === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  }

  const pendingDelivered = (): number => [...uploads.values()].filter((u) => u.delivered).length;

  /** Wakes at the earliest due upload, or at the next sweep for those waiting on the outbox. */
  function arm(): void {
    if (wake !== undefined) timers.clearTimeout(wake);
    const now = clock.now();
    let at = now + sweepMs;
    for (const u of uploads.values()) if (u.delivered || u.dueAt > now) at = Math.min(at, Math.max(u.dueAt, now));
    wake = timers.setTimeout(() => {
      wake = undefined;
      kick();
    }, at - now);
    (wake as { unref?: () => void }).unref?.();
  }

  function kick(): void {
    if (stopped || !started) return;
    if (running) {
      again = true;
      return;
    }
    running = run().finally(() => {
      running = undefined;
    });
  }

  return {
    start(): void {
      started = true;
      adopt(true);
      kick();
    },
    /** The batch is stored by the cloud: its attachments can be uploaded now. */
    delivered(events: readonly VerificationEvent[]): void {
      const now = clock.now();
      for (const event of events) {
        for (const ref of citedAttachments(event.evidence)) {
          if (!deps.store.has(ref.sha256)) continue;
          const u = uploads.get(ref.sha256) ?? { ref, delivered: true, since: now, attempt: 0, dueAt: now };
          u.delivered = true;
          u.dueAt = Math.min(u.dueAt, now);
          uploads.set(ref.sha256, u);
        }
      }
      kick();
    },
    /** The cloud refused these events for good: nothing there will cite their bytes. */
    dropped(events: readonly VerificationEvent[]): void {
      for (const event of events) {
        for (const ref of citedAttachments(event.evidence)) {
          const u = uploads.get(ref.sha256);
          if (u?.delivered) continue;
          uploads.delete(ref.sha256);
          deps.store.release(ref.sha256);
          deps.onOutcome?.('orphaned', ref);
        }
      }
    },
    /** Attachments of delivered events not yet uploaded. */
    pending: () => pendingDelivered(),
    /** Resolves once every attachment of the batches delivered so far is uploaded or given up. */
    idle(): Promise<void> {
      if (pendingDelivered() === 0 && !running) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop(): Promise<void> {
      stopped = true;
      if (wake !== undefined) timers.clearTimeout(wake);
      await running;
      for (const resolve of idleWaiters.splice(0)) resolve();
    },
  };
}

export type AttachmentUploader = ReturnType<typeof createAttachmentUploader>;
