import { Type, type Static } from 'typebox';
import { LotStateSchema } from '../lot-states.ts';
import { NonNegativeInt } from './evidence-fields.ts';

/** Bounds fusion keeps a verdict within (it cites the newest events first). */
export const MAX_LOT_STATE_REASON = 2000;
export const MAX_LOT_STATE_CITES = 256;

/** `gateway.started`: a gateway (re)start in the chain, and what it resumed from. */
export const GatewayStartedEvidence = Type.Object(
  {
    version: Type.String({ minLength: 1, maxLength: 64 }),
    /** The chain's head when it started (0 on a fresh gateway). */
    resumedAtSeq: NonNegativeInt,
    /** Events still waiting in the outbox for the cloud. */
    outboxPending: NonNegativeInt,
  },
  { additionalProperties: false },
);
export type GatewayStartedEvidence = Static<typeof GatewayStartedEvidence>;

/** The independent kinds of evidence fusion weighs against each other. */
export const EVIDENCE_KINDS = ['rfid', 'video', 'audio', 'devices', 'sensors'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** `lot.state`: fusion's verdict on a lot, citing the events behind it. */
export const LotStateEvidence = Type.Object(
  {
    state: LotStateSchema,
    previous: LotStateSchema,
    /** The fusion rule that decided it. */
    rule: Type.String({ minLength: 1, maxLength: 128 }),
    /** Fusion shortens it to this bound (the summaries of many findings). */
    reason: Type.String({ minLength: 1, maxLength: MAX_LOT_STATE_REASON }),
    /** Ids of the events behind the verdict. */
    cites: Type.Array(Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', description: 'an event id (UUID)' }), { maxItems: MAX_LOT_STATE_CITES }),
    kinds: Type.Array(Type.Enum([...EVIDENCE_KINDS]), { maxItems: EVIDENCE_KINDS.length }),
  },
  { additionalProperties: false },
);
export type LotStateEvidence = Static<typeof LotStateEvidence>;
