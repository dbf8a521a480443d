import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, generateGatewayKeys, loadPrivateKey, sealEvent, type IngestReply, type VerificationEvent } from '../../../protocol/index.ts';
import { MemoryOutboxStore, createSender } from '../../../gateway/outbox/index.ts';
import { createCloudClient } from '../../../gateway/uplink/cloud-client.ts';
import { createCloudDeliver } from '../../../gateway/uplink/deliver-to-cloud.ts';
import { ManualTimers } from '../outbox/support/manual-timers.ts';

const keys = generateGatewayKeys();

function oneEvent(): VerificationEvent {
  const evidence = { version: '0.1.0', resumedAtSeq: 0, outboxPending: 0 };
  return sealEvent(
    { id: randomUUID(), site: 's1', gatewayId: 'gw-1', seq: 1, ts: '2026-01-01T00:00:00.000Z', type: 'gateway.started', severity: 'info', evidence },
    GENESIS_HASH,
    loadPrivateKey(keys.privateKeyPem),
  );
}

/** A logger whose lines the test reads. */
function capturingLog() {
  const lines: Array<{ level: number; msg: string; reason?: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

/** The cloud at the fetch boundary, answering each batch with the next of `replies` (then a good one). */
function cloudAnswering(replies: Array<() => Response>, delivered: number[]) {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    if (String(url).endsWith('/key')) return new Response('{}', { status: 200 });
    const next = replies.shift();
    if (next) return next();
    const { events } = JSON.parse(String(init?.body)) as { events: VerificationEvent[] };
    delivered.push(...events.map((e) => e.seq));
    const last = events.at(-1) as VerificationEvent;
    const reply: IngestReply = { accepted: events.length, duplicates: 0, rejected: [], anomalies: [], head: { seq: last.seq, hash: last.hash }, invalidEvidence: [] };
    return new Response(JSON.stringify(reply), { status: 200 });
  }) as typeof fetch;
}

describe('the cloud reply to an event batch', () => {
  it.each([
    ['a body missing the head', () => new Response(JSON.stringify({ accepted: 1, duplicates: 0, rejected: [], anomalies: [], invalidEvidence: [] }), { status: 200 })],
    ['a count of the wrong type', () => new Response(JSON.stringify({ accepted: '1', duplicates: 0, rejected: [], anomalies: [], head: { seq: 1, hash: 'x' }, invalidEvidence: [] }), { status: 200 })],
    ['a body that is not JSON', () => new Response('<html>proxy error</html>', { status: 200 })],
  ])('is a failed delivery when it is %s: logged, retried, then delivered', async (_what, badReply) => {
    const { log, lines } = capturingLog();
    const delivered: number[] = [];
    const cloud = createCloudClient({ baseUrl: 'http://cloud.test', gatewayId: 'gw-1', token: 't', fetchImpl: cloudAnswering([badReply], delivered) });
    const deliver = createCloudDeliver({ cloud, publicKeyPem: keys.publicKeyPem, log });
    const event = oneEvent();

    const first = await deliver([event], { signal: new AbortController().signal, attempt: 0 });
    expect(first.kind).toBe('retry');
    expect(lines.some((l) => l.level === 50 && l.msg.includes('does not fit the protocol'))).toBe(true);

    // The sender keeps the event and the next attempt delivers it: never a silent success.
    const store = new MemoryOutboxStore<VerificationEvent>();
    await store.open();
    await store.append([event]);
    const timers = new ManualTimers();
    const sender = createSender({ store, deliver, batchSize: 10, maxBatchBytes: 1 << 20, backoff: { initialMs: 100, maxMs: 100 }, timers });
    sender.start();
    await timers.runUntil(sender.flush());
    await sender.stop();
    expect(delivered).toEqual([1]);
    expect(store.stats()).toMatchObject({ pending: 0, lastAckedSeq: 1 });
  });

  it('keeps the outbox when the reply is malformed, until a reply fits', async () => {
    const { log } = capturingLog();
    const delivered: number[] = [];
    const bad = () => new Response(JSON.stringify({ accepted: 1 }), { status: 200 });
    const cloud = createCloudClient({ baseUrl: 'http://cloud.test', gatewayId: 'gw-1', token: 't', fetchImpl: cloudAnswering([bad, bad], delivered) });
    const deliver = createCloudDeliver({ cloud, publicKeyPem: keys.publicKeyPem, log });
    const store = new MemoryOutboxStore<VerificationEvent>();
    await store.open();
    await store.append([oneEvent()]);
    const timers = new ManualTimers();
    const sender = createSender({ store, deliver, batchSize: 10, maxBatchBytes: 1 << 20, backoff: { initialMs: 100, maxMs: 100 }, timers });
    sender.start();
    await timers.runUntil(sender.flush());
    await sender.stop();
    expect(delivered).toEqual([1]);
    expect(timers.delays.length).toBeGreaterThanOrEqual(2);
  });

  it('reports events stored with evidence that does not fit their type, and counts the batch delivered', async () => {
    const { log, lines } = capturingLog();
    const event = oneEvent();
    const reply: IngestReply = {
      accepted: 1,
      duplicates: 0,
      rejected: [],
      anomalies: [],
      head: { seq: 1, hash: event.hash },
      invalidEvidence: [{ id: event.id, seq: 1, message: 'evidence of gateway.started: /version: must be string' }],
    };
    const cloud = createCloudClient({ baseUrl: 'http://cloud.test', gatewayId: 'gw-1', token: 't', fetchImpl: cloudAnswering([() => new Response(JSON.stringify(reply), { status: 200 })], []) });
    const deliver = createCloudDeliver({ cloud, publicKeyPem: keys.publicKeyPem, log });
    expect(await deliver([event], { signal: new AbortController().signal, attempt: 0 })).toEqual({ kind: 'ok' });
    expect(lines.some((l) => l.level === 50 && l.msg.includes('evidence does not fit'))).toBe(true);
  });
});
