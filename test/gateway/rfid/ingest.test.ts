import { evidenceField } from '../../support/evidence-examples.ts';
import { Registry } from 'prom-client';
import type { IPublishPacket } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../infra/logger.ts';
import { createDevicePresenceStage } from '../../../gateway/devices/device-presence-stage.ts';
import { createDeviceIngest } from '../../../gateway/ingest/device-ingest.ts';
import { createStaticManifestSource } from '../../../gateway/manifests/static-manifest-source.ts';
import { createPipeline } from '../../../gateway/pipeline/pipeline.ts';
import { createRfidStage, type RfidStage } from '../../../gateway/rfid/rfid-stage.ts';
import {
  MINUTE,
  SECOND,
  T0,
  compactPayload,
  epcs,
  impinjPayload,
  manifestOf,
  rfidHarness,
  testSite,
  zebraPayload,
  type Read,
} from './support/rfid-harness.ts';
import { recordingEventLog } from '../../support/recording-event-log.ts';

const tags = epcs(1000, 12);
const reads: Read[] = tags.map((epc, i) => ({ epc, antenna: 1 + (i % 4), rssi: -55 - i }));

describe('reader formats', () => {
  const formats: [string, (r: Read[], at: number) => string][] = [
    ['Impinj NDJSON', (r, at) => impinjPayload(r, at, 'ndjson')],
    ['Impinj array', (r, at) => impinjPayload(r, at, 'array')],
    ['Impinj concatenated', (r, at) => impinjPayload(r, at, 'concatenated')],
    ['Zebra IoT Connector', zebraPayload],
    ['compact', compactPayload],
  ];
  for (const [name, payload] of formats) {
    it(`verifies a lot from ${name} messages`, () => {
      const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]) });
      for (let t = T0; t < T0 + MINUTE; t += 5 * SECOND) {
        h.send('rd-a', payload(reads, t), t);
        h.tick(t);
      }
      h.tick(T0 + MINUTE);
      expect(h.rejects).toEqual([]);
      expect(h.ofType('lot.verified').map((e) => e.evidence)).toEqual([
        { expected: 12, present: 12, missing: 0, foreign: 0, verifiedQuantity: { value: '720', unit: 'kg' }, readers: ['s1/rfid/rd-a'] },
      ]);
    });
  }
});

describe('malformed bursts', () => {
  it('keeps the good reads, counts every bad element by reason, rejects the payload once, and keeps going', async () => {
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]) });
    const garbage = [
      '{not json',
      '\u0000\u0001\u0002',
      JSON.stringify({ tagInventoryEvent: { epc: '!!!', antennaPort: 1, peakRssiCdbm: -5000 } }),
      JSON.stringify({ epc: '3074257BF7194E4000001A', antenna: 1, rssi: -50 }),
      JSON.stringify({ foo: 1 }),
      JSON.stringify({ epc: tags[0], antenna: 1, rssi: -50, ts: '2024-03-12 10:00:00' }),
      Buffer.from([0xff, 0xfe, 0xfd]),
      JSON.stringify(Array.from({ length: 300 }, () => ({ bar: 2 }))),
    ];
    for (let t = T0; t < T0 + MINUTE; t += 5 * SECOND) {
      // Each round: a burst of bad payloads around a good one, and a good payload with bad elements inside.
      for (const g of garbage) h.send('rd-a', g, t);
      h.send('rd-a', compactPayload(reads, t), t);
      h.send('rd-a', `${compactPayload(reads.slice(0, 2), t)}\n{"epc":"zz","antenna":1,"rssi":-1}`, t);
      h.tick(t);
    }
    h.tick(T0 + MINUTE);
    expect(h.stage.snapshot()[0]).toMatchObject({ present: 12, missing: 0 });
    expect(new Set(h.rejects.map((r) => r.reason))).toEqual(new Set(['rfid_decode']));
    expect(h.rejects).toHaveLength(12 * (garbage.length + 1));
    const errors = Object.fromEntries((await h.metric('gateway_rfid_decode_errors_total')).map((v) => [v.labels['reason'], v.value]));
    // Control characters are not JSON either.
    expect(errors).toMatchObject({ bad_json: 24, bad_base64: 12, bad_epc: 24, unknown_format: 12 + 12 * 100, bad_timestamp: 12, bad_payload: 12, unclassified: 12 * 200 });
    expect((await h.metric('gateway_rfid_reads_total'))[0]?.value).toBe(12 * 14);
  });
});

