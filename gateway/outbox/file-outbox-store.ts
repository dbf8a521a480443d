// The durable outbox: append-only segment files plus an atomically replaced cursor.
// Layout and recovery are described in README.md; the pieces live in their own
// files (framing, recovery, compaction, index, policy) and this class is the shell
// that sequences their I/O.
import { join } from 'node:path';
import { writeCursor } from './cursor-file.ts';
import { OutboxClosedError, OutboxFullError, mapWriteError } from './errors.ts';
import { FRAME_OVERHEAD, decodeFrame, encodeFrameInto } from './frame-codec.ts';
import type { OutboxFs, WritableFile } from './fs-layer.ts';
import { nodeFs, writeFully } from './fs-layer.ts';
import type { PendingRequest } from './group-commit.ts';
import { GroupCommitter } from './group-commit.ts';
import type { OutboxLogger } from './logger.ts';
import { callSafely, silentLogger } from './logger.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { PreparedAppend } from './record-codec.ts';
import { NO_SEQ, decodeRecord, prepareAppend, prepareSerialisedAppend } from './record-codec.ts';
import { rewriteSegment } from './segment-compaction.ts';
import type { Segment } from './segment-files.ts';
import { newSegment, segmentName } from './segment-files.ts';
import { SegmentIndex } from './segment-index.ts';
import { recoverDirectory } from './segment-recovery.ts';
import { SerialQueue } from './serial-queue.ts';
import type { SizeLimits } from './size-policy.ts';
import { planGroupAdmission, validateSizeLimits } from './size-policy.ts';
import type {
  AppendListener,
  CorruptionReport,
  EvictionReport,
  OutboxRecord,
  OutboxStats,
  SerialisedRecord,
  StoredRecord,
} from './types.ts';

export interface FileOutboxStoreOptions {
  readonly dir: string;
  /** Bound on pending framed bytes; see the policy in size-policy.ts. Default 256 MiB. */
  readonly maxBytes?: number;
  /** Evictions free space down to this fraction of maxBytes. Default 0.9. */
  readonly lowWaterRatio?: number;
  /** A segment is closed and a new one begun once it reaches this size. Default 8 MiB. */
  readonly segmentBytes?: number;
  /** Largest record JSON accepted. Default 8 MiB (MQTT payloads reach 4 MiB). */
  readonly maxRecordBytes?: number;
  readonly fs?: OutboxFs;
  readonly now?: () => number;
  readonly logger?: OutboxLogger;
  /** A corrupted record was skipped: the gateway raises an alarm. */
  readonly onCorruption?: (report: CorruptionReport) => void;
  /** Pending info records were dropped to stay under maxBytes. */
  readonly onEviction?: (report: EvictionReport) => void;
}

const MIB = 1024 * 1024;
const MAX_KEPT_BUFFER = 4 * MIB;

type State = 'new' | 'opening' | 'open' | 'closing' | 'closed';

interface ActiveSegment {
  readonly segment: Segment;
  readonly file: WritableFile;
}

export class FileOutboxStore<R extends OutboxRecord = OutboxRecord> implements OutboxStore<R> {
  private readonly dir: string;
  private readonly fs: OutboxFs;
  private readonly limits: SizeLimits;
  private readonly segmentBytes: number;
  private readonly maxRecordBytes: number;
  private readonly now: () => number;
  private readonly logger: OutboxLogger;
  private readonly options: FileOutboxStoreOptions;
  private readonly serial = new SerialQueue();
  private readonly committer = new GroupCommitter<PreparedAppend>((group) => this.serial.run(() => this.commitGroup(group)));
  private readonly listeners = new Set<AppendListener>();
  private state: State = 'new';
  private index = new SegmentIndex([], NO_SEQ, NO_SEQ);
  private active: ActiveSegment | null = null;
  /** Highest seq handed to append, committed or not: the next append must exceed it. */
  private enqueuedSeq = NO_SEQ;
  private corrupt = 0;
  private evicted = 0;
  private rejected = 0;
  private commits = 0;
  private writeBuffer = Buffer.alloc(0);

  constructor(options: FileOutboxStoreOptions) {
    const maxBytes = options.maxBytes ?? 256 * MIB;
    this.limits = { maxBytes, lowWaterBytes: Math.floor(maxBytes * (options.lowWaterRatio ?? 0.9)) };
    validateSizeLimits(this.limits);
    this.dir = options.dir;
    this.fs = options.fs ?? nodeFs;
    this.segmentBytes = options.segmentBytes ?? 8 * MIB;
    this.maxRecordBytes = options.maxRecordBytes ?? 8 * MIB;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.options = options;
  }

