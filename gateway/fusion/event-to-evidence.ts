import { typedEvent, type DeviceKind, type TypedVerificationEvent, type VerificationEvent } from '../../protocol/index.ts';
import { lotScope, TAMPER_SIGNALS, zoneScope, type Clearing, type EvidenceInput, type EvidenceKind, type Observation, type Scope } from './evidence.ts';
import { deviceOf, epcsOf, isCompleteCount, type DeviceOfEvidence } from './evidence-fields.ts';
import type { FusionIndex } from './fusion-index.ts';

const OFFLINE_SIGNAL: Readonly<Record<DeviceKind, string>> = {
  rfid: 'reader-offline',
  camera: 'camera-offline',
  audio: 'microphone-offline',
  sensor: 'sensor-offline',
};
const NOUN: Readonly<Record<DeviceKind, string>> = { rfid: 'reader', camera: 'camera', audio: 'microphone', sensor: 'sensor' };

interface Seen {
  eventId: string;
  at: number;
  atNight: boolean;
}

const NOTHING: EvidenceInput = { observations: [], clearings: [] };

/** An event of one type, its evidence typed. */
type EventOf<T extends TypedVerificationEvent['type']> = Extract<TypedVerificationEvent, { type: T }>;

/**
 * What one verification event means for the pledged lots: findings to add (per lot or
 * per zone) and findings it withdraws. Pure; unknown types, events about no pledged lot
 * or configured zone, and events whose evidence does not fit their type mean nothing.
 */
export function eventToEvidence(sealed: VerificationEvent, index: FusionIndex, now: Date): EvidenceInput {
  const typed = typedEvent(sealed);
  if (!typed.ok) return NOTHING;
  const event = typed.value;
  const at = observedAt(event, now);
  const seen: Seen = { eventId: event.id, at, atNight: index.isNight(at) };
  switch (event.type) {
    case 'tags.missing':
      return tagsFinding(event, index, seen, 'missing');
    case 'tags.moved':
      // Info is an authorised move (a release order covers it); warning and above are not.
      return event.severity === 'info' ? NOTHING : tagsFinding(event, index, seen, 'moved');
    case 'lot.verified':
      return completeCount(event, index, seen);
    case 'camera.tamper':
      return cameraTamper(event, index, seen);
    case 'camera.change':
      return cameraChange(event, index, seen);
    case 'audio.anomaly':
      return audioAnomaly(event, index, seen);
    case 'device.offline':
    case 'device.online':
      return devicePresence(event, index, seen);
    case 'sensor.out_of_range':
      return sensorOutOfRange(event, index, seen);
    case 'weight.change':
      return weightChange(event, index, seen);
    default:
      return NOTHING;
  }
}

// A device's clock can run ahead; a finding "from the future" would outlive its window.
function observedAt(event: TypedVerificationEvent, now: Date): number {
  const parsed = Date.parse(event.ts);
  return Number.isNaN(parsed) ? now.getTime() : Math.min(parsed, now.getTime());
}

function observation(kind: EvidenceKind, source: string, signal: string, summary: string, seen: Seen): Observation {
  return { kind, source, signal, summary, ...seen };
}

function findings(scopes: readonly Scope[], make: (scope: Scope) => Observation): EvidenceInput {
  return { observations: scopes.map((scope) => ({ scope, observation: make(scope) })), clearings: [] };
}

/** The pledged lots an RFID finding names: its `lotId`, else the lots its EPCs belong to. */
function namedLots(event: EventOf<'tags.missing' | 'tags.moved' | 'lot.verified'>, index: FusionIndex): string[] {
  if (event.lotId !== undefined) return index.lots.zones.has(event.lotId) ? [event.lotId] : [];
  if (event.type === 'lot.verified') return [];
  const lots = new Set<string>();
  for (const epc of epcsOf(event.evidence)) {
    const lot = index.lots.lotOfEpc.get(epc);
    if (lot !== undefined) lots.add(lot);
  }
  return [...lots];
}

