import type { DeviceKind, VerificationEvent } from '../../protocol/index.ts';
import { lotScope, TAMPER_SIGNALS, zoneScope, type Clearing, type EvidenceInput, type EvidenceKind, type Observation, type Scope } from './evidence.ts';
import { deviceOf, epcsOf, isClearing, isCompleteCount, tagCount, text, zonesOf, type DeviceOfEvidence } from './evidence-fields.ts';
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

/**
 * What one verification event means for the pledged lots: findings to add (per lot or
 * per zone) and findings it withdraws. Pure; unknown types and events about no pledged
 * lot or configured zone mean nothing.
 */
export function eventToEvidence(event: VerificationEvent, index: FusionIndex, now: Date): EvidenceInput {
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
function observedAt(event: VerificationEvent, now: Date): number {
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
function namedLots(event: VerificationEvent, index: FusionIndex): string[] {
  if (event.lotId !== undefined) return index.lots.zones.has(event.lotId) ? [event.lotId] : [];
  const lots = new Set<string>();
  for (const epc of epcsOf(event.evidence)) {
    const lot = index.lots.lotOfEpc.get(epc);
    if (lot !== undefined) lots.add(lot);
  }
  return [...lots];
}

/** Zones a device covers (site file), plus those the event itself names. */
function deviceZones(event: VerificationEvent, index: FusionIndex, device: DeviceOfEvidence | undefined): string[] {
  const zones = new Set<string>(device ? (index.devices.get(device.id)?.zones ?? []) : []);
  for (const zone of zonesOf(event.evidence)) zones.add(zone);
  if (event.zone !== undefined) zones.add(event.zone);
  return [...zones];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function tagsFinding(event: VerificationEvent, index: FusionIndex, seen: Seen, signal: 'missing' | 'moved'): EvidenceInput {
  const n = tagCount(event.evidence);
  const tags = n === undefined ? 'tags' : plural(n, 'tag');
  // The RFID stage puts the lot's own zone on the event; where the tags went is in `door` or `to`.
  const door = text(event.evidence.door);
  const to = text(event.evidence.to);
  const where = door ? `carried through ${door}` : to ? `seen in ${to}` : 'seen away from the lot';
  const summary = signal === 'missing' ? `${tags} missing` : `${tags} ${where} without a release order`;
  const lots = namedLots(event, index);
  return findings(lots.map(lotScope), (scope) => observation('rfid', scope.slice('lot:'.length), signal, summary, seen));
}

function completeCount(event: VerificationEvent, index: FusionIndex, seen: Seen): EvidenceInput {
  if (!isCompleteCount(event.evidence)) return NOTHING;
  const clearings = namedLots(event, index).map(
    (lotId): Clearing => ({ scope: lotScope(lotId), kind: 'rfid', eventId: seen.eventId, at: seen.at, summary: 'complete RFID count' }),
  );
  return { observations: [], clearings };
}

function cameraTamper(event: VerificationEvent, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence);
  const ref = device?.ref ?? 'camera';
  if (isClearing(event.evidence)) {
    if (!device) return NOTHING;
    return { observations: [], clearings: [{ kind: 'video', source: device.id, signals: TAMPER_SIGNALS, eventId: seen.eventId, at: seen.at, summary: `camera ${ref} restored` }] };
  }
  const kind = text(event.evidence.kind);
  const signal = kind !== undefined && (TAMPER_SIGNALS as readonly string[]).includes(kind) ? kind : 'tampered';
  // A blinded camera sees none of its zones, whatever lot the stage attached.
  const scopes = deviceZones(event, index, device).map(zoneScope);
  return findings(scopes, () => observation('video', device?.id ?? `zone:${event.zone ?? ''}`, signal, `camera ${ref} ${signal}`, seen));
}

/** The zones a change is about: the event's zone, the ROI it names (a zone id or a configured rectangle), else the camera's zones. */
function changeScopes(event: VerificationEvent, index: FusionIndex, device: DeviceOfEvidence | undefined): Scope[] {
  if (event.lotId !== undefined) return index.lots.zones.has(event.lotId) ? [lotScope(event.lotId)] : [];
  if (event.zone !== undefined) return [zoneScope(event.zone)];
  const roi = event.evidence.roi;
  if (typeof roi === 'string' && index.site.zones.some((z) => z.id === roi)) return [zoneScope(roi)];
  if (device && typeof roi === 'object' && roi !== null) {
    const r = roi as Record<string, unknown>;
    const matching = index.site.zones.filter((z) =>
      z.cameras.some((c) => c.camera === device.id && c.roi.x === r.x && c.roi.y === r.y && c.roi.width === r.width && c.roi.height === r.height),
    );
    if (matching.length > 0) return matching.map((z) => zoneScope(z.id));
  }
  return deviceZones(event, index, device).map(zoneScope);
}

function cameraChange(event: VerificationEvent, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence);
  const ref = device?.ref ?? 'camera';
  const source = device?.id ?? `zone:${event.zone ?? ''}`;
  const scopes = changeScopes(event, index, device);
  if (isClearing(event.evidence)) {
    const clearings = scopes.map(
      (scope): Clearing => ({ scope, kind: 'video', source, signals: ['change'], eventId: seen.eventId, at: seen.at, summary: `camera ${ref} sees the goods as in the reference again` }),
    );
    return { observations: [], clearings };
  }
  return findings(scopes, () => observation('video', source, 'change', `camera ${ref} sees the goods changed`, seen));
}

function audioAnomaly(event: VerificationEvent, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence);
  const label = text(event.evidence.label) ?? 'unknown';
  const scopes = deviceZones(event, index, device).map(zoneScope);
  const where = device ? ` on ${device.ref}` : '';
  return findings(scopes, () => observation('audio', device?.id ?? `zone:${event.zone ?? ''}`, label, `${label} sound${where}`, seen));
}

