import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type BrokerHandle } from '../../../infra/broker.ts';
import { connectMqtt } from '../../../infra/mqtt-connect.ts';
import { createLogger } from '../../../infra/logger.ts';
import { nightHours, parseSiteConfig, topics } from '../../../protocol/index.ts';
import { encodeS16le } from '../../../firmware-sim/audio/dsp.ts';
import { synthesiseClip } from '../../../firmware-sim/index.ts';
import { createAudioStage, type AudioStage } from '../../../gateway/audio/audio-stage.ts';
import { createDeviceIngest } from '../../../gateway/ingest/device-ingest.ts';
import { connectGatewayMqtt, type GatewayMqtt } from '../../../gateway/mqtt/gateway-mqtt.ts';
import type { DeviceMessage } from '../../../gateway/pipeline/device-message.ts';
import type { Pipeline } from '../../../gateway/pipeline/pipeline.ts';
import { Registry } from 'prom-client';
import { uniqueId } from '../../support/unique-id.ts';
import { committedClassifier } from './support/classifier.ts';

const CHUNKS = 12;

describe('audio over MQTT (embedded broker, or Mosquitto with MQTT_URL)', () => {
  const siteId = uniqueId('s');
  const site = parseSiteConfig(`site: ${siteId}\nzones: [{ id: bay-a, kind: storage, microphones: [mic-1] }]`);
  let broker: BrokerHandle;
  let stage: AudioStage;
  let gateway: GatewayMqtt;
  let arrived: (n: number) => Promise<void>;

  beforeAll(async () => {
    broker = await startBroker({ url: process.env.MQTT_URL });
    const log = createLogger('test', { level: 'silent' });
    stage = await createAudioStage(
      { site, emit: () => {}, now: () => new Date(), isNight: nightHours(site), log, metrics: new Registry(), reject: () => {} },
      { classifier: await committedClassifier(), defer: () => {} },
    );
    const received: DeviceMessage[] = [];
    let waiters: { n: number; resolve: () => void }[] = [];
    arrived = (n) => (received.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })));
    const pipeline: Pipeline = {
      dispatch(m) {
        received.push(m);
        stage.handle(m);
        const due = waiters.filter((w) => received.length >= w.n);
        waiters = waiters.filter((w) => received.length < w.n);
        for (const w of due) w.resolve();
      },
      rejectTopic: () => {},
      tick: () => {},
      settled: async () => {},
      stages: [stage],
      addObserver: () => {
        throw new Error('no observer in this test');
      },
      backlog: { full: () => false, whenEased: (resume) => resume() },
      stop: async () => {},
    };
    gateway = await connectGatewayMqtt({ url: broker.url, site: siteId, gatewayId: uniqueId('gw'), version: 'test', log, onMessage: createDeviceIngest(siteId, pipeline), sessionExpirySeconds: 60 });
  });

  afterAll(async () => {
    await gateway?.close();
    await broker?.close();
  });

  it('reassembles a microphone stream whether or not the broker passes MQTT 5 user properties, and counts which', async () => {
    const device = await connectMqtt(broker.url, { clientId: uniqueId('mic') });
    const pcm = encodeS16le(synthesiseClip({ label: 'engine', seed: 1, durationS: CHUNKS / 2 }).samples);
    const t0 = Date.now();
    for (let k = 0; k < CHUNKS; k += 1) {
      await device.publishAsync(topics.audioPcm(siteId, 'mic-1'), pcm.subarray(k * 16_000, (k + 1) * 16_000), {
        qos: 1,
        properties: { userProperties: { rate: '16000', ts: new Date(t0 + k * 500).toISOString(), seq: String(k + 1) } },
      });
    }
    await arrived(CHUNKS);
    await device.endAsync();
    stage.drain();
    const [mic] = stage.health().microphones;
    expect(mic?.counters).toMatchObject({ chunks: CHUNKS, gaps: 0, duplicates: 0, late: 0 });
    // Chunk by chunk one second windows: 6 s of sound, the last one short of its final frame.
    expect(mic?.windows).toBe(CHUNKS / 2 - 1);
    const withProperties = mic?.counters.arrivalTimed === 0;
    // aedes speaks MQTT 3.1.1 only: user properties are lost, so the stream is timed by arrival and counted.
    if (process.env.MQTT_URL === undefined) expect(withProperties).toBe(false);
    expect(mic?.counters).toMatchObject(withProperties ? { arrivalTimed: 0, unsequenced: 0 } : { arrivalTimed: CHUNKS, unsequenced: CHUNKS });
  });
});