  async open(): Promise<void> {
    if (this.state !== 'new') throw new Error('FileOutboxStore.open() may be called once');
    this.state = 'opening';
    const recovery = await recoverDirectory(this.fs, this.dir, this.maxRecordBytes + FRAME_OVERHEAD);
    for (const report of recovery.corruption) this.reportCorruption(report);
    if (recovery.tornTailBytes > 0) {
      this.logger.info({ bytes: recovery.tornTailBytes }, 'outbox: truncated the torn tail of the last segment');
    }
    this.index = new SegmentIndex(recovery.segments, recovery.cursor.ackedSeq, recovery.cursor.lastSeq);
    this.enqueuedSeq = this.index.lastSeq;
    const last = this.index.segments.at(-1);
    if (last !== undefined && last.sizeBytes < this.segmentBytes) {
      this.active = { segment: last, file: await this.fs.open(join(this.dir, last.name), 'a') };
    }
    this.state = 'open';
    this.logger.info({ dir: this.dir, ...this.stats() }, 'outbox: opened');
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
    return this.serial.run(() => this.readPending(maxCount, maxBytes));
  }

  async ack(uptoSeq: number): Promise<void> {
    this.assertOpen();
    if (!Number.isSafeInteger(uptoSeq)) throw new RangeError('ack needs an integer seq');
    return this.serial.run(async () => {
      if (uptoSeq <= this.index.ackedSeq) return;
      if (uptoSeq > this.index.lastSeq) throw new RangeError(`cannot ack ${uptoSeq}: last appended is ${this.index.lastSeq}`);
      try {
        await writeCursor(this.fs, this.dir, { ackedSeq: uptoSeq, lastSeq: this.index.lastSeq });
      } catch (error) {
        throw mapWriteError(error);
      }
      this.index.recordAcked(uptoSeq);
      for (const segment of this.index.fullyAcked()) {
        if (this.active?.segment === segment) await this.retireActive();
        // Without a directory fsync a deleted segment may come back after a crash;
        // the cursor already marks its records delivered, so recovery drops it again.
        await this.fs.unlink(join(this.dir, segment.name));
        this.index.removeSegment(segment);
      }
    });
  }

  async lastRecord(): Promise<R | undefined> {
    this.assertOpen();
    return this.serial.run(async () => {
      for (let newest = this.index.newest(); newest !== null; newest = this.index.newest()) {
        const { segment, index } = newest;
        const record = await this.readRecord(segment, index);
        if (record !== null) return record.record;
        this.dropCorrupt(segment, index);
      }
      return undefined;
    });
  }