describe('back-pressure', () => {
  it('only queues in handle(), decodes later in slices, and counts drops when the byte bound is hit', async () => {
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]), manualDefer: true, options: { maxQueueBytes: 4_000 } });
    const payload = compactPayload(reads, T0);
    expect(payload.length).toBeGreaterThan(1_000);
    for (let i = 0; i < 10; i++) h.send('rd-a', payload, T0 + i);
    // Nothing decoded on the MQTT callback.
    expect((await h.metric('gateway_rfid_payloads_total'))[0]?.value).toBe(0);
    expect(h.deferred.length).toBe(1);
    const accepted = Math.floor(4_000 / payload.length);
    expect(h.rejects.map((r) => r.reason)).toEqual(Array(10 - accepted).fill('overload'));
    expect((await h.metric('gateway_rfid_queue_dropped_total'))[0]?.value).toBe(10 - accepted);
    expect(Object.fromEntries((await h.metric('gateway_rfid_queue')).map((v) => [v.labels['unit'], v.value]))).toEqual({ messages: accepted, bytes: accepted * payload.length });
    expect(h.stage.health()).toMatchObject({ queue: { messages: accepted, dropped: 10 - accepted } });
    // Decoding runs in slices of at most batchBudgetMs, each scheduling the next while work remains.
    let slices = 0;
    for (let run = h.deferred.shift(); run; run = h.deferred.shift()) {
      run();
      slices += 1;
    }
    expect(slices).toBeGreaterThanOrEqual(1);
    expect((await h.metric('gateway_rfid_payloads_total'))[0]?.value).toBe(accepted);
    expect((await h.metric('gateway_rfid_reads_total'))[0]?.value).toBe(accepted * reads.length);
    expect(h.stage.health().queue.messages).toBe(0);
  });

  it('asks the MQTT session to stop reading from the pause mark, and lets it go once decoding is below half of it', async () => {
    const payload = compactPayload(reads, T0);
    const h = rfidHarness({
      manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]),
      manualDefer: true,
      options: { maxQueueBytes: 100 * payload.length, pauseQueueBytes: 4 * payload.length, batchBudgetMs: 1e-9 },
    });
    const backlog = h.stage.backlog;
    if (backlog === undefined) throw new Error('the RFID stage has no backlog');
    let resumed = 0;
    for (let i = 0; i < 3; i++) h.send('rd-a', payload, T0 + i);
    expect(backlog.full()).toBe(false);
    backlog.whenEased(() => (resumed += 1));
    expect(resumed).toBe(1);
    h.send('rd-a', payload, T0 + 3);
    expect(backlog.full()).toBe(true);
    expect((await h.metric('gateway_rfid_queue_paused_total'))[0]?.value).toBe(1);
    backlog.whenEased(() => (resumed += 1));
    backlog.whenEased(() => (resumed += 1));
    expect(resumed).toBe(1);
    // Past the mark the session stops reading, yet what still arrives is queued, not dropped.
    h.send('rd-a', payload, T0 + 4);
    expect(h.rejects).toEqual([]);
    // Slices of one payload each (the budget is spent after one): held until fewer than 2 (half the mark) wait.
    const queued: number[] = [];
    const held: number[] = [];
    while (h.stage.health().queue.messages > 0) {
      const run = h.deferred.shift();
      if (run === undefined) throw new Error('payloads queued but no decoding slice scheduled');
      run();
      queued.push(h.stage.health().queue.messages);
      held.push(resumed);
    }
    expect(queued).toEqual([4, 3, 2, 1, 0]);
    expect(held).toEqual([1, 1, 1, 3, 3]);
    expect((await h.metric('gateway_rfid_queue_paused_total'))[0]?.value).toBe(1);
    expect(backlog.full()).toBe(false);
    expect((await h.metric('gateway_rfid_payloads_total'))[0]?.value).toBe(5);
  });

  it('lets a held MQTT session go when the stage stops', async () => {
    const payload = compactPayload(reads, T0);
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]), manualDefer: true, options: { maxQueueBytes: 10 * payload.length, pauseQueueBytes: payload.length } });
    h.send('rd-a', payload, T0);
    let resumed = false;
    h.stage.backlog?.whenEased(() => (resumed = true));
    expect(resumed).toBe(false);
    await h.stage.stop?.();
    expect(resumed).toBe(true);
  });

  it('exposes reads, lag, tracked tags and cycle time as Prometheus metrics', async () => {
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]) });
    for (let t = T0; t < T0 + MINUTE; t += 5 * SECOND) {
      h.send('rd-a', compactPayload(reads, t), t);
      h.tick(t + 200);
    }
    const text = await h.metrics.metrics();
    for (const name of ['gateway_rfid_reads_total 144', 'gateway_rfid_payloads_total 12', 'gateway_rfid_tracked_tags{state="present"} 12', 'gateway_rfid_processing_lag_seconds_count 12', 'gateway_rfid_cycle_close_seconds_count']) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/gateway_rfid_lag_seconds 0\.2/);
  });
});

