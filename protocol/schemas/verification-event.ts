import { Type, type Static } from 'typebox';
import { Id } from './common.ts';

/**
 * PROTOCOL.md "Verification event", extended with `gateway.started` (a gateway (re)start
 * in the chain) and `lot.state` (fusion's verdict on a lot, citing the events behind it).
 */
export const VERIFICATION_EVENT_TYPES = [
  'lot.verified',
  'tags.missing',
  'tags.foreign',
  'tags.moved',
  'camera.tamper',
  'camera.change',
  'audio.anomaly',
  'device.offline',
  'device.online',
  'sensor.out_of_range',
  'gateway.started',
  'lot.state',
  'weight.change',
  'lot.condition',
] as const;
export type VerificationEventType = (typeof VERIFICATION_EVENT_TYPES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lowercase hex SHA-256, as `hash` and `prevHash` are written. */
export const HASH_PATTERN = '^[0-9a-f]{64}$';

/** Base64 of a 64-byte Ed25519 signature (RFC 8032 §5.1.6) is always 86 characters plus "==". */
export const SIG_PATTERN = '^[A-Za-z0-9+/]{86}==$';

/** More fields than any type's evidence has (protocol/evidence). */
export const MAX_EVIDENCE_FIELDS = 32;

const Hash = Type.String({ pattern: HASH_PATTERN, description: '64 lowercase hex digits (SHA-256)' });

const unsealedProperties = {
  // PROTOCOL.md: a UUID; the cloud keys its append-only log on it.
  id: Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }),
  site: Id,
  gatewayId: Id,
  // At most 2^53 - 1: every JSON reader holds it exactly as a number (the cloud stores it as BIGINT).
  seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  ts: Type.String({ format: 'date-time', description: 'an RFC 3339 date-time' }),
  type: Type.Enum([...VERIFICATION_EVENT_TYPES]),
  severity: Type.Enum([...SEVERITIES]),
  lotId: Type.Optional(Id),
  zone: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  // Open but bounded here: an event whose evidence does not fit its type (protocol/evidence)
  // must still hash, chain and verify, so the cloud can store it and report it.
  evidence: Type.Record(Type.String(), Type.Unknown(), { maxProperties: MAX_EVIDENCE_FIELDS }),
};

/**
 * Closed (no additional properties): every field is covered by the hash, so a field a
 * receiver does not know would be one it cannot store and later re-verify.
 */
export const UnsealedEvent = Type.Object(unsealedProperties, { additionalProperties: false });
export type UnsealedEvent = Static<typeof UnsealedEvent>;

/** What `hash` is computed over: the event without `hash` and `sig`. */
export const HashedEvent = Type.Object(
  { ...unsealedProperties, prevHash: Hash },
  { additionalProperties: false },
);
export type HashedEvent = Static<typeof HashedEvent>;

export const VerificationEvent = Type.Object(
  {
    ...unsealedProperties,
    prevHash: Hash,
    hash: Hash,
    sig: Type.String({ pattern: SIG_PATTERN, description: 'base64 of a 64-byte Ed25519 signature' }),
  },
  { additionalProperties: false },
);
export type VerificationEvent = Static<typeof VerificationEvent>;

/** First `seq` of a gateway's chain; each later event is the previous `seq` + 1. */
export const FIRST_SEQ = 1;
