import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { IPublishPacket } from 'mqtt';
import { parseSiteConfig } from '../../../protocol/index.ts';
import { createLogger } from '../../../infra/logger.ts';
import { createPipeline } from '../../../gateway/pipeline/pipeline.ts';
import { createDeviceIngest } from '../../../gateway/ingest/device-ingest.ts';
import { createDevicePresenceStage } from '../../../gateway/devices/device-presence-stage.ts';
import type { Stage, StageContext } from '../../../gateway/pipeline/stage.ts';
import { createRfidStage, type RfidStage } from '../../../gateway/rfid/rfid-stage.ts';
import { createStaticManifestSource } from '../../../gateway/manifests/static-manifest-source.ts';
import { recordingEventLog } from '../../support/recording-event-log.ts';

const site = parseSiteConfig(`
site: s1
zones:
  - id: bay-a
    kind: storage
    readers: [{ reader: rd-a, antennas: [1, 2] }]
    cameras: [{ camera: cam-a, roi: { x: 0, y: 0, width: 10, height: 10 } }]
`);

const packet = (retain = false) => ({ retain, properties: {} }) as unknown as IPublishPacket;

async function setup(extra: Stage[] = []) {
  const metrics = new Registry();
  const eventLog = recordingEventLog();
  const pipeline = await createPipeline({ site, eventLog, log: createLogger('test'), metrics }, [
    (ctx) => createDevicePresenceStage(ctx, { silenceMs: 60_000 }),
    ...extra.map((s) => () => s),
  ]);
  const ingest = createDeviceIngest('s1', pipeline);
  const dropped = async () => (await metrics.getSingleMetric('gateway_messages_dropped_total')?.get())?.values ?? [];
  return { pipeline, eventLog, ingest, dropped };
}

describe('gateway pipeline', () => {
  it("tells stages the site's night on the warehouse's clock, which may run apart from the gateway's", async () => {
    // Night is 20:00–06:00 UTC by default. Noon at the gateway is night at a site twelve hours on.
    const noon = Date.UTC(2026, 2, 2, 12);
    const nights: boolean[] = [];
    const probe = (ctx: StageContext): Stage => {
      nights.push(ctx.isNight(noon), ctx.isNight(noon + 9 * 3_600_000));
      return { name: 'probe', channels: [], handle: () => {} };
    };
    const deps = { site, eventLog: recordingEventLog(), log: createLogger('test'), metrics: new Registry() };
    await createPipeline(deps, [probe]);
    await createPipeline({ ...deps, metrics: new Registry(), siteTime: (ms) => ms + 12 * 3_600_000 }, [probe]);
    expect(nights).toEqual([false, true, true, false]);
  });

  it('turns a device status and first activity into presence events with device refs and zones', async () => {
    const { pipeline, eventLog, ingest } = await setup();
    ingest('wh/s1/rfid/rd-a/events', Buffer.from('[]'), packet());
    ingest('wh/s1/device/cam-a/status', Buffer.from('{"state":"offline"}'), packet(true));
    await pipeline.settled();
    expect(eventLog.drafts).toMatchObject([
      { type: 'device.online', severity: 'info', zone: 'bay-a', evidence: { device: 's1/rfid/rd-a', reason: 'activity' } },
      { type: 'device.offline', severity: 'warning', zone: 'bay-a', evidence: { device: 's1/camera/cam-a', reason: 'status' } },
    ]);
  });

  it('counts and drops unknown topics, other sites, and bad status payloads without stopping', async () => {
    const { pipeline, eventLog, ingest, dropped } = await setup();
    ingest('wh/s1/unknown/x/y', Buffer.from('{}'), packet());
    ingest('wh/bad site/rfid/rd-a/events', Buffer.from('{}'), packet());
    ingest('wh/s2/rfid/rd-a/events', Buffer.from('{}'), packet());
    ingest('wh/s1/device/rd-a/status', Buffer.from('not json'), packet());
    ingest('wh/s1/device/rd-a/status', Buffer.from('{"state":"sleeping"}'), packet());
    ingest('wh/s1/device/rd-a/status', Buffer.from('{"state":"online"}'), packet());
    await pipeline.settled();
    const byReason = Object.fromEntries((await dropped()).map((v) => [`${v.labels.channel}:${v.labels.reason}`, v.value]));
    expect(byReason).toEqual({ 'unknown:bad_topic': 1, 'unknown:bad_id': 1, 'unknown:other_site': 1, 'device.status:bad_status': 2 });
    expect(eventLog.drafts.map((d) => d.type)).toEqual(['device.online']);
  });

  it('isolates a failing stage: the others still get the message', async () => {
    const seen: string[] = [];
    const broken: Stage = { name: 'broken', channels: ['rfid.events'], handle: () => { throw new Error('boom'); } };
    const healthy: Stage = { name: 'healthy', channels: ['rfid.events'], handle: (m) => void seen.push(m.deviceId) };
    const { ingest, pipeline } = await setup([broken, healthy]);
    ingest('wh/s1/rfid/rd-a/events', Buffer.from('[]'), packet());
    ingest('wh/s1/rfid/rd-b/events', Buffer.from('[]'), packet());
    await pipeline.settled();
    expect(seen).toEqual(['rd-a', 'rd-b']);
  });
});

