// The outbox's persistence seam, injected like MQTT.js's `IStore`: the sender and the
// pipeline depend on this interface only, and one contract test suite runs against
// every implementation (test/gateway/outbox/store-contract.ts).
import type { AppendListener, OutboxRecord, OutboxStats, SerialisedRecord, StoredRecord } from './types.ts';

export interface OutboxStore<R extends OutboxRecord = OutboxRecord> {
  /** Recovers what is on disk; must be called once before anything else. */
  open(): Promise<void>;
  /**
   * Resolves once every record is durable (fsync'd). `seq` must rise strictly within
   * the call and across calls. Appends issued while a write is in flight are
   * group-committed: one write and one fsync for all of them.
   * Rejects with OutboxFullError, DiskFullError, OutboxSequenceError or
   * InvalidRecordError; a rejected append keeps none of its records.
   */
  append(records: readonly R[]): Promise<void>;
  /**
   * append() for records whose JSON the caller already holds; same ordering, group
   * commit and errors. Each JSON is checked to carry its record's seq, not parsed:
   * a producer handing over JSON of other content breaks the contract.
   */
  appendSerialised(records: readonly SerialisedRecord<R>[]): Promise<void>;
  /**
   * Oldest pending records first, at most `maxCount` and at most `maxBytes` of JSON,
   * except that one record is always returned even if it alone exceeds `maxBytes`
   * (otherwise a large record would block the queue forever).
   */
  peek(maxCount: number, maxBytes: number): Promise<StoredRecord<R>[]>;
  /** Durably marks every record with `seq <= uptoSeq` delivered. */
  ack(uptoSeq: number): Promise<void>;
  /**
   * The newest record ever appended, delivered or not, so the event log can continue
   * `seq` and `prevHash` across restarts; undefined before the first append. The
   * store keeps it on disk for that purpose after it is acknowledged.
   */
  lastRecord(): Promise<R | undefined>;
  stats(): OutboxStats;
  /** Called after each durable append; returns an unsubscribe function. */
  onAppended(listener: AppendListener): () => void;
  /** Waits for in-flight appends, then releases files. */
  close(): Promise<void>;
}
