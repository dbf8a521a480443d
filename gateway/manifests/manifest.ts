import { Type, type Static } from 'typebox';

/**
 * What the cloud tells a gateway about its site (GET /api/v1/gateways/{id}/manifests):
 * the pledged lots with the EPCs each is expected to hold, and the release orders the
 * lender approved, so an authorised movement is not reported as theft.
 */
const Quantity = Type.Object({ value: Type.String(), unit: Type.String() });

export const ManifestLot = Type.Object({
  lotId: Type.String({ minLength: 1 }),
  receiptId: Type.String(),
  receiptNumber: Type.Optional(Type.String()),
  zone: Type.String(),
  commodity: Type.String(),
  quantity: Quantity,
  /** Uppercase hex EPCs of the items in the lot. */
  epcs: Type.Array(Type.String({ pattern: '^[0-9A-Fa-f]+$' })),
  status: Type.String(),
});

export const ManifestReleaseOrder = Type.Object({
  id: Type.String(),
  reference: Type.String(),
  lotId: Type.String(),
  receiptId: Type.String(),
  epcs: Type.Array(Type.String({ pattern: '^[0-9A-Fa-f]+$' })),
  quantity: Type.Union([Quantity, Type.Null()]),
  status: Type.Literal('approved'),
  validFrom: Type.String({ format: 'date-time' }),
  validUntil: Type.String({ format: 'date-time' }),
});

export const SiteManifest = Type.Object({
  site: Type.String(),
  generatedAt: Type.String({ format: 'date-time' }),
  lots: Type.Array(ManifestLot),
  releaseOrders: Type.Array(ManifestReleaseOrder),
});

export type ManifestLot = Static<typeof ManifestLot>;
export type ManifestReleaseOrder = Static<typeof ManifestReleaseOrder>;
export type SiteManifest = Static<typeof SiteManifest>;

/** The gateway's current view of its manifest, wherever it came from (cloud, disk cache, test). */
export interface ManifestSource {
  current(): SiteManifest;
  /** Called after the manifest changed; returns an unsubscribe function. */
  onChange(listener: (manifest: SiteManifest) => void): () => void;
}
