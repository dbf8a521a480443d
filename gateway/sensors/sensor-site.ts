import type { SiteConfig } from '../../protocol/index.ts';
import type { ResolvedSensorSettings } from '../../protocol/site/sensor-settings.ts';
import type { SiteManifest } from '../manifests/manifest.ts';
import type { ClimateRange } from './climate-tracker.ts';
import type { BayManifest } from './weight-tracker.ts';

/** Kilograms in one unit of a manifest quantity; lots counted in bags or bundles carry no mass. */
const KG_PER: Readonly<Record<string, number>> = { kg: 1, t: 1_000, mt: 1_000, tonne: 1_000, lb: 0.45359237 };

export function netKg(quantity: { value: string; unit: string }): number | undefined {
  const per = KG_PER[quantity.unit.trim().toLowerCase()];
  const value = Number(quantity.value);
  return per === undefined || !Number.isFinite(value) || value < 0 ? undefined : value * per;
}

/** A group of lots judged against the same range by one probe quantity (one tracker each). */
export interface RangeGroup {
  key: string;
  range: ClimateRange;
  unit: string;
  lots: string[];
}

/**
 * Where each sensor sits and what it should see, from the site YAML and the manifest:
 * the zones of each sensor, what each scale should weigh, and the ranges each probe
 * quantity is judged against. Pure; rebuilt when the manifest changes.
 */
export function sensorSite(site: SiteConfig, settings: ResolvedSensorSettings, manifest: SiteManifest) {
  const zonesOf = new Map<string, string[]>();
  for (const zone of site.zones) for (const sensor of zone.sensors) zonesOf.set(sensor, [...(zonesOf.get(sensor) ?? []), zone.id]);
  const lotsIn = (sensor: string) => {
    const zones = new Set(zonesOf.get(sensor) ?? []);
    return manifest.lots.filter((l) => zones.has(l.zone));
  };
  const tolerance = (commodity: string) => settings.weight.tolerances.find((t) => t.commodity === commodity)?.fraction ?? settings.weight.defaultTolerance;

  return {
    zones: (sensor: string): readonly string[] => zonesOf.get(sensor) ?? [],
    configured: (sensor: string): boolean => zonesOf.has(sensor),
    tare: (sensor: string): number | undefined => settings.weight.tares.find((t) => t.sensor === sensor)?.kg,
    bay(sensor: string): BayManifest {
      let net = 0;
      let tol = 0;
      for (const lot of lotsIn(sensor)) {
        const kg = netKg(lot.quantity) ?? 0;
        net += kg;
        tol += kg * tolerance(lot.commodity);
      }
      return { netKg: net, toleranceKg: tol, lots: lotsIn(sensor).map((l) => l.lotId) };
    },
    /**
     * The probe's own range (sensorRanges) applies to the zone as a whole; a commodity's
     * range (sensorSettings.commodityRanges) narrows it for the lots of that commodity.
     * Lots with the same effective range share a group.
     */
    ranges(sensor: string, kind: string): RangeGroup[] {
      const own = site.sensorRanges.find((r) => r.sensor === sensor && r.kind === kind);
      const groups = new Map<string, RangeGroup>();
      const add = (range: ClimateRange, unit: string, lotId: string | undefined) => {
        if (range.min === undefined && range.max === undefined) return;
        const key = `${kind}:${range.min ?? ''}:${range.max ?? ''}`;
        let group = groups.get(key);
        if (!group) {
          group = { key, range, unit, lots: [] };
          groups.set(key, group);
        }
        if (lotId !== undefined) group.lots.push(lotId);
      };
      if (own) add({ min: own.min, max: own.max }, own.unit, undefined);
      for (const lot of lotsIn(sensor)) {
        const commodity = settings.commodityRanges.find((r) => r.commodity === lot.commodity && r.kind === kind);
        if (!commodity && !own) continue;
        const min = [own?.min, commodity?.min].filter((v): v is number => v !== undefined);
        const max = [own?.max, commodity?.max].filter((v): v is number => v !== undefined);
        add({ min: min.length ? Math.max(...min) : undefined, max: max.length ? Math.min(...max) : undefined }, commodity?.unit ?? own?.unit ?? '', lot.lotId);
      }
      return [...groups.values()];
    },
    lotIds: (): Set<string> => new Set(manifest.lots.map((l) => l.lotId)),
  };
}

export type SensorSite = ReturnType<typeof sensorSite>;
