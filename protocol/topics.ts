import { ProtocolError } from './errors.ts';
import { assertId, describeValue } from './ids.ts';

/** The device kinds that appear in `wh/{site}/{kind}/{id}/…` topics and in evidence device refs. */
export type DeviceKind = 'rfid' | 'camera' | 'audio' | 'sensor';

export const DEVICE_KINDS: readonly DeviceKind[] = ['rfid', 'camera', 'audio', 'sensor'];

export type DeviceChannel =
  | 'rfid.events'
  | 'camera.frame'
  | 'audio.pcm'
  | 'sensor.reading'
  | 'device.status';

type DeviceTopic<C extends DeviceChannel> = { channel: C; site: string; deviceId: string };

export type ParsedTopic =
  | DeviceTopic<'rfid.events'>
  | DeviceTopic<'camera.frame'>
  | DeviceTopic<'audio.pcm'>
  | DeviceTopic<'sensor.reading'>
  | DeviceTopic<'device.status'>
  | { channel: 'gateway.status'; site: string }
  | { channel: 'gateway.events'; site: string }
  | { channel: 'gateway.lot'; site: string; lotId: string };

export type Channel = ParsedTopic['channel'];

const ROOT = 'wh';

/**
 * The one table of device topic shapes (PROTOCOL.md "devices → gateway"):
 * second-level segment, leaf segment and the channel they make together.
 */
const DEVICE_TOPICS: readonly { segment: string; leaf: string; channel: DeviceChannel }[] = [
  { segment: 'rfid', leaf: 'events', channel: 'rfid.events' },
  { segment: 'camera', leaf: 'frame', channel: 'camera.frame' },
  { segment: 'audio', leaf: 'pcm', channel: 'audio.pcm' },
  { segment: 'sensor', leaf: 'reading', channel: 'sensor.reading' },
  { segment: 'device', leaf: 'status', channel: 'device.status' },
];

function deviceTopic(segment: string, leaf: string, site: string, id: string, what: string): string {
  return `${ROOT}/${assertId('site', site)}/${segment}/${assertId(what, id)}/${leaf}`;
}

export const topics = {
  rfidEvents: (site: string, id: string): string => deviceTopic('rfid', 'events', site, id, 'rfid reader id'),
  cameraFrame: (site: string, id: string): string => deviceTopic('camera', 'frame', site, id, 'camera id'),
  audioPcm: (site: string, id: string): string => deviceTopic('audio', 'pcm', site, id, 'microphone id'),
  sensorReading: (site: string, id: string): string => deviceTopic('sensor', 'reading', site, id, 'sensor id'),
  deviceStatus: (site: string, id: string): string => deviceTopic('device', 'status', site, id, 'device id'),
  gatewayStatus: (site: string): string => `${ROOT}/${assertId('site', site)}/gateway/status`,
  gatewayEvents: (site: string): string => `${ROOT}/${assertId('site', site)}/gateway/events`,
  gatewayLot: (site: string, lotId: string): string =>
    `${ROOT}/${assertId('site', site)}/gateway/lots/${assertId('lot id', lotId)}`,
} as const;

export const subscriptions = {
  /** MQTT filters (single-level `+` wildcard, MQTT 3.1.1 §4.7.1.3) for every device topic of one site. */
  devices(site: string): string[] {
    const s = assertId('site', site);
    return DEVICE_TOPICS.map(({ segment, leaf }) => `${ROOT}/${s}/${segment}/+/${leaf}`);
  },
  /** Every retained lot state the site's gateway publishes. */
  gatewayLots: (site: string): string => `${ROOT}/${assertId('site', site)}/gateway/lots/+`,
} as const;

/** How evidence names a device (PROTOCOL.md "Verification event"). */
export function deviceRef(site: string, kind: DeviceKind, id: string): string {
  if (!DEVICE_KINDS.includes(kind)) {
    throw new ProtocolError('bad_topic', `device kind must be one of ${DEVICE_KINDS.join(', ')}, got ${describeValue(kind)}`);
  }
  return `${assertId('site', site)}/${kind}/${assertId(`${kind} id`, id)}`;
}

function unknownTopic(topic: string): ProtocolError {
  return new ProtocolError('bad_topic', `not a topic of the wire contract: ${describeValue(topic, 120)}`);
}

export function parseTopic(topic: string): ParsedTopic {
  if (typeof topic !== 'string') throw unknownTopic(topic);
  const parts = topic.split('/');
  const [root, siteSegment, second, third, fourth] = parts;
  if (root !== ROOT || siteSegment === undefined || second === undefined || third === undefined) {
    throw unknownTopic(topic);
  }
  if (second === 'gateway') {
    if (parts.length === 4 && (third === 'status' || third === 'events')) {
      const site = assertId('site', siteSegment);
      return third === 'status' ? { channel: 'gateway.status', site } : { channel: 'gateway.events', site };
    }
    if (parts.length === 5 && third === 'lots' && fourth !== undefined) {
      return { channel: 'gateway.lot', site: assertId('site', siteSegment), lotId: assertId('lot id', fourth) };
    }
    throw unknownTopic(topic);
  }
  if (parts.length !== 5) throw unknownTopic(topic);
  const shape = DEVICE_TOPICS.find((t) => t.segment === second && t.leaf === fourth);
  if (shape === undefined) throw unknownTopic(topic);
  return { channel: shape.channel, site: assertId('site', siteSegment), deviceId: assertId(`${second} id`, third) };
}