  stats(): OutboxStats {
    const { index } = this;
    return {
      pending: index.pendingCount,
      pendingBytes: index.pendingBytes,
      oldestTs: index.oldestPendingAt(),
      lastAppendedSeq: index.lastSeq === NO_SEQ ? null : index.lastSeq,
      lastAckedSeq: index.ackedSeq === NO_SEQ ? null : index.ackedSeq,
      corruptRecordsSkipped: this.corrupt,
      evictedRecords: this.evicted,
      rejectedRecords: this.rejected,
      commits: this.commits,
      segments: index.segments.length,
      diskBytes: index.diskBytes(),
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
    await this.serial.run(() => this.retireActive());
    this.listeners.clear();
    this.state = 'closed';
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new OutboxClosedError();
  }

  private async commitGroup(group: readonly PendingRequest<PreparedAppend>[]): Promise<void> {
    if (this.state !== 'open' && this.state !== 'closing') {
      for (const request of group) request.reject(new OutboxClosedError());
      return;
    }
    const admission = planGroupAdmission(
      group.map(({ value }) => ({ bytes: value.jsonBytes + value.records.length * FRAME_OVERHEAD, severity: value.severity })),
      this.index.pendingBytes,
      this.index.infoCandidates(),
      this.limits,
    );
    const accepted: PendingRequest<PreparedAppend>[] = [];
    for (const [position, request] of group.entries()) {
      if (admission.accepted[position] === true) {
        accepted.push(request);
        continue;
      }
      this.rejected += request.value.records.length;
      request.reject(new OutboxFullError(`outbox holds ${this.index.pendingBytes} of ${this.limits.maxBytes} bytes and no info record is left to evict`));
    }
    try {
      if (accepted.length > 0) {
        if (admission.evict.length > 0) await this.evict(admission.evict);
        await this.writeGroup(accepted.map(({ value }) => value));
      }
    } catch (error) {
      const mapped = mapWriteError(error);
      this.logger.warn({ err: error }, 'outbox: append failed');
      for (const request of accepted) request.reject(mapped);
      accepted.length = 0;
    }
    // A failed tail may be appended again with the same seqs, unless later appends
    // are already queued behind it.
    if (this.enqueuedSeq === group.at(-1)?.value.lastSeq) this.enqueuedSeq = this.index.lastSeq;
    for (const request of accepted) request.resolve();
    const last = accepted.at(-1);
    if (last !== undefined) {
      const notice = { count: accepted.reduce((sum, { value }) => sum + value.records.length, 0), lastSeq: last.value.lastSeq };
      for (const listener of this.listeners) callSafely(this.logger, 'onAppended', listener, notice);
    }
  }

  private async writeGroup(appends: readonly PreparedAppend[]): Promise<void> {
    let total = 0;
    for (const append of appends) total += append.jsonBytes + append.records.length * FRAME_OVERHEAD;
    const first = appends[0];
    if (first === undefined) return;
    const { segment, file } = await this.ensureActive(first.firstSeq);
    const appendedAt = this.now();
    const buffer = this.commitBuffer(total);
    let cursor = 0;
    for (const append of appends) {
      for (const record of append.records) {
        cursor = encodeFrameInto(buffer, cursor, record.json, record.jsonBytes, { seq: record.seq, severity: record.severity, appendedAt });
      }
    }
    try {
      await writeFully(file, buffer);
      await file.sync();
    } catch (error) {
      await this.abandonWrite(segment, file);
      throw error;
    }
    this.index.recordAppended(segment, appends, appendedAt);
    this.commits += 1;
  }

  /**
   * One buffer reused across commits (they never overlap: the serial queue): a
   * fresh one per commit is external memory that drives V8 into full collections.
   */
  private commitBuffer(size: number): Buffer {
    if (this.writeBuffer.length < size) this.writeBuffer = Buffer.allocUnsafe(Math.max(size, this.writeBuffer.length * 2));
    const buffer = this.writeBuffer.subarray(0, size);
    // A one-off huge commit must not pin its memory for the store's lifetime.
    if (this.writeBuffer.length > MAX_KEPT_BUFFER) this.writeBuffer = Buffer.alloc(0);
    return buffer;
  }

  /**
   * After a failed write or fsync the file's tail is unknown (a partial write, or
   * pages the kernel dropped), so cut it back to the last good size and start a new
   * segment for the next append rather than trust this one again.
   */
  private async abandonWrite(segment: Segment, file: WritableFile): Promise<void> {
    try {
      await file.truncate(segment.sizeBytes);
      await file.sync();
    } catch (error) {
      this.logger.error({ err: error, segment: segment.name }, 'outbox: could not truncate a failed write');
    }
    await this.retireActive();
  }

  private async ensureActive(firstSeq: number): Promise<ActiveSegment> {
    if (this.active !== null && this.active.segment.sizeBytes < this.segmentBytes) return this.active;
    await this.retireActive();
    const segment = newSegment(segmentName(firstSeq));
    const path = join(this.dir, segment.name);
    // A segment is named after the first seq written to it and later writes carry
    // higher seqs, so an existing file of this name can only be the empty leftover
    // of a failed first write of these same records: 'w' reuses it.
    const leftover = this.index.segments.find((other) => other.name === segment.name);
    if (leftover !== undefined) {
      if (leftover.entries.count > 0) throw new Error(`outbox: segment ${segment.name} already holds records`);
      this.index.removeSegment(leftover);
    }
    const file = await this.fs.open(path, 'w');
    try {
      // The new file's directory entry must be durable before records in it are acknowledged.
      await this.fs.syncDir(this.dir);
    } catch (error) {
      await file.close().catch(() => undefined);
      await this.fs.unlink(path).catch(() => undefined);
      throw error;
    }
    this.index.segments.push(segment);
    this.active = { segment, file };
    return this.active;
  }

  private async retireActive(): Promise<void> {
    const active = this.active;
    if (active === null) return;
    this.active = null;
    try {
      await active.file.close();
    } catch (error) {
      this.logger.warn({ err: error, segment: active.segment.name }, 'outbox: closing a segment failed');
    }
  }

  private async evict(seqs: readonly number[]): Promise<void> {
    const victims = new Set(seqs);
    const evicted: number[] = [];
    let bytes = 0;
    try {
      for (const segment of [...this.index.segments]) {
        const { entries } = segment;
        const inSegment: number[] = [];
        let segmentBytes = 0;
        for (let index = 0; index < entries.count; index++) {
          if (!victims.has(entries.seqAt(index))) continue;
          inSegment.push(entries.seqAt(index));
          segmentBytes += entries.lengthAt(index);
        }
        if (inSegment.length === 0) continue;
        if (this.active?.segment === segment) await this.retireActive();
        const { ackedSeq, lastSeq } = this.index;
        const rewritten = await rewriteSegment(this.fs, this.dir, segment, (index) => {
          const seq = entries.seqAt(index);
          return (seq > ackedSeq && !victims.has(seq)) || seq === lastSeq;
        });
        this.index.replaceSegment(segment, rewritten);
        evicted.push(...inSegment);
        bytes += segmentBytes;
      }
      // Record the highest seq: the evicted records may have been the newest ones.
      await writeCursor(this.fs, this.dir, { ackedSeq: this.index.ackedSeq, lastSeq: this.index.lastSeq });
    } finally {
      if (evicted.length > 0) {
        this.evicted += evicted.length;
        this.logger.warn({ count: evicted.length, bytes }, 'outbox: size bound reached, evicted oldest info records');
        callSafely(this.logger, 'onEviction', this.options.onEviction, { seqs: evicted, bytes });
      }
    }
  }

  private async readPending(maxCount: number, maxBytes: number): Promise<StoredRecord<R>[]> {
    for (;;) {
      const records: StoredRecord<R>[] = [];
      const bad: { segment: Segment; index: number }[] = [];
      for (const plan of this.index.planPeek(maxCount, maxBytes)) {
        const { entries } = plan.segment;
        const base = entries.offsetAt(plan.start);
        const lastIndex = plan.end - 1;
        const length = entries.offsetAt(lastIndex) + entries.lengthAt(lastIndex) - base;
        const bytes = await this.fs.readRange(join(this.dir, plan.segment.name), base, length);
        for (let index = plan.start; index < plan.end; index++) {
          const offset = entries.offsetAt(index) - base;
          const record = this.decodeStored(bytes.subarray(offset, offset + entries.lengthAt(index)), entries.seqAt(index));
          if (record === null) bad.push({ segment: plan.segment, index });
          else records.push(record);
        }
      }
      if (bad.length === 0) return records;
      // Damaged after open (bit rot): skip and report, then plan the read again.
      for (const { segment, index } of bad.reverse()) this.dropCorrupt(segment, index);
    }
  }

  private async readRecord(segment: Segment, index: number): Promise<StoredRecord<R> | null> {
    const { entries } = segment;
    const bytes = await this.fs.readRange(join(this.dir, segment.name), entries.offsetAt(index), entries.lengthAt(index));
    return this.decodeStored(bytes, entries.seqAt(index));
  }

  private decodeStored(frameBytes: Buffer, seq: number): StoredRecord<R> | null {
    const frame = decodeFrame(frameBytes, this.maxRecordBytes + FRAME_OVERHEAD);
    if (frame === null || frame.meta.seq !== seq) return null;
    const record = decodeRecord(frame.json.toString('utf8'), seq, frame.meta.severity);
    if (record === null) return null;
    // R's shape was checked when it was appended; the CRC vouches these are those bytes.
    return { record: record as R, appendedAt: frame.meta.appendedAt, bytes: frame.json.length };
  }

  private dropCorrupt(segment: Segment, index: number): void {
    const { entries } = segment;
    this.reportCorruption({ segment: segment.name, offset: entries.offsetAt(index), length: entries.lengthAt(index), reason: 'crc' });
    this.index.removeEntry(segment, index);
  }

  private reportCorruption(report: CorruptionReport): void {
    this.corrupt += 1;
    this.logger.error({ ...report }, 'outbox: corrupted record skipped');
    callSafely(this.logger, 'onCorruption', this.options.onCorruption, report);
  }
}
