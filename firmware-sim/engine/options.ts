export type RfidFormatName = 'impinj' | 'zebra' | 'compact';
export type ImpinjBatching = 'ndjson' | 'array' | 'concatenated';

export interface DeviceOptions {
  /** When set, only these device ids are simulated (tests use it to keep runs small). */
  only?: string[];
  rfid: {
    enabled: boolean;
    /** One inventory report per round; storage readers report every 5 s by default. */
    roundMs: number;
    /** Door (portal) readers report faster, tags pass in seconds. */
    doorRoundMs: number;
    /** `mix` cycles Impinj, Zebra, compact over readers in site order. */
    format: RfidFormatName | 'mix';
    /** Per-reader format, overriding `format`. */
    formats: Record<string, RfidFormatName>;
    /** How Impinj readers batch a round when `maxEventsPerMessage` > 1; `mix` alternates ndjson and array. */
    impinjBatching: ImpinjBatching | 'mix';
    /** Chance per neighbouring tag per round that an edge antenna ghost-reads it. */
    ghostRate: number;
    /** Stray tags (foreign goods, asset tags, factory-default EPCs) pass through now and then. */
    strayTags: boolean;
    /**
     * Events per MQTT message. 1 publishes each event as a bare JSON object, as the vendors'
     * MQTT outputs do by default: Impinj's IoT device interface batches only its webhooks,
     * Zebra's IoT Connector batches over MQTT only when configured to (as Zebra advises at
     * high read rates). Above 1 each round goes out in batches: Impinj's as `impinjBatching`
     * (what an HTTP-stream or webhook bridge forwards), Zebra's and compact ones as a JSON
     * array. Batched is the default so that runs many times faster than real time (tests,
     * the demo) stay a few messages per round.
     */
    maxEventsPerMessage: number;
    /** Events a reader buffers while it cannot reach the broker; older ones are purged. */
    bufferEvents: number;
    transmitPowerCdbm: number;
  };
  camera: {
    enabled: boolean;
    width: number;
    height: number;
    frameMs: number;
    /** JPEG quality; lower means stronger compression artefacts. */
    quality: number;
  };
  audio: {
    enabled: boolean;
    rate: number;
    chunkMs: number;
  };
  sensors: {
    enabled: boolean;
    scaleMs: number;
    climateMs: number;
  };
  connection: {
    /** Cameras and microphones try MQTT 5 first (user properties) and fall back to 3.1.1. */
    preferMqtt5: boolean;
    keepaliveS: number;
    /** Exponential reconnect backoff, real ms. */
    reconnectMinMs: number;
    reconnectMaxMs: number;
    /**
     * Publishes handed to the broker and not yet acknowledged (QoS 1) or written (QoS 0);
     * beyond it the device holds messages itself, as Impinj's `eventPendingDeliveryLimit`
     * does, instead of piling them on a socket the broker reads too slowly.
     */
    maxInFlight: number;
    /**
     * Messages a device holds while its delivery window is full or its session is down;
     * beyond it the oldest are purged and counted, as Impinj's `eventBufferSize` (with its
     * `overflow` report) and Zebra's retention limits do.
     */
    bufferMessages: number;
  };
}

export type DeviceOverrides = {
  only?: string[];
} & { [K in Exclude<keyof DeviceOptions, 'only'>]?: Partial<DeviceOptions[K]> };

export const DEFAULT_DEVICE_OPTIONS: DeviceOptions = {
  rfid: {
    enabled: true,
    roundMs: 5_000,
    doorRoundMs: 1_000,
    format: 'mix',
    formats: {},
    impinjBatching: 'mix',
    ghostRate: 0.0005,
    strayTags: true,
    maxEventsPerMessage: 500,
    bufferEvents: 5_000,
    transmitPowerCdbm: 3_000,
  },
  camera: { enabled: true, width: 640, height: 480, frameMs: 10_000, quality: 72 },
  audio: { enabled: true, rate: 16_000, chunkMs: 500 },
  sensors: { enabled: true, scaleMs: 30_000, climateMs: 60_000 },
  connection: { preferMqtt5: true, keepaliveS: 30, reconnectMinMs: 500, reconnectMaxMs: 30_000, maxInFlight: 100, bufferMessages: 2_000 },
};

export function resolveDeviceOptions(overrides: DeviceOverrides = {}): DeviceOptions {
  const d = DEFAULT_DEVICE_OPTIONS;
  const resolved: DeviceOptions = {
    rfid: { ...d.rfid, ...overrides.rfid, formats: { ...d.rfid.formats, ...overrides.rfid?.formats } },
    camera: { ...d.camera, ...overrides.camera },
    audio: { ...d.audio, ...overrides.audio },
    sensors: { ...d.sensors, ...overrides.sensors },
    connection: { ...d.connection, ...overrides.connection },
  };
  if (overrides.only) resolved.only = [...overrides.only];
  validate(resolved);
  return resolved;
}

function positive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`devices.${name} must be a positive number, got ${value}`);
}

function validate(o: DeviceOptions): void {
  positive('rfid.roundMs', o.rfid.roundMs);
  positive('rfid.doorRoundMs', o.rfid.doorRoundMs);
  if (!(Number.isInteger(o.rfid.maxEventsPerMessage) && o.rfid.maxEventsPerMessage >= 1)) {
    throw new RangeError(`devices.rfid.maxEventsPerMessage must be a whole number of at least 1, got ${o.rfid.maxEventsPerMessage}`);
  }
  positive('camera.width', o.camera.width);
  positive('camera.height', o.camera.height);
  positive('camera.frameMs', o.camera.frameMs);
  positive('audio.rate', o.audio.rate);
  positive('audio.chunkMs', o.audio.chunkMs);
  positive('sensors.scaleMs', o.sensors.scaleMs);
  positive('sensors.climateMs', o.sensors.climateMs);
  if (o.camera.quality < 1 || o.camera.quality > 100) throw new RangeError('devices.camera.quality must be 1–100');
  if (o.rfid.ghostRate < 0 || o.rfid.ghostRate > 1) throw new RangeError('devices.rfid.ghostRate must be 0–1');
  for (const name of ['maxInFlight', 'bufferMessages'] as const) {
    const value = o.connection[name];
    if (!(Number.isInteger(value) && value >= 1)) throw new RangeError(`devices.connection.${name} must be a whole number of at least 1, got ${value}`);
  }
}
