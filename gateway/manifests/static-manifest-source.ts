import type { StockedLot } from '../../protocol/index.ts';
import type { ManifestSource, SiteManifest } from './manifest.ts';
import { createManifestListeners, sameContent } from './manifest-listeners.ts';

/** A manifest held in memory: tests, benchmarks, and sites run without a cloud. */
export function createStaticManifestSource(initial: SiteManifest): ManifestSource & { set(manifest: SiteManifest): void } {
  let current = initial;
  const listeners = createManifestListeners();
  return {
    current: () => current,
    onChange: (listener) => listeners.add(listener),
    set(manifest) {
      const changed = !sameContent(current, manifest);
      current = manifest;
      if (changed) listeners.notify(manifest);
    },
  };
}

/** The manifest the cloud would send once every lot is pledged, for runs without a cloud. */
export function manifestOfPledgedLots(site: string, lots: readonly StockedLot[], generatedAt: Date): SiteManifest {
  return {
    site,
    generatedAt: generatedAt.toISOString(),
    lots: lots.map((l) => ({
      lotId: l.lotId,
      receiptId: `r-${l.lotId}`,
      receiptNumber: `WR-${l.lotId}`,
      zone: l.zone,
      commodity: l.commodity,
      quantity: { value: l.quantity, unit: l.unit },
      epcs: [...l.epcs],
      status: 'pledged',
    })),
    releaseOrders: [],
  };
}