describe('through the gateway pipeline', () => {
  it('ingests MQTT messages off the callback and stays quiet about goods while a reader is away by its last will', async () => {
    let now = T0;
    const eventLog = recordingEventLog();
    const { drafts } = eventLog;
    const manifests = createStaticManifestSource(manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]));
    const pipeline = await createPipeline({ site: testSite(), eventLog, log: createLogger('test'), metrics: new Registry(), now: () => new Date(now) }, [
      (ctx) => createDevicePresenceStage(ctx, { silenceMs: 2 * MINUTE }),
      (ctx) => createRfidStage(ctx, { manifests }),
    ]);
    const rfid = pipeline.stages.find((s) => s.name === 'rfid') as RfidStage;
    const ingest = createDeviceIngest('s1', pipeline, () => new Date(now));
    const packet = (retain = false) => ({ retain, properties: {} }) as unknown as IPublishPacket;
    const idle = () => new Promise((resolve) => setImmediate(resolve));
    const advance = async (until: number, readerUp: boolean) => {
      for (; now < until; now += SECOND) {
        if (readerUp && now % (5 * SECOND) === 0) ingest('wh/s1/rfid/rd-a/events', Buffer.from(impinjPayload(reads, now)), packet());
        await idle();
        pipeline.tick(new Date(now));
      }
    };
    ingest('wh/s1/device/rd-a/status', Buffer.from('{"state":"online"}'), packet(true));
    await advance(T0 + 10 * MINUTE, true);
    ingest('wh/s1/device/rd-a/status', Buffer.from('{"state":"offline","reason":"connection-lost"}'), packet(true));
    await advance(T0 + 30 * MINUTE, false);
    ingest('wh/s1/device/rd-a/status', Buffer.from('{"state":"online"}'), packet(true));
    await advance(T0 + 40 * MINUTE, true);
    // On a busy machine the last slices may still be pending.
    rfid.drain();
    await pipeline.settled();
    expect(drafts.map((d) => [d.type, evidenceField(d, 'reason') ?? null])).toEqual([
      ['device.online', 'status'],
      ['lot.verified', null],
      ['device.offline', 'status'],
      ['device.online', 'status'],
      ['lot.verified', null],
    ]);
    expect(rfid.progress()).toEqual({ decoded: 2 * 10 * 12, dropped: 0, queued: 0 });
    await pipeline.stop();
  });
});
