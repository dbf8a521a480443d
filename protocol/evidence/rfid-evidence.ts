import { Type, type Static } from 'typebox';
import { DeviceRef, NonNegativeInt, Word, ZoneName } from './evidence-fields.ts';
import { tagListFields } from './tag-evidence.ts';

/** `lot.verified`: one lot's RFID count reconciled against its manifest. */
export const LotVerifiedEvidence = Type.Object(
  {
    expected: NonNegativeInt,
    present: NonNegativeInt,
    /** Absent without a release order covering their departure. */
    missing: NonNegativeInt,
    // The last three are optional: gateways before the quantity was added wrote only the
    // counts, and the cloud then values the lot by present / expected.
    /** Tags of no manifest in the lot's zone. */
    foreign: Type.Optional(NonNegativeInt),
    /** The manifest quantity in proportion to the tags present, as a decimal string. */
    verifiedQuantity: Type.Optional(Type.Object(
      { value: Type.String({ pattern: '^-?[0-9]{1,30}(\\.[0-9]{1,20})?$', description: 'a decimal string' }), unit: Word },
      { additionalProperties: false },
    )),
    /** The readers that last read its present tags. */
    readers: Type.Optional(Type.Array(DeviceRef, { maxItems: 64 })),
  },
  { additionalProperties: false },
);
export type LotVerifiedEvidence = Static<typeof LotVerifiedEvidence>;

/** `tags.missing`: a lot's tags no longer read, without a release order. */
export const TagsMissingEvidence = Type.Object(
  {
    ...tagListFields,
    /** The door zone the first departed tag went through, when one was seen. */
    door: Type.Optional(ZoneName),
  },
  { additionalProperties: false },
);
export type TagsMissingEvidence = Static<typeof TagsMissingEvidence>;

/** `tags.foreign`: tags of no manifest in a storage zone. */
export const TagsForeignEvidence = Type.Object({ ...tagListFields }, { additionalProperties: false });
export type TagsForeignEvidence = Static<typeof TagsForeignEvidence>;

/** `tags.moved`: tags seen at a door or in another zone (info when a release order covers them). */
export const TagsMovedEvidence = Type.Object(
  {
    ...tagListFields,
    releaseOrder: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    door: Type.Optional(ZoneName),
    from: Type.Optional(ZoneName),
    to: Type.Optional(ZoneName),
  },
  { additionalProperties: false },
);
export type TagsMovedEvidence = Static<typeof TagsMovedEvidence>;
