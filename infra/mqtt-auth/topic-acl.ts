import type { MqttClientEntry } from '../../protocol/site/mqtt-clients.ts';

/** The leaf each device kind publishes under (PROTOCOL.md "devices → gateway"). */
const LEAF: Record<NonNullable<MqttClientEntry['kind']>, string> = { rfid: 'events', camera: 'frame', audio: 'pcm', sensor: 'reading' };

export type MqttIdentity = Pick<MqttClientEntry, 'username' | 'role' | 'kind'>;

/**
 * Whether `who` may publish to `topic` at `site` (PROTOCOL.md "Who may publish"): a device
 * only under its own id and kind, and its own status (its will); only the gateway under
 * `wh/{site}/gateway/`. Everything else, other sites included, is refused.
 */
export function mayPublish(who: MqttIdentity, site: string, topic: string): boolean {
  const parts = topic.split('/');
  if (parts[0] !== 'wh' || parts[1] !== site) return false;
  if (who.role === 'gateway') return parts[2] === 'gateway' && parts.length >= 4;
  if (who.role !== 'device' || who.kind === undefined || parts.length !== 5 || parts[3] !== who.username) return false;
  return (parts[2] === who.kind && parts[4] === LEAF[who.kind]) || (parts[2] === 'device' && parts[4] === 'status');
}

/**
 * Whether `who` may subscribe to `filter`: the gateway to its own site, a viewer to what
 * the gateway publishes; devices read nothing (none of them takes commands over MQTT).
 */
export function maySubscribe(who: MqttIdentity, site: string, filter: string): boolean {
  const parts = filter.split('/');
  // A leading wildcard (`#`, `+/…`) or `$SYS` would reach beyond the site.
  if (parts[0] !== 'wh' || parts[1] !== site) return false;
  if (who.role === 'gateway') return true;
  return who.role === 'viewer' && parts[2] === 'gateway';
}
