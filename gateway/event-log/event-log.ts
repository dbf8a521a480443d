import { randomUUID, type KeyObject } from 'node:crypto';
import { GENESIS_HASH, sealEvent, type UnsealedEvent, type VerificationEvent } from '../../protocol/index.ts';
import type { EventDraft } from './event-draft.ts';
import { OutboxFullError } from '../outbox/errors.ts';
import type { SerialisedRecord } from '../outbox/types.ts';

export type SerialisedEvent = SerialisedRecord<VerificationEvent>;

/** Where sealed events become durable (the outbox). */
export interface ChainStore {
  /**
   * Resolves only when every event is on disk; rejects keeping none of them. Each
   * event comes with its JSON, made once here so the store only frames and writes it.
   */
  appendSerialised(events: readonly SerialisedEvent[]): Promise<void>;
  /** The newest event ever appended, so seq and prevHash continue across restarts. */
  lastRecord(): Promise<VerificationEvent | undefined>;
}

export interface EventLogDeps {
  store: ChainStore;
  privateKey: KeyObject;
  gatewayId: string;
  site: string;
  now?: () => Date;
  newId?: () => string;
}

export interface EventLog {
  /** Seals drafts in order and resolves once they are durable; the chain never skips a seq. */
  append(drafts: readonly EventDraft[]): Promise<VerificationEvent[]>;
  head(): { seq: number; hash: string };
}

interface Pending {
  drafts: readonly EventDraft[];
  resolve: (events: VerificationEvent[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Assigns seq and prevHash, signs, and hands events to the store one batch at a time.
 * Drafts that arrive while a batch is being written are gathered into the next batch
 * (group commit), so many stages emitting at once cost one fsync, and the head only
 * advances once the store has the batch: a failed write leaves no hole in the chain.
 */
export async function createEventLog(deps: EventLogDeps): Promise<EventLog> {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const last = await deps.store.lastRecord();
  let head = last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  const queue: Pending[] = [];
  let writing = false;

  function seal(drafts: readonly EventDraft[]): { sealed: SerialisedEvent[]; head: { seq: number; hash: string } } {
    const sealed: SerialisedEvent[] = [];
    let cursor = head;
    for (const draft of drafts) {
      const unsealed: UnsealedEvent = {
        id: newId(),
        site: deps.site,
        gatewayId: deps.gatewayId,
        seq: cursor.seq + 1,
        ts: draft.ts ?? now().toISOString(),
        type: draft.type,
        severity: draft.severity,
        ...(draft.lotId !== undefined ? { lotId: draft.lotId } : {}),
        ...(draft.zone !== undefined ? { zone: draft.zone } : {}),
        evidence: draft.evidence,
      };
      const event = sealEvent(unsealed, cursor.hash, deps.privateKey);
      sealed.push({ record: event, json: JSON.stringify(event) });
      cursor = { seq: event.seq, hash: event.hash };
    }
    return { sealed, head: cursor };
  }

  /**
   * Writes one batch. A full outbox refuses a whole append, so when the batch mixes
   * severities its critical events are sealed again on their own and written: the
   * store's policy admits critical events over its bound, and they must not be lost
   * with the rest.
   */
  async function write(drafts: readonly EventDraft[]): Promise<Map<EventDraft, VerificationEvent>> {
    const attempt = seal(drafts);
    try {
      if (attempt.sealed.length > 0) await deps.store.appendSerialised(attempt.sealed);
      head = attempt.head;
      return new Map(drafts.map((d, i) => [d, attempt.sealed[i]?.record as VerificationEvent]));
    } catch (error) {
      const critical = drafts.filter((d) => d.severity === 'critical');
      if (!(error instanceof OutboxFullError) || critical.length === 0 || critical.length === drafts.length) throw error;
      const retry = seal(critical);
      await deps.store.appendSerialised(retry.sealed);
      head = retry.head;
      return new Map(critical.map((d, i) => [d, retry.sealed[i]?.record as VerificationEvent]));
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, queue.length);
      try {
        const written = await write(batch.flatMap((p) => p.drafts));
        for (const pending of batch) {
          const events = pending.drafts.map((d) => written.get(d));
          if (events.every((e) => e !== undefined)) pending.resolve(events as VerificationEvent[]);
          else pending.reject(new OutboxFullError('outbox full: only critical events were kept'));
        }
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    writing = false;
  }

  return {
    append(drafts) {
      return new Promise<VerificationEvent[]>((resolve, reject) => {
        queue.push({ drafts, resolve, reject });
        if (!writing) void drain();
      });
    },
    head: () => ({ ...head }),
  };
}
