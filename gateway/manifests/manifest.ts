import type { SiteManifest } from '../../protocol/index.ts';

// The manifest's shape is part of the wire contract and lives in protocol/manifest/.
export type { SiteManifest, ManifestLot, ManifestReleaseOrder } from '../../protocol/index.ts';

/** The gateway's current view of its manifest, wherever it came from (cloud, disk cache, test). */
export interface ManifestSource {
  current(): SiteManifest;
  /** Called after the manifest changed; returns an unsubscribe function. */
  onChange(listener: (manifest: SiteManifest) => void): () => void;
}
