// The contract every OutboxStore honours, run against each implementation (as
// MQTT.js runs one abstract suite against every IStore).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidRecordError, OutboxClosedError, OutboxFullError, OutboxSequenceError } from '../../../gateway/outbox/errors.ts';
import type { OutboxStore } from '../../../gateway/outbox/outbox-store.ts';
import type { EvictionReport, SerialisedRecord } from '../../../gateway/outbox/types.ts';
import type { TestEvent } from './support/events.ts';
import { makeEvent, makeEvents, seqsOf } from './support/events.ts';

export interface StoreOptions {
  readonly maxBytes?: number;
  readonly lowWaterRatio?: number;
  readonly now?: () => number;
  readonly onEviction?: (report: EvictionReport) => void;
}

export interface ContractHarness {
  open(options?: StoreOptions): Promise<OutboxStore<TestEvent>>;
  /** Closes `store` and opens the same storage again (durable stores only). */
  reopen(store: OutboxStore<TestEvent>, options?: StoreOptions): Promise<OutboxStore<TestEvent>>;
  cleanup(): Promise<void>;
}

/** Members in another order than JSON.stringify's, as a canonical (RFC 8785) producer would hand them over. */
function serialised(record: TestEvent): SerialisedRecord<TestEvent> {
  const { evidence, id, seq, severity, site, type } = record;
  return { record, json: JSON.stringify({ evidence, id, seq, severity, site, type }) };
}

async function peekAll(store: OutboxStore<TestEvent>): Promise<number[]> {
  return seqsOf(await store.peek(1_000_000, Number.MAX_SAFE_INTEGER));
}

