import { Type, type Static } from 'typebox';
import { DeviceRef, NonNegativeInt, Timestamp } from './evidence-fields.ts';

/** Tags one event names at most; the rest are counted in `count` and `more`. */
export const MAX_TAGS_PER_EVENT = 1000;

/**
 * A tag as evidence names it (PROTOCOL.md): its pure-identity URN (`urn:epc:id:sgtin:…`,
 * or `urn:epc:raw:…` for an EPC that does not decode, GS1 TDS §12.4) and its hex EPC.
 */
export const TagRef = Type.Object(
  {
    epc: Type.String({ pattern: '^[0-9A-Fa-f]{1,128}$', description: 'the EPC as hex digits' }),
    urn: Type.String({ pattern: '^urn:epc:', maxLength: 300, description: 'a pure-identity URN (urn:epc:…)' }),
  },
  { additionalProperties: false },
);
export type TagRef = Static<typeof TagRef>;

/** The named tags, their total and how many were left unnamed. */
export const tagListFields = {
  tags: Type.Array(TagRef, { maxItems: MAX_TAGS_PER_EVENT }),
  count: NonNegativeInt,
  more: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  /** The reader that last read most of them. */
  reader: Type.Optional(DeviceRef),
  lastSeen: Type.Optional(Timestamp),
};
