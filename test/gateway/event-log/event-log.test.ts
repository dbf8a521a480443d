import { describe, expect, it } from 'vitest';
import { generateGatewayKeys, loadPrivateKey, loadPublicKey, verifyChain, type VerificationEvent } from '../../../protocol/index.ts';
import { createEventLog, type ChainStore, type SerialisedEvent } from '../../../gateway/event-log/event-log.ts';
import type { EventDraft } from '../../../gateway/event-log/event-draft.ts';

const keys = generateGatewayKeys();
// `count` marks each draft, so the test can tell them apart in the store.
const draft = (n: number): EventDraft => ({ type: 'tags.missing', severity: 'info', evidence: { tags: [], count: n } });

function memoryStore(): ChainStore & { events: VerificationEvent[]; json: string[]; failNext: boolean; pending: (() => void)[] ; hold: boolean } {
  const store = {
    events: [] as VerificationEvent[],
    json: [] as string[],
    failNext: false,
    hold: false,
    pending: [] as (() => void)[],
    async appendSerialised(events: readonly SerialisedEvent[]) {
      if (store.hold) await new Promise<void>((resolve) => store.pending.push(resolve));
      if (store.failNext) {
        store.failNext = false;
        throw new Error('disk full');
      }
      store.events.push(...events.map((e) => e.record));
      store.json.push(...events.map((e) => e.json));
    },
    async lastRecord() {
      return store.events.at(-1);
    },
  };
  return store;
}

describe('event log', () => {
  const deps = (store: ChainStore) => ({ store, privateKey: loadPrivateKey(keys.privateKeyPem), gatewayId: 'gw-1', site: 's1' });

  it('chains events with rising seq that verify against the public key', async () => {
    const store = memoryStore();
    const log = await createEventLog(deps(store));
    await log.append([draft(1), draft(2)]);
    await log.append([draft(3)]);
    expect(store.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verifyChain(store.events, loadPublicKey(keys.publicKeyPem))).toMatchObject({ ok: true, count: 3 });
  });

  it('hands the store JSON that parses back to each event and verifies on its own', async () => {
    const store = memoryStore();
    const log = await createEventLog(deps(store));
    await log.append([draft(1), { type: 'tags.missing', severity: 'warning', lotId: 'LOT-1', zone: 'bay-3', evidence: { tags: [{ epc: 'AB', urn: 'urn:epc:raw:é𝄞' }], count: 1 } }]);
    const parsed = store.json.map((json) => JSON.parse(json) as VerificationEvent);
    expect(parsed).toEqual(store.events);
    expect(verifyChain(parsed, loadPublicKey(keys.publicKeyPem))).toMatchObject({ ok: true, count: 2 });
  });

  it('continues seq and prevHash after a restart from the store', async () => {
    const store = memoryStore();
    await (await createEventLog(deps(store))).append([draft(1), draft(2)]);
    const reopened = await createEventLog(deps(store));
    expect(reopened.head()).toEqual({ seq: 2, hash: store.events[1]?.hash });
    await reopened.append([draft(3)]);
    expect(verifyChain(store.events, loadPublicKey(keys.publicKeyPem))).toMatchObject({ ok: true, count: 3 });
  });

  it('group-commits drafts that arrive while a write is in flight, keeping their order', async () => {
    const store = memoryStore();
    const log = await createEventLog(deps(store));
    store.hold = true;
    let appends = 0;
    const original = store.appendSerialised;
    store.appendSerialised = async (events) => {
      appends += 1;
      return original(events);
    };
    const first = log.append([draft(1)]);
    const second = log.append([draft(2)]);
    const third = log.append([draft(3), draft(4)]);
    store.hold = false;
    store.pending.splice(0).forEach((resolve) => resolve());
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(a.map((e) => e.seq)).toEqual([1]);
    expect(b.map((e) => e.seq)).toEqual([2]);
    expect(c.map((e) => e.seq)).toEqual([3, 4]);
    expect(appends).toBe(2);
    expect(store.events.map((e) => e.evidence.count)).toEqual([1, 2, 3, 4]);
  });

  it('leaves no hole in the chain when a write fails', async () => {
    const store = memoryStore();
    const log = await createEventLog(deps(store));
    await log.append([draft(1)]);
    store.failNext = true;
    await expect(log.append([draft(2)])).rejects.toThrow(/disk full/);
    await log.append([draft(3)]);
    expect(store.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(store.events[1]?.evidence.count).toBe(3);
    expect(verifyChain(store.events, loadPublicKey(keys.publicKeyPem))).toMatchObject({ ok: true });
  });
});

describe('event log with a full outbox', () => {
  it('still writes the critical events of a batch the outbox refused', async () => {
    const { OutboxFullError } = await import('../../../gateway/outbox/index.ts');
    const events: VerificationEvent[] = [];
    let release: () => void = () => {};
    const firstWrite = new Promise<void>((resolve) => (release = resolve));
    const store: ChainStore = {
      async appendSerialised(batch) {
        if (events.length === 0) await firstWrite;
        if (batch.some((e) => e.record.severity !== 'critical')) throw new OutboxFullError('full');
        events.push(...batch.map((e) => e.record));
      },
      lastRecord: async () => events.at(-1),
    };
    const log = await createEventLog({ store, privateKey: loadPrivateKey(keys.privateKeyPem), gatewayId: 'gw-1', site: 's1' });
    const first = log.append([{ type: 'tags.missing', severity: 'critical', evidence: { tags: [], count: 0 } }]);
    // These two arrive while the first write is in flight, so they share the next batch.
    const warning = log.append([{ type: 'tags.missing', severity: 'warning', evidence: { tags: [], count: 1 } }]);
    const critical = log.append([{ type: 'tags.missing', severity: 'critical', evidence: { tags: [], count: 2 } }]);
    release();
    await first;
    await expect(warning).rejects.toThrow(/outbox full/);
    expect((await critical).map((e) => e.seq)).toEqual([2]);
    expect(events.map((e) => e.evidence.count)).toEqual([0, 2]);
    expect(verifyChain(events, loadPublicKey(keys.publicKeyPem))).toMatchObject({ ok: true });
  });
});