describe('RFID decoding at the edge', () => {
  it('keeps the good reads of a payload and counts each bad element by reason', async () => {
    const metrics = new Registry();
    const pipeline = await createPipeline({ site, eventLog: recordingEventLog(), log: createLogger('test'), metrics }, [
      (ctx) => createRfidStage(ctx, { manifests: createStaticManifestSource({ site: 's1', generatedAt: '2026-01-01T00:00:00.000Z', lots: [], releaseOrders: [] }) }),
    ]);
    const rfid = pipeline.stages.find((s) => s.name === 'rfid') as RfidStage;
    const ingest = createDeviceIngest('s1', pipeline);
    const payload = [
      JSON.stringify({ epc: '3074257BF7194E4000001A85', antenna: 1, rssi: -50, ts: '2026-01-01T00:00:00Z' }),
      '{"tagInventoryEvent":{"epc":"!!!","antennaPort":1,"peakRssiCdbm":-5000}}',
      '{"epc":"3074257BF7194E4000001A","antenna":1,"rssi":-50}',
      '{"foo":1}',
      JSON.stringify({ data: { idHex: 'e2801190a5021f80055817ca', antenna: 2, peakRssi: -61 }, timestamp: '2026-01-01T00:00:00.000+0000', type: 'SIMPLE' }),
    ].join('\n');
    ingest('wh/s1/rfid/rd-a/events', Buffer.from(payload), packet());
    ingest('wh/s1/rfid/rd-a/events', Buffer.from('{not json'), packet());
    rfid.drain();
    const reads = (await metrics.getSingleMetric('gateway_rfid_reads_total')?.get())?.values[0]?.value;
    expect(reads).toBe(2);
    const errors = (await metrics.getSingleMetric('gateway_rfid_decode_errors_total')?.get())?.values ?? [];
    expect(Object.fromEntries(errors.map((v) => [v.labels.reason, v.value]))).toEqual({ bad_base64: 1, bad_epc: 1, unknown_format: 1, bad_json: 1 });
    const dropped = (await metrics.getSingleMetric('gateway_messages_dropped_total')?.get())?.values ?? [];
    expect(dropped).toMatchObject([{ labels: { channel: 'rfid.events', reason: 'rfid_decode' }, value: 2 }]);
  });
});

describe('bad input never stops ingestion', () => {
  it('survives arbitrary topics and payloads on every channel', async () => {
    const fc = await import('fast-check');
    const metrics = new Registry();
    const pipeline = await createPipeline({ site, eventLog: recordingEventLog(), log: createLogger('test'), metrics }, [
      (ctx) => createDevicePresenceStage(ctx, { silenceMs: 60_000 }),
      (ctx) => createRfidStage(ctx, { manifests: createStaticManifestSource({ site: 's1', generatedAt: '2026-01-01T00:00:00.000Z', lots: [], releaseOrders: [] }) }),
    ]);
    const rfid = pipeline.stages.find((s) => s.name === 'rfid') as RfidStage;
    const ingest = createDeviceIngest('s1', pipeline);
    const topic = fc.oneof(
      fc.string(),
      fc.constantFrom('rfid', 'camera', 'audio', 'sensor', 'device').chain((kind) =>
        fc.string().map((id) => `wh/s1/${kind}/${id}/${{ rfid: 'events', camera: 'frame', audio: 'pcm', sensor: 'reading', device: 'status' }[kind]}`),
      ),
    );
    fc.assert(
      fc.property(topic, fc.uint8Array({ maxLength: 512 }), (t, bytes) => {
        ingest(t, Buffer.from(bytes), packet());
      }),
      { numRuns: 2_000 },
    );
    ingest('wh/s1/rfid/rd-a/events', Buffer.from('{"epc":"3074257BF7194E4000001A85","antenna":1,"rssi":-50}'), packet());
    rfid.drain();
    const reads = (await metrics.getSingleMetric('gateway_rfid_reads_total')?.get())?.values[0]?.value ?? 0;
    expect(reads).toBeGreaterThanOrEqual(1);
  });
});
