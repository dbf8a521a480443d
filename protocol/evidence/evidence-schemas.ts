import type { Static, TSchema } from 'typebox';
import { compileSchema, type Checker, type CheckResult } from '../json-payload.ts';
import type { VerificationEvent, VerificationEventType } from '../schemas/verification-event.ts';
import { AudioAnomalyEvidence } from './audio-evidence.ts';
import { DevicePresenceEvidence } from './device-evidence.ts';
import { GatewayStartedEvidence, LotStateEvidence } from './gateway-evidence.ts';
import { LotVerifiedEvidence, TagsForeignEvidence, TagsMissingEvidence, TagsMovedEvidence } from './rfid-evidence.ts';
import { LotConditionEvidence, SensorOutOfRangeEvidence, WeightChangeEvidence } from './sensor-evidence.ts';
import { CameraChangeEvidence, CameraTamperEvidence } from './video-evidence.ts';

/**
 * The one schema of each event type's `evidence` (PROTOCOL.md "Verification event").
 * The envelope keeps `evidence` an open, bounded record so that an event with wrong
 * evidence still hashes, chains and verifies; this is the second check, per type.
 */
export const EVIDENCE_SCHEMAS = {
  'lot.verified': LotVerifiedEvidence,
  'tags.missing': TagsMissingEvidence,
  'tags.foreign': TagsForeignEvidence,
  'tags.moved': TagsMovedEvidence,
  'camera.tamper': CameraTamperEvidence,
  'camera.change': CameraChangeEvidence,
  'audio.anomaly': AudioAnomalyEvidence,
  'device.offline': DevicePresenceEvidence,
  'device.online': DevicePresenceEvidence,
  'sensor.out_of_range': SensorOutOfRangeEvidence,
  'gateway.started': GatewayStartedEvidence,
  'lot.state': LotStateEvidence,
  'weight.change': WeightChangeEvidence,
  'lot.condition': LotConditionEvidence,
} as const satisfies Record<VerificationEventType, TSchema>;

/** The evidence of one event type. */
export type EvidenceOf<T extends VerificationEventType> = Static<(typeof EVIDENCE_SCHEMAS)[T]>;

/** `{ type, evidence }` for every type: narrowing on `type` gives the evidence's shape. */
export type TypedEvidence = { [T in VerificationEventType]: { type: T; evidence: EvidenceOf<T> } }[VerificationEventType];

/** A verification event whose evidence has been checked against its type's schema. */
export type TypedVerificationEvent = {
  [T in VerificationEventType]: Omit<VerificationEvent, 'type' | 'evidence'> & { type: T; evidence: EvidenceOf<T> };
}[VerificationEventType];

const checkers = new Map<VerificationEventType, Checker<unknown>>();

function checkerOf(type: VerificationEventType): Checker<unknown> | undefined {
  let checker = checkers.get(type);
  if (checker === undefined) {
    const schema: TSchema | undefined = (EVIDENCE_SCHEMAS as Partial<Record<string, TSchema>>)[type];
    if (schema === undefined) return undefined;
    checker = compileSchema(schema);
    checkers.set(type, checker);
  }
  return checker;
}

/** Whether `evidence` fits the schema of `type`; the error names the field and the rule it broke. */
export function checkEvidence<T extends VerificationEventType>(type: T, evidence: unknown): CheckResult<EvidenceOf<T>> {
  const checker = checkerOf(type);
  if (checker === undefined) return { ok: false, error: `unknown event type ${JSON.stringify(String(type).slice(0, 64))}` };
  const result = checker(evidence);
  return result.ok ? { ok: true, value: result.value as EvidenceOf<T> } : { ok: false, error: `evidence of ${type}: ${result.error}` };
}

/** The event with its evidence typed, or why its evidence does not fit its type. */
export function typedEvent(event: VerificationEvent): CheckResult<TypedVerificationEvent> {
  const checked = checkEvidence(event.type, event.evidence);
  // The checker has just proved the evidence fits this type's schema.
  return checked.ok ? { ok: true, value: event as TypedVerificationEvent } : checked;
}