/** Zones a device covers (site file), plus those the event itself names. */
function deviceZones(event: TypedVerificationEvent, index: FusionIndex, device: DeviceOfEvidence | undefined, named: readonly string[] = []): string[] {
  const zones = new Set<string>(device ? (index.devices.get(device.id)?.zones ?? []) : []);
  for (const zone of named) zones.add(zone);
  if (event.zone !== undefined) zones.add(event.zone);
  return [...zones];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function tagsFinding(event: EventOf<'tags.missing' | 'tags.moved'>, index: FusionIndex, seen: Seen, signal: 'missing' | 'moved'): EvidenceInput {
  const tags = plural(event.evidence.count, 'tag');
  // The RFID stage puts the lot's own zone on the event; where the tags went is in `door` or `to`.
  const door = event.evidence.door;
  const to = event.type === 'tags.moved' ? event.evidence.to : undefined;
  const where = door ? `carried through ${door}` : to ? `seen in ${to}` : 'seen away from the lot';
  const summary = signal === 'missing' ? `${tags} missing` : `${tags} ${where} without a release order`;
  const lots = namedLots(event, index);
  return findings(lots.map(lotScope), (scope) => observation('rfid', scope.slice('lot:'.length), signal, summary, seen));
}

function completeCount(event: EventOf<'lot.verified'>, index: FusionIndex, seen: Seen): EvidenceInput {
  if (!isCompleteCount(event.evidence)) return NOTHING;
  const clearings = namedLots(event, index).map(
    (lotId): Clearing => ({ scope: lotScope(lotId), kind: 'rfid', eventId: seen.eventId, at: seen.at, summary: 'complete RFID count' }),
  );
  return { observations: [], clearings };
}

function cameraTamper(event: EventOf<'camera.tamper'>, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence.device);
  const ref = device.ref;
  if (event.evidence.cleared === true) {
    return { observations: [], clearings: [{ kind: 'video', source: device.id, signals: TAMPER_SIGNALS, eventId: seen.eventId, at: seen.at, summary: `camera ${ref} restored` }] };
  }
  const signal = TAMPER_SIGNALS.find((s) => s === event.evidence.kind) ?? 'tampered';
  // A blinded camera sees none of its zones, whatever lot the stage attached.
  const scopes = deviceZones(event, index, device, event.evidence.zones).map(zoneScope);
  return findings(scopes, () => observation('video', device.id, signal, `camera ${ref} ${signal}`, seen));
}

/** The zones a change is about: the event's zone, the ROI it names (a zone id or a configured rectangle), else the camera's zones. */
function changeScopes(event: EventOf<'camera.change'>, index: FusionIndex, device: DeviceOfEvidence): Scope[] {
  if (event.lotId !== undefined) return index.lots.zones.has(event.lotId) ? [lotScope(event.lotId)] : [];
  if (event.zone !== undefined) return [zoneScope(event.zone)];
  if (index.site.zones.some((z) => z.id === event.evidence.zone)) return [zoneScope(event.evidence.zone)];
  {
    const r = event.evidence.roi;
    const matching = index.site.zones.filter((z) =>
      z.cameras.some((c) => c.camera === device.id && c.roi.x === r.x && c.roi.y === r.y && c.roi.width === r.width && c.roi.height === r.height),
    );
    if (matching.length > 0) return matching.map((z) => zoneScope(z.id));
  }
  return deviceZones(event, index, device).map(zoneScope);
}

function cameraChange(event: EventOf<'camera.change'>, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence.device);
  const ref = device.ref;
  const source = device.id;
  const scopes = changeScopes(event, index, device);
  if (event.evidence.cleared === true) {
    const clearings = scopes.map(
      (scope): Clearing => ({ scope, kind: 'video', source, signals: ['change'], eventId: seen.eventId, at: seen.at, summary: `camera ${ref} sees the goods as in the reference again` }),
    );
    return { observations: [], clearings };
  }
  return findings(scopes, () => observation('video', source, 'change', `camera ${ref} sees the goods changed`, seen));
}

