import type { IPublishPacket } from 'mqtt';
import { MAX_PAYLOAD_BYTES, parseTopic, ProtocolError, type ParsedTopic } from '../../protocol/index.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';
import type { DeviceMessage } from '../pipeline/device-message.ts';

/**
 * The edge of the gateway: every MQTT message is checked against the topic contract
 * here and becomes a typed DeviceMessage, or is counted and dropped.
 */
export function createDeviceIngest(site: string, pipeline: Pipeline, now: () => Date = () => new Date()) {
  return function onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    let parsed: ParsedTopic;
    try {
      parsed = parseTopic(topic);
    } catch (error) {
      pipeline.rejectTopic(topic, error instanceof ProtocolError ? error.code : 'bad_topic', (error as Error).message);
      return;
    }
    if (!('deviceId' in parsed)) {
      // Our own gateway topics come back on a shared broker; they are not device input.
      return;
    }
    if (parsed.site !== site) {
      pipeline.rejectTopic(topic, 'other_site', `site ${parsed.site} is not ${site}`);
      return;
    }
    if (payload.byteLength > MAX_PAYLOAD_BYTES) {
      pipeline.rejectTopic(topic, 'too_large', `${payload.byteLength} bytes`);
      return;
    }
    const message: DeviceMessage = {
      channel: parsed.channel,
      site: parsed.site,
      deviceId: parsed.deviceId,
      payload,
      userProperties: userProperties(packet),
      receivedAt: now(),
      retained: packet.retain,
    };
    pipeline.dispatch(message);
  };
}

function userProperties(packet: IPublishPacket): Record<string, string> {
  const props = packet.properties?.userProperties;
  if (!props) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    // MQTT 5 allows a key to repeat; the first value is the one devices mean.
    out[key] = Array.isArray(value) ? String(value[0] ?? '') : String(value);
  }
  return out;
}