export function describeOutboxStoreContract(
  name: string,
  /** Whether records and acks survive close and reopen. */
  durable: boolean,
  setup: () => Promise<ContractHarness>,
): void {
  describe(`OutboxStore contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: OutboxStore<TestEvent>;

    beforeEach(async () => {
      harness = await setup();
      store = await harness.open();
    });

    afterEach(async () => {
      await store.close();
      await harness.cleanup();
    });

    it('starts empty', async () => {
      expect(await store.peek(10, 1_000_000)).toEqual([]);
      expect(store.stats()).toMatchObject({ pending: 0, pendingBytes: 0, oldestTs: null, lastAppendedSeq: null, lastAckedSeq: null });
    });

    it('peeks oldest first and round-trips the payload', async () => {
      const events = makeEvents(1, 5);
      await store.append(events.slice(0, 2));
      await store.append(events.slice(2));
      const peeked = await store.peek(10, 1_000_000);
      expect(peeked.map(({ record }) => record)).toEqual(events);
      expect(peeked[0]?.bytes).toBe(Buffer.byteLength(JSON.stringify(events[0])));
      expect(store.stats()).toMatchObject({ pending: 5, lastAppendedSeq: 5, lastAckedSeq: null });
    });

    it('honours maxCount and maxBytes, but always returns one record', async () => {
      await store.append(makeEvents(1, 10));
      expect(seqsOf(await store.peek(3, 1_000_000))).toEqual([1, 2, 3]);
      const oneSize = (await store.peek(1, 1_000_000))[0]?.bytes ?? 0;
      expect(seqsOf(await store.peek(10, oneSize * 2 + 1))).toEqual([1, 2]);
      expect(seqsOf(await store.peek(10, 1))).toEqual([1]);
    });

    it('acks through a seq, idempotently, and peek moves on', async () => {
      await store.append(makeEvents(1, 6));
      await store.ack(3);
      expect(await peekAll(store)).toEqual([4, 5, 6]);
      await store.ack(2);
      expect(store.stats()).toMatchObject({ pending: 3, lastAckedSeq: 3 });
      await expect(store.ack(7)).rejects.toThrow(RangeError);
      await store.ack(6);
      expect(await peekAll(store)).toEqual([]);
      expect(store.stats()).toMatchObject({ pending: 0, pendingBytes: 0, oldestTs: null, lastAckedSeq: 6 });
    });

    it('tracks pendingBytes and oldestTs', async () => {
      await store.close();
      let now = 1_000;
      store = await harness.reopen(store, { now: () => now });
      await store.append([makeEvent(1)]);
      now = 2_000;
      await store.append([makeEvent(2)]);
      const [first, second] = await store.peek(2, 1_000_000);
      expect(first?.appendedAt).toBe(1_000);
      expect(store.stats().oldestTs).toBe(1_000);
      expect(store.stats().pendingBytes).toBeGreaterThan((first?.bytes ?? 0) + (second?.bytes ?? 0));
      await store.ack(1);
      expect(store.stats().oldestTs).toBe(2_000);
    });

    it('refuses seqs that do not rise, and stays usable', async () => {
      await store.append(makeEvents(1, 3));
      await expect(store.append([makeEvent(3)])).rejects.toBeInstanceOf(OutboxSequenceError);
      await expect(store.append([makeEvent(5), makeEvent(4)])).rejects.toBeInstanceOf(OutboxSequenceError);
      await expect(store.append([{ ...makeEvent(4), id: '' }])).rejects.toBeInstanceOf(InvalidRecordError);
      await store.append([makeEvent(4)]);
      expect(await peekAll(store)).toEqual([1, 2, 3, 4]);
    });

    it('group-commits appends issued together into one commit', async () => {
      const before = store.stats().commits;
      await Promise.all(Array.from({ length: 50 }, (_, index) => store.append([makeEvent(index + 1)])));
      expect(store.stats().commits - before).toBe(1);
      expect(await peekAll(store)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    });

    it('groups appends that arrive while a commit is in flight', async () => {
      const before = store.stats().commits;
      const appends: Promise<void>[] = [];
      for (let seq = 1; seq <= 40; seq++) {
        appends.push(store.append([makeEvent(seq)]));
        if (seq % 10 === 0) await Promise.resolve();
      }
      await Promise.all(appends);
      expect(store.stats().commits - before).toBeLessThan(40);
      expect(await peekAll(store)).toHaveLength(40);
    });

    it('notifies listeners after each durable append', async () => {
      const notices: { count: number; lastSeq: number }[] = [];
      const unsubscribe = store.onAppended((notice) => notices.push(notice));
      await store.append(makeEvents(1, 3));
      unsubscribe();
      await store.append([makeEvent(4)]);
      expect(notices).toEqual([{ count: 3, lastSeq: 3 }]);
    });

    it('returns the newest record ever appended, delivered or not', async () => {
      expect(await store.lastRecord()).toBeUndefined();
      const events = makeEvents(1, 4);
      await store.append(events);
      expect(await store.lastRecord()).toEqual(events[3]);
      await store.ack(4);
      expect(await store.lastRecord()).toEqual(events[3]);
    });

    describe('records handed over with their JSON', () => {
      it('stores the JSON given, in order with plain appends, in one commit when issued together', async () => {
        const events = makeEvents(1, 6);
        const handed = events.slice(2, 4).map(serialised);
        const before = store.stats().commits;
        await Promise.all([store.append(events.slice(0, 2)), store.appendSerialised(handed), store.append(events.slice(4))]);
        expect(store.stats().commits - before).toBe(1);
        const peeked = await store.peek(10, 1_000_000);
        expect(peeked.map(({ record }) => record)).toEqual(events);
        expect(peeked.slice(2, 4).map(({ bytes }) => bytes)).toEqual(handed.map(({ json }) => Buffer.byteLength(json)));
        expect(await store.lastRecord()).toEqual(events[5]);
      });

      it('refuses JSON that does not carry its record\'s seq, and stays usable', async () => {
        const [first, second] = makeEvents(1, 2);
        if (first === undefined || second === undefined) throw new Error('no events');
        const twelfth = makeEvent(12);
        await expect(store.appendSerialised([{ record: first, json: serialised(second).json }])).rejects.toBeInstanceOf(InvalidRecordError);
        await expect(store.appendSerialised([{ record: first, json: serialised(twelfth).json.replace('"seq":12', '"seq":10') }])).rejects.toBeInstanceOf(InvalidRecordError);
        await expect(store.appendSerialised([{ ...serialised(first), record: { ...first, id: '' } }])).rejects.toBeInstanceOf(InvalidRecordError);
        await store.appendSerialised([serialised(first)]);
        await expect(store.appendSerialised([serialised(first)])).rejects.toBeInstanceOf(OutboxSequenceError);
        await store.appendSerialised([serialised(second)]);
        expect(await peekAll(store)).toEqual([1, 2]);
      });

      it('applies the size bound to them as to any append', async () => {
        await store.close();
        store = await harness.open({ maxBytes: 1 });
        await expect(store.appendSerialised([serialised(makeEvent(1, 'warning'))])).rejects.toBeInstanceOf(OutboxFullError);
        await store.appendSerialised([serialised(makeEvent(1, 'critical'))]);
        expect(await peekAll(store)).toEqual([1]);
      });
    });

    it('refuses calls after close', async () => {
      await store.close();
      await expect(store.append([makeEvent(1)])).rejects.toBeInstanceOf(OutboxClosedError);
      await expect(store.peek(1, 1)).rejects.toBeInstanceOf(OutboxClosedError);
    });

    // Only durable stores promise anything across a reopen; the memory store is not asked.
    if (durable) {
      it('keeps records and acks across reopen', async () => {
        await store.append(makeEvents(1, 5));
        await store.ack(2);
        store = await harness.reopen(store);
        expect(await peekAll(store)).toEqual([3, 4, 5]);
        expect(store.stats()).toMatchObject({ lastAppendedSeq: 5, lastAckedSeq: 2, pending: 3 });
        await expect(store.append([makeEvent(5)])).rejects.toBeInstanceOf(OutboxSequenceError);
        const sixth = makeEvent(6);
        await store.append([sixth]);
        await store.ack(6);
        store = await harness.reopen(store);
        expect(store.stats()).toMatchObject({ lastAppendedSeq: 6, lastAckedSeq: 6, pending: 0 });
        expect(await store.lastRecord()).toEqual(sixth);
      });

      it('keeps records handed over with their JSON across reopen', async () => {
        const events = makeEvents(1, 3);
        await store.appendSerialised(events.map(serialised));
        store = await harness.reopen(store);
        expect((await store.peek(10, 1_000_000)).map(({ record }) => record)).toEqual(events);
        expect(await store.lastRecord()).toEqual(events[2]);
      });
    }

    describe('size bound', () => {
      // Every test event frames to the same size, so bounds are set in records.
      const recordBytes = async (probe: OutboxStore<TestEvent>): Promise<number> => {
        await probe.append([makeEvent(1_000_000)]);
        const bytes = probe.stats().pendingBytes;
        await probe.ack(1_000_000);
        return bytes;
      };

      it('evicts the oldest info first and never drops warning or critical', async () => {
        const size = await recordBytes(store);
        const evictions: EvictionReport[] = [];
        await store.close();
        const bounded = await harness.open({ maxBytes: size * 10, lowWaterRatio: 0.8, onEviction: (report) => evictions.push(report) });
        store = bounded;
        await store.append([makeEvent(1, 'critical'), makeEvent(2, 'info'), makeEvent(3, 'warning'), makeEvent(4, 'info')]);
        await store.append(makeEvents(5, 6, 'info'));
        expect(store.stats().pending).toBe(10);
        await store.append([makeEvent(11, 'info')]);
        // Down to the low-water mark: 8 records after the new one, so three old info go.
        expect(await peekAll(store)).toEqual([1, 3, 6, 7, 8, 9, 10, 11]);
        expect(evictions.flatMap((report) => report.seqs)).toEqual([2, 4, 5]);
        expect(store.stats().evictedRecords).toBe(3);
      });

      it('never evicts the newest record, which continues the chain', async () => {
        const size = await recordBytes(store);
        await store.close();
        store = await harness.open({ maxBytes: size * 2, lowWaterRatio: 1 });
        await store.append([makeEvent(1, 'warning'), makeEvent(2, 'info')]);
        // Making room would mean evicting info 2, the newest: refused instead.
        await expect(store.append([makeEvent(3, 'info')])).rejects.toBeInstanceOf(OutboxFullError);
        expect((await store.lastRecord())?.seq).toBe(2);
      });

      it('refuses info and warning once only warning and critical remain, but writes critical', async () => {
        const size = await recordBytes(store);
        await store.close();
        store = await harness.open({ maxBytes: size * 4 });
        await store.append([makeEvent(1, 'warning'), makeEvent(2, 'critical'), makeEvent(3, 'warning'), makeEvent(4, 'critical')]);
        await expect(store.append([makeEvent(5, 'info')])).rejects.toBeInstanceOf(OutboxFullError);
        await expect(store.append([makeEvent(5, 'warning')])).rejects.toBeInstanceOf(OutboxFullError);
        await store.append([makeEvent(5, 'critical')]);
        await store.append([makeEvent(6, 'info'), makeEvent(7, 'critical')]);
        expect(await peekAll(store)).toEqual([1, 2, 3, 4, 5, 6, 7]);
        expect(store.stats()).toMatchObject({ rejectedRecords: 2, evictedRecords: 0 });
        // Evicting info 6 alone would not make room: refused, and 6 is kept.
        await expect(store.append([makeEvent(8, 'info')])).rejects.toBeInstanceOf(OutboxFullError);
        expect(await peekAll(store)).toEqual([1, 2, 3, 4, 5, 6, 7]);
        await store.ack(5);
        await store.append([makeEvent(8, 'info')]);
        expect(await peekAll(store)).toEqual([6, 7, 8]);
        expect(store.stats().rejectedRecords).toBe(3);
      });
    });
  });
}