function audioAnomaly(event: EventOf<'audio.anomaly'>, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence.device);
  const label = event.evidence.label;
  const scopes = deviceZones(event, index, device, event.evidence.zones).map(zoneScope);
  return findings(scopes, () => observation('audio', device.id, label, `${label} sound on ${device.ref}`, seen));
}

function devicePresence(event: EventOf<'device.offline' | 'device.online'>, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence.device);
  const kind = device.kind ?? index.devices.get(device.id)?.kind;
  // The RFID stage reports single antennas of a reader (with the antenna's zone); each is
  // its own finding, so one antenna coming back does not hide another still dark.
  const antenna = event.evidence.antenna;
  const source = antenna === undefined ? device.id : `${device.id}#${antenna}`;
  const name = `${kind ? NOUN[kind] : 'device'} ${device.ref}${antenna === undefined ? '' : ` antenna ${antenna}`}`;
  if (event.type === 'device.online') {
    return { observations: [], clearings: [{ kind: 'devices', source, eventId: seen.eventId, at: seen.at, summary: `${name} back online` }] };
  }
  const signal = kind ? OFFLINE_SIGNAL[kind] : 'device-offline';
  const zones = antenna !== undefined && event.zone !== undefined ? [event.zone] : deviceZones(event, index, device, event.evidence.zones);
  return findings(zones.map(zoneScope), () => observation('devices', source, signal, `${name} offline`, seen));
}

/**
 * Where a sensor finding applies: the lots it names (`evidence.lots`, the lots of the
 * sensor's bay or of the commodity whose range was crossed), else its `lotId`, else every
 * zone of the sensor.
 */
function sensorScopes(event: EventOf<'sensor.out_of_range' | 'weight.change'>, index: FusionIndex, device: DeviceOfEvidence): Scope[] {
  const named = event.evidence.lots;
  if (named.length > 0) return named.filter((lotId) => index.lots.zones.has(lotId)).map(lotScope);
  if (event.lotId !== undefined) return index.lots.zones.has(event.lotId) ? [lotScope(event.lotId)] : [];
  return deviceZones(event, index, device, event.type === 'sensor.out_of_range' ? event.evidence.zones : []).map(zoneScope);
}

function sensorOutOfRange(event: EventOf<'sensor.out_of_range'>, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence.device);
  const kind = event.evidence.kind;
  const source = device.id;
  if (event.evidence.cleared === true) {
    const signals = [kind];
    const summary = `${kind} back in range`;
    // A probe judges each commodity's lots against their own range: clear only the lots this range covered.
    const scopes = event.evidence.lots.length > 0 ? sensorScopes(event, index, device) : [undefined];
    return { observations: [], clearings: scopes.map((scope) => ({ scope, kind: 'sensors', source, signals, eventId: seen.eventId, at: seen.at, summary })) };
  }
  const value = ` (${event.evidence.value}${event.evidence.unit})`;
  return findings(sensorScopes(event, index, device), () => observation('sensors', source, kind, `${kind} out of range${value} on ${device.ref}`, seen));
}

/**
 * A bay scale's unexplained change: a drop is signal `weight` (goods left: the rules'
 * weight evidence), a gain `weight-gain` (goods added without a manifest change: the
 * watch is off, not the collateral). A clearing ends both.
 */
function weightChange(event: EventOf<'weight.change'>, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence.device);
  const source = device.id;
  if (event.evidence.cleared === true) {
    return { observations: [], clearings: [{ kind: 'sensors', source, signals: ['weight', 'weight-gain'], eventId: seen.eventId, at: seen.at, summary: 'weight back as expected' }] };
  }
  const delta = event.evidence.delta;
  const signal = delta < 0 ? 'weight' : 'weight-gain';
  const how = !event.evidence.step ? 'drifted' : delta < 0 ? 'dropped' : 'rose';
  const summary = `weight ${how} by ${Math.abs(delta)} ${event.evidence.unit} on ${device.ref}`;
  return findings(sensorScopes(event, index, device), () => observation('sensors', source, signal, summary, seen));
}
