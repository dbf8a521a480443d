import type { SiteManifest } from './manifest.ts';

/**
 * The `onChange` half of ManifestSource. Each listener is isolated: one that throws is
 * reported and the others still hear of the change.
 */
export function createManifestListeners(onError: (error: unknown) => void = () => {}) {
  const listeners = new Set<(manifest: SiteManifest) => void>();
  return {
    add(listener: (manifest: SiteManifest) => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    notify(manifest: SiteManifest): void {
      for (const listener of [...listeners]) {
        try {
          listener(manifest);
        } catch (error) {
          onError(error);
        }
      }
    },
  };
}

/** No lots, no orders: what a gateway knows before its first manifest. */
export function emptyManifest(site = ''): SiteManifest {
  return { site, generatedAt: new Date(0).toISOString(), lots: [], releaseOrders: [] };
}

/** Same lots and orders; `generatedAt` alone changing is not a change. */
export function sameContent(a: SiteManifest, b: SiteManifest): boolean {
  return a.site === b.site && JSON.stringify([a.lots, a.releaseOrders]) === JSON.stringify([b.lots, b.releaseOrders]);
}
