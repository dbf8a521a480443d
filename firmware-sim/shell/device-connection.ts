import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from '../../infra/logger.ts';
import type { DeviceOptions } from '../engine/options.ts';
import type { DeviceInfo, SimMessage } from '../engine/types.ts';

export interface ConnectionStats {
  published: number;
  bytes: number;
  /** Publishes lost because the device had no session (broker unreachable beyond the queue). */
  dropped: number;
  /** Oldest held messages purged because the device's buffer was full (its `overflow`). */
  overflowed: number;
  reconnects: number;
  /** The broker refused MQTT 5 and the device fell back to 3.1.1 (user properties lost). */
  fellBackToMqtt311: boolean;
}

export interface ConnectionDeps {
  url: string;
  info: DeviceInfo;
  options: DeviceOptions['connection'];
  log: Logger;
  /** The retained `online` status for a (re)connect the simulation did not schedule. */
  onlineNow: () => SimMessage;
}

/** How long a clean shutdown waits for the broker to take what is in flight. */
const CLOSE_GRACE_MS = 5_000;

/**
 * One device's MQTT session. The simulation decides when a device is reachable (`up`,
 * `down`); this class makes the broker see it: a fresh session with the retained
 * `offline` last will and a retained `online` on every connect, an abrupt TCP drop (no
 * DISCONNECT, so the broker fires the will) on `down`, and reconnects with exponential
 * backoff when the broker itself goes away. Cameras and microphones try MQTT 5 for user
 * properties and fall back to 3.1.1 when the broker refuses it (aedes, for one).
 */
export class DeviceConnection {
  readonly stats: ConnectionStats = { published: 0, bytes: 0, dropped: 0, overflowed: 0, reconnects: 0, fellBackToMqtt311: false };
  private readonly deps: ConnectionDeps;
  private client: MqttClient | undefined;
  private version: 4 | 5;
  private wanted = false;
  private closing = false;
  private connectedNow = false;
  private pendingOnline: SimMessage | undefined;
  /** Held by the device: its delivery window was full, or its session down. */
  private queue: SimMessage[] = [];
  /** Handed to the current session and not yet acknowledged or written. */
  private inFlight = 0;
  private session = 0;
  private lastOverflowLog = 0;
  private attempts = 0;
  private retryNow = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(deps: ConnectionDeps) {
    this.deps = deps;
    this.version = deps.info.protocolVersion;
  }

  get connected(): boolean {
    return this.connectedNow;
  }

  get protocolVersion(): 4 | 5 {
    return this.version;
  }

  /** Bytes accepted by the socket but not yet sent: a broker that cannot keep up shows here. */
  get backlogBytes(): number {
    return this.client?.stream?.writableLength ?? 0;
  }

  up(online: SimMessage): void {
    this.wanted = true;
    this.pendingOnline = online;
    if (this.connectedNow) this.flushOnline();
    else if (!this.client && !this.retry) this.open();
  }

  /** Loses the broker the hard way: the socket dies, the broker publishes the will. */
  down(): void {
    this.wanted = false;
    this.pendingOnline = undefined;
    this.queue = [];
    this.clearRetry();
    const client = this.client;
    this.client = undefined;
    this.connectedNow = false;
    this.inFlight = 0;
    if (client) {
      client.stream?.destroy();
      client.end(true);
    }
  }

  /** Messages the device holds now (window full or session down). */
  get held(): number {
    return this.queue.length;
  }

  publish(message: SimMessage): void {
    if (!this.wanted) {
      this.stats.dropped += 1;
      return;
    }
    if (this.connectedNow && this.client && this.queue.length === 0 && this.inFlight < this.deps.options.maxInFlight) {
      this.send(this.client, message);
      return;
    }
    this.queue.push(message);
    const excess = this.queue.length - this.deps.options.bufferMessages;
    if (excess > 0) this.overflow(excess);
  }

  /** The buffer is full: the oldest held messages go, as a real reader purges its oldest events. */
  private overflow(excess: number): void {
    this.queue.splice(0, excess);
    this.stats.overflowed += excess;
    const now = Date.now();
    if (now - this.lastOverflowLog >= 60_000) {
      this.lastOverflowLog = now;
      this.deps.log.warn(
        { device: this.deps.info.id, overflowed: this.stats.overflowed, bufferMessages: this.deps.options.bufferMessages, inFlight: this.inFlight },
        'device buffer full: the broker takes messages slower than the device produces them; oldest purged',
      );
    }
  }

