// Child process of the ingest benchmark: the broker (embedded aedes, or MQTT_URL) and a
// publisher replaying the pre-generated stream on command, so neither competes with the
// subscriber under test for its process's CPU. Talks to the parent over IPC.
import { connectMqtt } from '../../infra/mqtt-connect.ts';
import { startBroker } from '../../infra/broker.ts';
import { generateStream, type StreamMessage, type StreamOptions } from './rfid-stream.ts';

type Command = { cmd: 'publish' } | { cmd: 'stop' } | { cmd: 'cpu' };

/** Publishes awaiting the broker's acknowledgement, at most: just under MQTT's 65,535 packet ids. */
const WINDOW = 60_000;

const send = (message: unknown): void => {
  process.send?.(message);
};

const options = JSON.parse(process.env.RFID_STREAM_OPTIONS ?? '{}') as StreamOptions;
const stream = await generateStream(options);
const broker = await startBroker({ url: process.env.MQTT_URL });
const publisher = await connectMqtt(broker.url, { clientId: `bench-rfid-publisher-${process.pid}`, reconnectPeriod: 0 });
send({
  ready: true,
  url: broker.url,
  messages: stream.length,
  bytes: stream.reduce((s, m) => s + m.payload.length, 0),
});

process.on('message', (message: Command) => {
  // The parent weighs what the broker and publisher cost against what is left for the gateway.
  if (message.cmd === 'cpu') {
    send({ cpu: process.cpuUsage() });
    return;
  }
  if (message.cmd === 'stop') {
    void publisher
      .endAsync()
      .then(() => broker.close())
      .then(() => process.exit(0));
    return;
  }
  const started = performance.now();
  // QoS 1, as the readers publish; flat out, in stream order. A per-event stream holds more
  // messages than MQTT has packet ids, so at most WINDOW await their acknowledgement.
  let sent = 0;
  let acked = 0;
  const onAck = () => {
    acked += 1;
    if (acked === stream.length) send({ published: true, ms: performance.now() - started });
    else pump();
  };
  const pump = () => {
    while (sent < stream.length && sent - acked < WINDOW) {
      const m = stream[sent++] as StreamMessage;
      publisher.publish(m.topic, m.payload, { qos: 1 }, onAck);
    }
  };
  pump();
});
