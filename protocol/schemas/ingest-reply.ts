import { Type, type Static } from 'typebox';

/** Most events one batch may carry (`POST /api/v1/gateways/{id}/events`). */
export const MAX_INGEST_BATCH = 5_000;

const EventRef = { id: Type.String({ maxLength: 64 }), seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) };

export const REJECTION_CLASSES = ['forgery', 'replay', 'foreign'] as const;

/**
 * The cloud's answer to a batch of events: what it stored, what it refused and why,
 * the chain anomalies it saw, its head of the gateway's chain, and the stored events
 * whose evidence does not fit their type (kept in the chain, applied to nothing).
 * The gateway checks it (gateway/uplink): a reply that does not fit is a failed delivery.
 */
export const IngestReply = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0, maximum: MAX_INGEST_BATCH }),
    duplicates: Type.Integer({ minimum: 0, maximum: MAX_INGEST_BATCH }),
    rejected: Type.Array(
      Type.Object({ ...EventRef, class: Type.Enum([...REJECTION_CLASSES]), reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
      { maxItems: MAX_INGEST_BATCH },
    ),
    anomalies: Type.Array(Type.Record(Type.String(), Type.Unknown(), { maxProperties: 32 }), { maxItems: MAX_INGEST_BATCH }),
    head: Type.Object({ seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), hash: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
    invalidEvidence: Type.Array(Type.Object({ ...EventRef, message: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }), {
      maxItems: MAX_INGEST_BATCH,
    }),
  },
  { additionalProperties: false },
);
export type IngestReply = Static<typeof IngestReply>;
