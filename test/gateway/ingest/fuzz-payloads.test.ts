import fc from 'fast-check';
import type { IPublishPacket } from 'mqtt';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../infra/logger.ts';
import { createDevicePresenceStage } from '../../../gateway/devices/device-presence-stage.ts';
import { createDeviceIngest } from '../../../gateway/ingest/device-ingest.ts';
import { createStaticManifestSource } from '../../../gateway/manifests/static-manifest-source.ts';
import { createPipeline } from '../../../gateway/pipeline/pipeline.ts';
import { createRfidStage } from '../../../gateway/rfid/rfid-stage.ts';
import { manifestOf, testSite } from '../rfid/support/rfid-harness.ts';
import { recordingEventLog } from '../../support/recording-event-log.ts';

const TOPICS = ['wh/s1/rfid/rd-a/events', 'wh/s1/camera/cam-a/frame', 'wh/s1/audio/mic-1/pcm', 'wh/s1/sensor/scale-a/reading', 'wh/s1/device/rd-a/status', 'wh/s1/rfid/../events', 'wh/s2/rfid/rd-a/events', 'wh/s1/gateway/status'];

const deepJson = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const hostileText = fc.oneof(
  fc.constantFrom('{"epc":"\u0000","antenna":1,"rssi":-50,"ts":"2026-01-01T00:00:00Z"}', '{"tagInventoryEvent":{"epcHex":"\ud800"}}', '{"state":"offline","ts":"9999-12-31T00:00:00Z"}', '{"kind":"weight","value":1e308,"unit":"kg"}', deepJson(20_000), '}{', '\u0000', '[]', 'null'),
  fc.json({ maxDepth: 4 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/**
 * Issue 17: whatever arrives on a device topic (random bytes, hostile JSON, 20,000-deep
 * nesting, NUL and lone surrogates), the gateway neither throws nor stops: bad messages
 * are counted as drops and decode errors, and no stage fails on them.
 */
describe('fuzzing every device topic into the gateway', () => {
  it('counts drops only, never throws, and keeps ingesting', async () => {
    const eventLog = recordingEventLog();
    const metrics = new Registry();
    const pipeline = await createPipeline({ site: testSite(), eventLog, log: createLogger('fuzz'), metrics }, [
      (ctx) => createDevicePresenceStage(ctx, { silenceMs: 60_000 }),
      (ctx) => createRfidStage(ctx, { manifests: createStaticManifestSource(manifestOf([])) }),
    ]);
    const ingest = createDeviceIngest('s1', pipeline);
    const packet = { retain: false, properties: {} } as unknown as IPublishPacket;
    fc.assert(
      fc.property(fc.constantFrom(...TOPICS), fc.oneof(hostileText.map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 2_000 }).map((b) => Buffer.from(b))), (topic, payload) => {
        ingest(topic, payload, packet);
        pipeline.tick();
      }),
      { seed: 17, numRuns: 400 },
    );
    await pipeline.settled();
    const text = await metrics.metrics();
    expect(text).toMatch(/gateway_messages_dropped_total\{[^}]*\} [1-9]/);
    expect(text).not.toMatch(/gateway_stage_errors_total\{[^}]*\} [1-9]/);
  });
});