  /** Hands held messages to the session while its delivery window has room. */
  private drain(): void {
    const client = this.client;
    if (!client || !this.connectedNow) return;
    while (this.queue.length > 0 && this.inFlight < this.deps.options.maxInFlight) {
      const next = this.queue.shift();
      if (next) this.send(client, next);
    }
  }

  /** Resolves once connected (or rejects after `timeoutMs`). */
  waitConnected(timeoutMs: number): Promise<void> {
    if (this.connectedNow) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        reject(new Error(`${this.deps.info.id} could not connect to ${this.deps.url} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(done);
    });
  }

  /**
   * Clean shutdown: publish `shutdown` (retained), then DISCONNECT so no will fires, once
   * the broker has taken what is in flight. A broker that has not within `graceMs` (it
   * fell far behind a fast simulation, say) no longer holds the device up: the session is
   * cut, as switching the device off would, and the broker publishes the will.
   */
  async close(shutdown: SimMessage | undefined, graceMs = CLOSE_GRACE_MS): Promise<void> {
    this.closing = true;
    this.wanted = false;
    this.clearRetry();
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    const wasConnected = this.connectedNow;
    this.connectedNow = false;
    const clean = (async () => {
      if (wasConnected && shutdown) {
        await new Promise<void>((resolve) => client.publish(shutdown.topic, shutdown.payload, { qos: 1, retain: true }, () => resolve()));
      }
      await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
      return true;
    })();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
    const cleanly = await Promise.race([clean, graceOver]);
    clearTimeout(timer);
    if (cleanly) return;
    this.deps.log.warn(
      { device: this.deps.info.id, inFlight: Object.keys(client.outgoing).length, backlogBytes: client.stream?.writableLength ?? 0 },
      'broker did not take the device’s last messages in time; session cut, its will says offline',
    );
    client.stream?.destroy();
  }

  private open(): void {
    if (this.closing) return;
    const { info, options, url, log } = this.deps;
    const clientOptions: IClientOptions = {
      clientId: info.clientId,
      ...(info.credentials ? { username: info.credentials.username, password: info.credentials.password } : {}),
      protocolVersion: this.version,
      clean: true,
      keepalive: options.keepaliveS,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      queueQoSZero: false,
      will: { topic: info.will.topic, payload: info.will.payload, qos: 1, retain: true },
    };
    const client = mqtt.connect(url, clientOptions);
    this.client = client;
    client.on('connect', () => {
      if (this.client !== client) return;
      this.attempts = 0;
      this.connectedNow = true;
      this.session += 1;
      this.inFlight = 0;
      if (!this.pendingOnline) this.pendingOnline = this.deps.onlineNow();
      this.flushOnline();
      this.drain();
      for (const w of this.waiters) w();
      this.waiters.clear();
    });
    client.on('error', (err: Error & { code?: number }) => {
      if (this.version === 5 && (err.code === 1 || err.code === 132 || /protocol version/i.test(err.message))) {
        this.version = 4;
        this.stats.fellBackToMqtt311 = true;
        this.retryNow = true;
        log.info({ device: info.id }, 'broker refused MQTT 5; falling back to 3.1.1 (no user properties)');
        return;
      }
      log.debug({ device: info.id, err: err.message }, 'mqtt error');
    });
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.connectedNow = false;
      // What was in flight on the lost session is the broker's or lost; the window starts afresh.
      this.session += 1;
      this.inFlight = 0;
      client.end(true);
      if (this.wanted && !this.closing) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const { reconnectMinMs, reconnectMaxMs } = this.deps.options;
    // A protocol fallback retries at once; real failures back off exponentially with jitter.
    const delay = this.retryNow ? 0 : Math.min(reconnectMaxMs, reconnectMinMs * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    if (!this.retryNow) {
      this.attempts += 1;
      this.stats.reconnects += 1;
    }
    this.retryNow = false;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.wanted && !this.client) this.open();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
  }

  private flushOnline(): void {
    const online = this.pendingOnline;
    this.pendingOnline = undefined;
    if (online && this.client) this.send(this.client, online);
  }

  private send(client: MqttClient, m: SimMessage): void {
    const properties = this.version === 5 && m.userProperties ? { properties: { userProperties: m.userProperties } } : {};
    const session = this.session;
    this.inFlight += 1;
    // Called once the broker acknowledged it (QoS 1) or it was written (QoS 0).
    client.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain, ...properties }, (err) => {
      if (err) this.stats.dropped += 1;
      if (session !== this.session) return;
      this.inFlight -= 1;
      this.drain();
    });
    this.stats.published += 1;
    this.stats.bytes += m.payload.length;
  }
}
