import { Decimal } from 'decimal.js';
import type { ManifestReleaseOrder, SiteManifest } from '../manifests/manifest.ts';
import type { SiteLayout } from './site-layout.ts';

export interface LotEntry {
  readonly index: number;
  readonly lotId: string;
  readonly zoneId: string;
  /** Index of the lot's zone in the site layout; -1 when the site file has no such zone. */
  readonly zone: number;
  readonly quantity: { readonly value: string; readonly unit: string };
  /** Uppercase hex, each once. */
  readonly epcs: readonly string[];
}

export interface ReleaseEntry {
  readonly id: string;
  readonly reference: string;
  readonly lotId: string;
  readonly fromMs: number;
  readonly untilMs: number;
  /**
   * For an order that names no EPCs but a quantity: how many of the lot's tags that
   * quantity is (tagged goods are uniform units, as the cloud's release plan assumes).
   */
  readonly tagQuota: number;
}

export interface ManifestIndex {
  readonly lots: readonly LotEntry[];
  readonly lotOfEpc: ReadonlyMap<string, number>;
  readonly releasesOfEpc: ReadonlyMap<string, readonly ReleaseEntry[]>;
  readonly quotaReleasesOfLot: ReadonlyMap<string, readonly ReleaseEntry[]>;
  /** Lots per site zone index: a zone with none is not watched for foreign tags. */
  readonly lotsPerZone: readonly number[];
  /** Things worth one log line (EPC in two lots, lot in an unknown zone, lot without EPCs). */
  readonly warnings: readonly string[];
}

function tagQuota(order: ManifestReleaseOrder, lot: LotEntry | undefined): number {
  if (order.epcs.length > 0 || order.quantity === null || lot === undefined || lot.epcs.length === 0) return 0;
  if (order.quantity.unit !== lot.quantity.unit) return 0;
  try {
    const total = new Decimal(lot.quantity.value);
    if (!total.greaterThan(0)) return 0;
    return new Decimal(order.quantity.value).dividedBy(total).times(lot.epcs.length).floor().clamp(0, lot.epcs.length).toNumber();
  } catch {
    return 0;
  }
}

/** The manifest as lookups the RFID core needs on every read and every cycle. */
export function indexManifest(manifest: SiteManifest, layout: SiteLayout): ManifestIndex {
  const warnings: string[] = [];
  const lots: LotEntry[] = [];
  const lotOfEpc = new Map<string, number>();
  const lotsPerZone = layout.zones.map(() => 0);
  const lotById = new Map<string, LotEntry>();
  for (const lot of manifest.lots) {
    if (lotById.has(lot.lotId)) {
      warnings.push(`lot ${lot.lotId} is listed twice; the first is used`);
      continue;
    }
    const index = lots.length;
    const epcs: string[] = [];
    for (const raw of lot.epcs) {
      const epc = raw.toUpperCase();
      const other = lotOfEpc.get(epc);
      if (other !== undefined) {
        if (other !== index) warnings.push(`EPC ${epc} is in lots ${lots[other]?.lotId} and ${lot.lotId}; counted in the first`);
        continue;
      }
      lotOfEpc.set(epc, index);
      epcs.push(epc);
    }
    const zone = layout.zoneById.get(lot.zone) ?? -1;
    if (zone < 0) warnings.push(`lot ${lot.lotId} is in zone ${lot.zone}, which the site file does not have`);
    else lotsPerZone[zone] = (lotsPerZone[zone] ?? 0) + 1;
    if (epcs.length === 0) warnings.push(`lot ${lot.lotId} has no EPCs: RFID cannot verify it`);
    const entry: LotEntry = { index, lotId: lot.lotId, zoneId: lot.zone, zone, quantity: lot.quantity, epcs };
    lots.push(entry);
    lotById.set(lot.lotId, entry);
  }
  const releasesOfEpc = new Map<string, ReleaseEntry[]>();
  const quotaReleasesOfLot = new Map<string, ReleaseEntry[]>();
  for (const order of manifest.releaseOrders) {
    const entry: ReleaseEntry = {
      id: order.id,
      reference: order.reference,
      lotId: order.lotId,
      fromMs: Date.parse(order.validFrom),
      untilMs: Date.parse(order.validUntil),
      tagQuota: tagQuota(order, lotById.get(order.lotId)),
    };
    for (const raw of order.epcs) {
      const epc = raw.toUpperCase();
      const list = releasesOfEpc.get(epc);
      if (list) list.push(entry);
      else releasesOfEpc.set(epc, [entry]);
    }
    if (entry.tagQuota > 0) quotaReleasesOfLot.set(order.lotId, [...(quotaReleasesOfLot.get(order.lotId) ?? []), entry]);
  }
  return { lots, lotOfEpc, releasesOfEpc, quotaReleasesOfLot, lotsPerZone, warnings };
}

const valid = (order: ReleaseEntry, atMs: number): boolean => order.fromMs <= atMs && atMs <= order.untilMs;

/**
 * The approved release order that covers this tag leaving at `atMs`, if any: one naming
 * its EPC first, else one releasing a quantity of its lot while that order's tag quota
 * lasts (`used` counts what each quota order has covered so far, and is updated).
 */
export function releaseCovering(index: ManifestIndex, epc: string, lotId: string | undefined, atMs: number, used: Map<string, number>): ReleaseEntry | undefined {
  const named = index.releasesOfEpc.get(epc)?.find((o) => valid(o, atMs));
  if (named) return named;
  if (lotId === undefined) return undefined;
  for (const order of index.quotaReleasesOfLot.get(lotId) ?? []) {
    const taken = used.get(order.id) ?? 0;
    if (taken < order.tagQuota && valid(order, atMs)) {
      used.set(order.id, taken + 1);
      return order;
    }
  }
  return undefined;
}