function devicePresence(event: VerificationEvent, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence);
  if (!device) return NOTHING;
  const kind = device.kind ?? index.devices.get(device.id)?.kind;
  // The RFID stage reports single antennas of a reader (with the antenna's zone); each is
  // its own finding, so one antenna coming back does not hide another still dark.
  const antenna = typeof event.evidence.antenna === 'number' ? event.evidence.antenna : undefined;
  const source = antenna === undefined ? device.id : `${device.id}#${antenna}`;
  const name = `${kind ? NOUN[kind] : 'device'} ${device.ref}${antenna === undefined ? '' : ` antenna ${antenna}`}`;
  if (event.type === 'device.online') {
    return { observations: [], clearings: [{ kind: 'devices', source, eventId: seen.eventId, at: seen.at, summary: `${name} back online` }] };
  }
  const signal = kind ? OFFLINE_SIGNAL[kind] : 'device-offline';
  const zones = antenna !== undefined && event.zone !== undefined ? [event.zone] : deviceZones(event, index, device);
  return findings(zones.map(zoneScope), () => observation('devices', source, signal, `${name} offline`, seen));
}

/**
 * Where a sensor finding applies: the lots it names (`evidence.lots`, the lots of the
 * sensor's bay or of the commodity whose range was crossed), else its `lotId`, else every
 * zone of the sensor.
 */
function sensorScopes(event: VerificationEvent, index: FusionIndex, device: DeviceOfEvidence | undefined): Scope[] {
  const named = Array.isArray(event.evidence.lots) ? event.evidence.lots.filter((l): l is string => typeof l === 'string') : [];
  if (named.length > 0) return named.filter((lotId) => index.lots.zones.has(lotId)).map(lotScope);
  if (event.lotId !== undefined) return index.lots.zones.has(event.lotId) ? [lotScope(event.lotId)] : [];
  return deviceZones(event, index, device).map(zoneScope);
}

function sensorOutOfRange(event: VerificationEvent, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence);
  const named = text(event.evidence.kind);
  const kind = named ?? 'unknown';
  const source = device?.id ?? `zone:${event.zone ?? ''}`;
  if (isClearing(event.evidence)) {
    const signals = named === undefined ? undefined : [named];
    const summary = `${named ?? 'sensor'} back in range`;
    // A probe judges each commodity's lots against their own range: clear only the lots this range covered.
    const scopes = Array.isArray(event.evidence.lots) && event.evidence.lots.length > 0 ? sensorScopes(event, index, device) : [undefined];
    return { observations: [], clearings: scopes.map((scope) => ({ scope, kind: 'sensors', source, signals, eventId: seen.eventId, at: seen.at, summary })) };
  }
  const value = typeof event.evidence.value === 'number' ? ` (${event.evidence.value}${text(event.evidence.unit) ?? ''})` : '';
  const where = device ? ` on ${device.ref}` : '';
  return findings(sensorScopes(event, index, device), () => observation('sensors', source, kind, `${kind} out of range${value}${where}`, seen));
}

/**
 * A bay scale's unexplained change: a drop is signal `weight` (goods left: the rules'
 * weight evidence), a gain `weight-gain` (goods added without a manifest change: the
 * watch is off, not the collateral). A clearing ends both.
 */
function weightChange(event: VerificationEvent, index: FusionIndex, seen: Seen): EvidenceInput {
  const device = deviceOf(event.evidence);
  const source = device?.id ?? `zone:${event.zone ?? ''}`;
  if (isClearing(event.evidence)) {
    return { observations: [], clearings: [{ kind: 'sensors', source, signals: ['weight', 'weight-gain'], eventId: seen.eventId, at: seen.at, summary: 'weight back as expected' }] };
  }
  const delta = typeof event.evidence.delta === 'number' ? event.evidence.delta : 0;
  const signal = delta < 0 ? 'weight' : 'weight-gain';
  const how = event.evidence.step === false ? 'drifted' : delta < 0 ? 'dropped' : 'rose';
  const where = device ? ` on ${device.ref}` : '';
  const summary = `weight ${how} by ${Math.abs(delta)} ${text(event.evidence.unit) ?? 'kg'}${where}`;
  return findings(sensorScopes(event, index, device), () => observation('sensors', source, signal, summary, seen));
}
