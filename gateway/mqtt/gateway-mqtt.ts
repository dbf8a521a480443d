import type { MqttClient, OnMessageCallback } from 'mqtt';
import { connectMqtt } from '../../infra/mqtt-connect.ts';
import { subscriptions, topics, type VerificationEvent } from '../../protocol/index.ts';
import type { Logger } from '../../infra/logger.ts';
import type { Backlog } from '../pipeline/backlog.ts';

export interface GatewayMqttOptions {
  url: string;
  site: string;
  gatewayId: string;
  version: string;
  log: Logger;
  onMessage: OnMessageCallback;
  /** While full, the message just handed over is not acknowledged and nothing more is read (backlog.ts). */
  backlog?: Backlog;
  /**
   * How long the broker keeps the session (subscriptions and QoS 1 messages for it) while
   * the gateway is away: a restart or an upgrade loses nothing devices sent meanwhile.
   */
  sessionExpirySeconds: number;
  /** The gateway's broker login; its username is also its client id (brokers with authentication require that). */
  credentials?: { username: string; password: string } | undefined;
}

export interface GatewayMqtt {
  publishEvent(event: VerificationEvent): void;
  publishLot(lotId: string, state: Record<string, unknown>): void;
  /** An empty retained message: MQTT's way to delete the lot's retained state. */
  clearLot(lotId: string): void;
  /** Whether the broker connection is up now (mqtt.js reconnects on its own). */
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * The gateway's MQTT session: device subscriptions at QoS 1, a retained status with an
 * `offline` last will, and publication of events and lot states for local consumers.
 * The durable copy of every event is the outbox; MQTT publication is a local courtesy.
 */
export async function connectGatewayMqtt(options: GatewayMqttOptions): Promise<GatewayMqtt> {
  const statusTopic = topics.gatewayStatus(options.site);
  const status = (state: 'online' | 'offline') =>
    JSON.stringify({ state, version: options.version, ts: new Date().toISOString(), gatewayId: options.gatewayId });
  const backlog = options.backlog;
  let connection = 0;
  // Handlers go on before the connection: a kept session's queued messages follow the CONNACK at once.
  const prepare = (client: MqttClient) => {
    client.on('message', options.onMessage);
    if (!backlog) return;
    client.on('close', () => (connection += 1));
    // mqtt.js acknowledges a QoS 1 message and parses the next packet only once this calls back.
    client.handleMessage = (_packet, done) => {
      if (!backlog.full()) return done();
      const held = connection;
      // An acknowledgement owed on a connection that has since closed is not sent on the next one.
      backlog.whenEased(() => {
        if (held === connection) done();
      });
    };
  };
  const client: MqttClient = await connectMqtt(
    options.url,
    {
      // One client id per gateway, and a session the broker keeps: QoS 1 device messages
      // sent while the gateway restarts wait for it. (MQTT 3.1.1 brokers such as the
      // embedded aedes keep a persistent session until it is resumed or the broker stops.)
      clientId: options.credentials?.username ?? `gateway-${options.gatewayId}`,
      ...(options.credentials ? { username: options.credentials.username, password: options.credentials.password } : {}),
      clean: false,
      properties: { sessionExpiryInterval: options.sessionExpirySeconds },
      reconnectPeriod: 2_000,
      will: { topic: statusTopic, payload: Buffer.from(status('offline')), qos: 1, retain: true },
    },
    prepare,
  );
  client.on('error', (error) => options.log.warn({ err: error }, 'MQTT error'));
  client.on('offline', () => options.log.warn('MQTT connection lost; reconnecting'));
  const announce = async () => {
    await client.subscribeAsync(subscriptions.devices(options.site), { qos: 1 });
    await client.publishAsync(statusTopic, status('online'), { qos: 1, retain: true });
  };
  // After a reconnect we subscribe again even when the broker kept the session: it then
  // re-sends the retained device statuses, which is exactly the state we need to re-learn.
  client.on('connect', () => {
    announce().catch((error: unknown) => options.log.warn({ err: error }, 'MQTT resubscribe failed'));
  });
  await announce();
  options.log.info({ url: options.url }, 'gateway connected to MQTT');

  const publish = (topic: string, body: unknown, retain: boolean) => {
    client.publish(topic, body === null ? '' : JSON.stringify(body), { qos: 1, retain }, (error) => {
      if (error) options.log.warn({ err: error, topic }, 'MQTT publish failed');
    });
  };
  return {
    publishEvent: (event) => publish(topics.gatewayEvents(options.site), event, false),
    publishLot: (lotId, state) => publish(topics.gatewayLot(options.site, lotId), state, true),
    clearLot: (lotId) => publish(topics.gatewayLot(options.site, lotId), null, true),
    connected: () => client.connected,
    async close() {
      if (client.connected) await client.publishAsync(statusTopic, status('offline'), { qos: 1, retain: true }).catch(() => {});
      await client.endAsync();
    },
  };
}
