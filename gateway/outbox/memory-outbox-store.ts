// An in-memory OutboxStore with the same contract as the file store (ordering,
// group commit, size policy, JSON round trip) but no durability: for tests of the
// stages around the outbox.
import { OutboxClosedError, OutboxFullError } from './errors.ts';
import { FRAME_OVERHEAD } from './frame-codec.ts';
import type { PendingRequest } from './group-commit.ts';
import { GroupCommitter } from './group-commit.ts';
import type { OutboxLogger } from './logger.ts';
import { callSafely, silentLogger } from './logger.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { PreparedAppend } from './record-codec.ts';
import { NO_SEQ, decodeRecord, prepareAppend, prepareSerialisedAppend } from './record-codec.ts';
import type { EvictionCandidate, SizeLimits } from './size-policy.ts';
import { planGroupAdmission, validateSizeLimits } from './size-policy.ts';
import type { AppendListener, EvictionReport, OutboxRecord, OutboxStats, SerialisedRecord, Severity, StoredRecord } from './types.ts';

export interface MemoryOutboxStoreOptions {
  /** Default: unbounded. */
  readonly maxBytes?: number;
  readonly lowWaterRatio?: number;
  readonly maxRecordBytes?: number;
  readonly now?: () => number;
  readonly logger?: OutboxLogger;
  readonly onEviction?: (report: EvictionReport) => void;
}

interface MemoryEntry {
  readonly seq: number;
  readonly severity: Severity;
  readonly appendedAt: number;
  readonly json: string;
  readonly jsonBytes: number;
}

export class MemoryOutboxStore<R extends OutboxRecord = OutboxRecord> implements OutboxStore<R> {
  private readonly limits: SizeLimits;
  private readonly maxRecordBytes: number;
  private readonly now: () => number;
  private readonly logger: OutboxLogger;
  private readonly onEviction: ((report: EvictionReport) => void) | undefined;
  private readonly committer = new GroupCommitter<PreparedAppend>((group) => this.commitGroup(group));
  private readonly listeners = new Set<AppendListener>();
  private state: 'new' | 'open' | 'closing' | 'closed' = 'new';
  /** Pending entries only, oldest first. */
  private entries: MemoryEntry[] = [];
  /** Kept after ack, like the file store keeps its newest record. */
  private last: MemoryEntry | null = null;
  private pendingBytes = 0;
  private lastSeq = NO_SEQ;
  private ackedSeq = NO_SEQ;
  private enqueuedSeq = NO_SEQ;
  private evicted = 0;
  private rejected = 0;
  private commits = 0;

  constructor(options: MemoryOutboxStoreOptions = {}) {
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.limits = { maxBytes, lowWaterBytes: maxBytes * (options.lowWaterRatio ?? 0.9) };
    validateSizeLimits(this.limits);
    this.maxRecordBytes = options.maxRecordBytes ?? 8 * 1024 * 1024;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.onEviction = options.onEviction;
  }

  async open(): Promise<void> {
    if (this.state !== 'new') throw new Error('MemoryOutboxStore.open() may be called once');
    this.state = 'open';
  }

  async append(records: readonly R[]): Promise<void> {
    return this.enqueue(records, prepareAppend);
  }

  async appendSerialised(records: readonly SerialisedRecord<R>[]): Promise<void> {
    return this.enqueue(records, prepareSerialisedAppend);
  }

  /** Checks and frames the records after the last seq taken, and joins the next commit group. */
  private async enqueue<T>(records: readonly T[], prepare: (records: readonly T[], afterSeq: number, maxRecordBytes: number) => PreparedAppend): Promise<void> {
    this.assertOpen();
    if (records.length === 0) return;
    const prepared = prepare(records, this.enqueuedSeq, this.maxRecordBytes);
    this.enqueuedSeq = prepared.lastSeq;
    return this.committer.submit(prepared);
  }

  async peek(maxCount: number, maxBytes: number): Promise<StoredRecord<R>[]> {
    this.assertOpen();
    if (!Number.isSafeInteger(maxCount) || maxCount < 1) throw new RangeError('maxCount must be a positive integer');
    if (!(maxBytes > 0)) throw new RangeError('maxBytes must be positive');
    const out: StoredRecord<R>[] = [];
    let bytes = 0;
    for (const entry of this.entries) {
      if (out.length >= maxCount || (out.length > 0 && bytes + entry.jsonBytes > maxBytes)) break;
      const record = decodeRecord(entry.json, entry.seq, entry.severity);
      if (record === null) throw new Error(`memory outbox: record ${entry.seq} no longer decodes`);
      // Checked against R's shape on append; a fresh parse, as the file store returns.
      out.push({ record: record as R, appendedAt: entry.appendedAt, bytes: entry.jsonBytes });
      bytes += entry.jsonBytes;
    }
    return out;
  }

