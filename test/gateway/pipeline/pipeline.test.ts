import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { IPublishPacket } from 'mqtt';
import { parseSiteConfig, type VerificationEvent } from '../../../protocol/index.ts';
import { createLogger } from '../../../infra/logger.ts';
import { createPipeline } from '../../../gateway/pipeline/pipeline.ts';
import { createDeviceIngest } from '../../../gateway/ingest/device-ingest.ts';
import { createDevicePresenceStage } from '../../../gateway/devices/device-presence-stage.ts';
import type { EventLog } from '../../../gateway/event-log/event-log.ts';
import type { EventDraft } from '../../../gateway/event-log/event-draft.ts';
import type { Stage } from '../../../gateway/pipeline/stage.ts';

const site = parseSiteConfig(`
site: s1
zones:
  - id: bay-a
    kind: storage
    readers: [{ reader: rd-a, antennas: [1, 2] }]
    cameras: [{ camera: cam-a, roi: { x: 0, y: 0, width: 10, height: 10 } }]
`);

function fakeEventLog(): EventLog & { drafts: EventDraft[] } {
  const drafts: EventDraft[] = [];
  return {
    drafts,
    async append(batch) {
      drafts.push(...batch);
      return batch.map((d, i) => ({ ...d, seq: drafts.length - batch.length + i + 1 }) as unknown as VerificationEvent);
    },
    head: () => ({ seq: drafts.length, hash: '' }),
  };
}

const packet = (retain = false) => ({ retain, properties: {} }) as unknown as IPublishPacket;

async function setup(extra: Stage[] = []) {
  const metrics = new Registry();
  const eventLog = fakeEventLog();
  const pipeline = await createPipeline({ site, eventLog, log: createLogger('test'), metrics }, [
    (ctx) => createDevicePresenceStage(ctx, { silenceMs: 60_000 }),
    ...extra.map((s) => () => s),
  ]);
  const ingest = createDeviceIngest('s1', pipeline);
  const dropped = async () => (await metrics.getSingleMetric('gateway_messages_dropped_total')?.get())?.values ?? [];
  return { pipeline, eventLog, ingest, dropped };
}

describe('gateway pipeline', () => {
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
