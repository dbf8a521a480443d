import { compileSchema, type CheckResult } from '../json-payload.ts';
import { SiteManifest, type ManifestLot, type ManifestReleaseOrder } from './site-manifest.ts';

const checkSiteManifest = compileSchema(SiteManifest);

/** EPCs as everything compares them (PROTOCOL.md: hex, case-insensitive): uppercase. */
function upper(epcs: readonly string[]): string[] {
  return epcs.map((epc) => epc.toUpperCase());
}

/** The same manifest with every EPC in uppercase; the one form the cloud serves and the gateway indexes. */
export function normaliseManifest(manifest: SiteManifest): SiteManifest {
  return {
    ...manifest,
    lots: manifest.lots.map((lot): ManifestLot => ({ ...lot, epcs: upper(lot.epcs) })),
    releaseOrders: manifest.releaseOrders.map((order): ManifestReleaseOrder => ({ ...order, epcs: upper(order.epcs) })),
  };
}

/** Checks an untrusted manifest (a response, a cache file) against the schema and normalises it. */
export function parseSiteManifest(value: unknown): CheckResult<SiteManifest> {
  const checked = checkSiteManifest(value);
  return checked.ok ? { ok: true, value: normaliseManifest(checked.value) } : checked;
}