  async ack(uptoSeq: number): Promise<void> {
    this.assertOpen();
    if (!Number.isSafeInteger(uptoSeq)) throw new RangeError('ack needs an integer seq');
    if (uptoSeq <= this.ackedSeq) return;
    if (uptoSeq > this.lastSeq) throw new RangeError(`cannot ack ${uptoSeq}: last appended is ${this.lastSeq}`);
    let done = 0;
    while (done < this.entries.length && (this.entries[done]?.seq ?? Number.POSITIVE_INFINITY) <= uptoSeq) {
      this.pendingBytes -= frameBytes(this.entries[done]);
      done += 1;
    }
    this.entries.splice(0, done);
    this.ackedSeq = uptoSeq;
  }

  async lastRecord(): Promise<R | undefined> {
    this.assertOpen();
    if (this.last === null) return undefined;
    const record = decodeRecord(this.last.json, this.last.seq, this.last.severity);
    if (record === null) throw new Error(`memory outbox: record ${this.last.seq} no longer decodes`);
    return record as R;
  }

  stats(): OutboxStats {
    return {
      pending: this.entries.length,
      pendingBytes: this.pendingBytes,
      oldestTs: this.entries[0]?.appendedAt ?? null,
      lastAppendedSeq: this.lastSeq === NO_SEQ ? null : this.lastSeq,
      lastAckedSeq: this.ackedSeq === NO_SEQ ? null : this.ackedSeq,
      corruptRecordsSkipped: 0,
      evictedRecords: this.evicted,
      rejectedRecords: this.rejected,
      commits: this.commits,
      segments: 0,
      diskBytes: 0,
    };
  }

  onAppended(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    await this.committer.idle();
    this.listeners.clear();
    this.state = 'closed';
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new OutboxClosedError();
  }

  private async commitGroup(group: readonly PendingRequest<PreparedAppend>[]): Promise<void> {
    const admission = planGroupAdmission(
      group.map(({ value }) => ({ bytes: value.jsonBytes + value.records.length * FRAME_OVERHEAD, severity: value.severity })),
      this.pendingBytes,
      this.infoCandidates(),
      this.limits,
    );
    if (admission.evict.length > 0) this.evict(new Set(admission.evict), admission.evictBytes);
    const appendedAt = this.now();
    const accepted: PendingRequest<PreparedAppend>[] = [];
    for (const [position, request] of group.entries()) {
      if (admission.accepted[position] !== true) {
        this.rejected += request.value.records.length;
        request.reject(new OutboxFullError(`outbox holds ${this.pendingBytes} of ${this.limits.maxBytes} bytes and no info record is left to evict`));
        continue;
      }
      for (const record of request.value.records) {
        const entry = { seq: record.seq, severity: record.severity, appendedAt, json: record.json, jsonBytes: record.jsonBytes };
        this.entries.push(entry);
        this.pendingBytes += frameBytes(entry);
        this.lastSeq = record.seq;
        this.last = entry;
      }
      accepted.push(request);
    }
    if (this.enqueuedSeq === group.at(-1)?.value.lastSeq) this.enqueuedSeq = this.lastSeq;
    if (accepted.length === 0) return;
    this.commits += 1;
    for (const request of accepted) request.resolve();
    const notice = { count: accepted.reduce((sum, { value }) => sum + value.records.length, 0), lastSeq: this.lastSeq };
    for (const listener of this.listeners) callSafely(this.logger, 'onAppended', listener, notice);
  }

  private *infoCandidates(): Generator<EvictionCandidate> {
    for (const entry of this.entries) {
      if (entry.severity === 'info' && entry !== this.last) yield { seq: entry.seq, bytes: frameBytes(entry) };
    }
  }

  private evict(victims: ReadonlySet<number>, bytes: number): void {
    this.entries = this.entries.filter((entry) => !victims.has(entry.seq));
    this.pendingBytes -= bytes;
    this.evicted += victims.size;
    callSafely(this.logger, 'onEviction', this.onEviction, { seqs: [...victims], bytes });
  }
}

function frameBytes(entry: MemoryEntry | undefined): number {
  return entry === undefined ? 0 : entry.jsonBytes + FRAME_OVERHEAD;
}
