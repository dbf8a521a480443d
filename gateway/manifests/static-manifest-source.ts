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
