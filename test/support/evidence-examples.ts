import { typedEvent, type EvidenceOf, type TypedVerificationEvent, type VerificationEvent, type VerificationEventType } from '../../protocol/index.ts';

// One evidence of each event type, shaped as the gateway's stages draft it
// (gateway/rfid/rfid-events.ts, video-events.ts, audio-core.ts, sensor-events.ts,
// fusion/create-fusion.ts, devices/device-presence-stage.ts, start-gateway.ts).
// Tests that build events by hand start from these, so their evidence fits its type.

const EPC_A = '30340242201D8840009A4C01';
const EPC_B = '30340242201D8840009A4C02';
export const tagOf = (epc: string) => ({ epc, urn: `urn:epc:raw:${epc.length * 4}.x${epc}` });
const SHA = 'ab'.repeat(32);

export const EVIDENCE_EXAMPLES: { readonly [T in VerificationEventType]: EvidenceOf<T> } = {
  'lot.verified': { expected: 2, present: 2, missing: 0, foreign: 0, verifiedQuantity: { value: '1000', unit: 'kg' }, readers: ['s1/rfid/rd-a'] },
  'tags.missing': { tags: [tagOf(EPC_A), tagOf(EPC_B)], count: 2, reader: 's1/rfid/rd-a', door: 'door-1', lastSeen: '2026-01-01T01:59:00.000Z' },
  'tags.foreign': { tags: [tagOf('E2801160600002084A2C3B11')], count: 1, reader: 's1/rfid/rd-a', lastSeen: '2026-01-01T02:00:00.000Z' },
  'tags.moved': { tags: [tagOf(EPC_A)], count: 1, reader: 's1/rfid/rd-door', door: 'door-1', from: 'bay-1', lastSeen: '2026-01-01T02:00:00.000Z' },
  'camera.tamper': {
    device: 's1/camera/cam-a',
    zones: ['bay-1'],
    kind: 'covered',
    metrics: { meanLuma: 3.2, sharpness: 0.01 },
    since: '2026-01-01T01:58:00.000Z',
    durationMs: 120000,
    attachments: [{ sha256: SHA, bytes: 12345, mediaType: 'image/jpeg' }],
  },
  'camera.change': {
    device: 's1/camera/cam-a',
    zone: 'bay-1',
    roi: { x: 10, y: 20, width: 200, height: 120 },
    changedFraction: 0.4231,
    referenceAt: '2026-01-01T00:00:00.000Z',
    classifier: { label: 'goods-partly-removed', confidence: 0.91 },
    atNight: true,
    attachments: [{ sha256: SHA, bytes: 23456, mediaType: 'image/jpeg' }],
  },
  'audio.anomaly': {
    device: 's1/audio/mic-1',
    zones: ['bay-1'],
    label: 'cutting',
    confidence: 0.87,
    dbfs: -18.5,
    durationMs: 4000,
    atNight: true,
    baselineDistance: 3.21,
    attachments: [{ sha256: 'cd'.repeat(32), bytes: 128044, mediaType: 'audio/wav' }],
  },
  'device.offline': { device: 's1/rfid/rd-a', reason: 'silence', lastSeen: '2026-01-01T01:50:00.000Z', zones: ['bay-1'], configured: true },
  'device.online': { device: 's1/rfid/rd-a', reason: 'activity', lastSeen: '2026-01-01T02:05:00.000Z', zones: ['bay-1'], configured: true },
  'sensor.out_of_range': {
    device: 's1/sensor/th-1',
    kind: 'humidity',
    value: 82.5,
    unit: '%RH',
    max: 70,
    since: '2026-01-01T01:00:00.000Z',
    durationMs: 3600000,
    extent: 12.5,
    lots: ['LOT-1'],
    zones: ['bay-1'],
  },
  'gateway.started': { version: '0.1.0', resumedAtSeq: 0, outboxPending: 0 },
  'lot.state': {
    state: 'breached',
    previous: 'verified',
    rule: 'tags-gone-and-camera-change',
    reason: 'Tags gone and the camera sees the goods changed: 2 tags missing; camera s1/camera/cam-a sees the goods changed',
    cites: ['3f0f7b1e-3c1a-4a8e-9d55-0b7e2f4c1a01'],
    kinds: ['rfid', 'video'],
  },
  'weight.change': {
    device: 's1/sensor/scale-1',
    zone: 'bay-1',
    unit: 'kg',
    before: 1000,
    after: 520,
    delta: -480,
    expected: 1000,
    tolerance: 20,
    step: true,
    atNight: true,
    lots: ['LOT-1'],
    since: '2026-01-01T02:00:00.000Z',
  },
  'lot.condition': { lots: ['LOT-1'], factor: 0.85, reasons: ['humidity above 70 %RH for 6 h'], since: '2026-01-01T00:00:00.000Z' },
};

/** The example evidence of `type`, with `patch` over it. */
export function evidenceOf<T extends VerificationEventType>(type: T, patch: Partial<EvidenceOf<T>> = {}): EvidenceOf<T> {
  return { ...structuredClone(EVIDENCE_EXAMPLES[type]), ...patch };
}

/** One evidence field of a draft or event of any type, for assertions across types. */
export function evidenceField(draft: { evidence: object } | undefined, key: string): unknown {
  return draft === undefined ? undefined : (draft.evidence as Readonly<Record<string, unknown>>)[key];
}

/** The event with its evidence typed; throws with the schema's message when it does not fit. */
export function typedOrThrow(event: VerificationEvent): TypedVerificationEvent {
  const typed = typedEvent(event);
  if (!typed.ok) throw new Error(typed.error);
  return typed.value;
}
