import type { IsNight, SiteConfig } from '../../protocol/index.ts';
import { buildDeviceDirectory, type DeviceInfo } from '../devices/device-directory.ts';
import type { SiteManifest } from '../manifests/manifest.ts';

/** Where pledged lots are and which EPCs they hold, from the current manifest. */
export interface LotIndex {
  /** lotId → zone, for every pledged lot. */
  zones: ReadonlyMap<string, string>;
  /** Uppercase hex EPC → lotId. */
  lotOfEpc: ReadonlyMap<string, string>;
}

/** What mapping an event to lots needs: the site's layout, the manifest, the night hours. */
export interface FusionIndex {
  site: SiteConfig;
  devices: ReadonlyMap<string, DeviceInfo>;
  lots: LotIndex;
  isNight: IsNight;
}

export function buildLotIndex(manifest: SiteManifest): LotIndex {
  const zones = new Map<string, string>();
  const lotOfEpc = new Map<string, string>();
  for (const lot of manifest.lots) {
    zones.set(lot.lotId, lot.zone);
    for (const epc of lot.epcs) lotOfEpc.set(epc.toUpperCase(), lot.lotId);
  }
  return { zones, lotOfEpc };
}

export function buildFusionIndex(site: SiteConfig, manifest: SiteManifest, isNight: IsNight): FusionIndex {
  return { site, devices: buildDeviceDirectory(site), lots: buildLotIndex(manifest), isNight };
}
