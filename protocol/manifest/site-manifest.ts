import { Type, type Static } from 'typebox';
import { ID_PATTERN } from '../ids.ts';
import { MAX_EPC_BITS } from '../epc/epc-hex.ts';
import { ISO_DATE_TIME_PATTERN } from '../timestamps.ts';

/**
 * The site manifest (GET /api/v1/gateways/{id}/manifests): the pledged (and called) lots
 * of a site with the EPCs each is expected to hold, and the release orders the lender
 * approved that are still valid, so an authorised movement is expected rather than
 * reported as theft. The cloud serves it with this schema and the gateway checks what it
 * fetches (or reads back from its disk cache) against the same one.
 *
 * Closed and bounded: an extra field, an over-long string or an oversized list is refused,
 * since a gateway guarding the wrong goods is worse than one keeping its last good list.
 */

/** Lots a site may hold; far above any warehouse, low enough that one manifest stays a few hundred MB at worst. */
export const MAX_MANIFEST_LOTS = 10_000;
/** Release orders in force at once for one site. */
export const MAX_MANIFEST_RELEASE_ORDERS = 10_000;
/** EPCs per lot or per release order: the cloud's limit on a receipt's items. */
export const MAX_EPCS_PER_LOT = 100_000;

const Text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description });

const Id = Type.String({ pattern: ID_PATTERN, description: 'an id of 1 to 64 letters, digits, _ or -' });

const Timestamp = Type.String({ pattern: ISO_DATE_TIME_PATTERN, maxLength: 40, description: 'an ISO 8601 date-time with a zone' });

/**
 * Hex EPC in whole bytes, at most MAX_EPC_BITS. PROTOCOL.md: EPCs are hex and
 * case-insensitive, so either case is accepted on the wire; `normaliseManifest` gives
 * the uppercase form everything compares against.
 */
export const ManifestEpc = Type.String({
  pattern: '^(?:[0-9A-Fa-f]{2})+$',
  maxLength: MAX_EPC_BITS / 4,
  description: 'a hex EPC of whole bytes, at most 496 bits',
});

export const ManifestQuantity = Type.Object(
  {
    value: Type.String({ pattern: '^[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)$', maxLength: 64, description: 'a plain decimal string' }),
    unit: Text(32, 'a unit such as kg or t'),
  },
  { additionalProperties: false },
);

export const ManifestLot = Type.Object(
  {
    lotId: Id,
    receiptId: Text(128, "the cloud's receipt id"),
    /** The issuer's receipt number: every receipt has one (given or generated), so the cloud always sends it. */
    receiptNumber: Text(64, "the issuer's receipt number"),
    zone: Text(128, 'the zone of the site file'),
    commodity: Text(64, 'a commodity code'),
    quantity: ManifestQuantity,
    epcs: Type.Array(ManifestEpc, { maxItems: MAX_EPCS_PER_LOT }),
    status: Type.Union([Type.Literal('pledged'), Type.Literal('called')]),
  },
  { additionalProperties: false },
);

export const ManifestReleaseOrder = Type.Object(
  {
    id: Text(128, "the cloud's release order id"),
    reference: Text(64, 'the release order reference'),
    lotId: Id,
    receiptId: Text(128, "the cloud's receipt id"),
    /** The EPCs released; empty when the order names a quantity instead. */
    epcs: Type.Array(ManifestEpc, { maxItems: MAX_EPCS_PER_LOT }),
    quantity: Type.Union([ManifestQuantity, Type.Null()]),
    status: Type.Literal('approved'),
    validFrom: Timestamp,
    validUntil: Timestamp,
  },
  { additionalProperties: false },
);

export const SiteManifest = Type.Object(
  {
    site: Id,
    generatedAt: Timestamp,
    lots: Type.Array(ManifestLot, { maxItems: MAX_MANIFEST_LOTS }),
    releaseOrders: Type.Array(ManifestReleaseOrder, { maxItems: MAX_MANIFEST_RELEASE_ORDERS }),
  },
  { additionalProperties: false },
);

export type ManifestQuantity = Static<typeof ManifestQuantity>;
export type ManifestLot = Static<typeof ManifestLot>;
export type ManifestReleaseOrder = Static<typeof ManifestReleaseOrder>;
export type SiteManifest = Static<typeof SiteManifest>;
export type ManifestLotStatus = ManifestLot['status'];
