import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

const MINUTE = 60_000;
const Commodity = Type.String({ minLength: 1, maxLength: 64 });
const Kind = Type.String({ minLength: 1, maxLength: 64 });
const Duration = (fallback: number) => Type.Integer({ minimum: 0, maximum: 7 * 24 * 60 * MINUTE, default: fallback });

/** The climate a commodity tolerates (coffee above 70 % humidity moulds; copper does not care). */
export const CommodityRange = Type.Object({
  commodity: Commodity,
  kind: Kind,
  unit: Type.String({ minLength: 1, maxLength: 32 }),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
});

/** How far a bay's weight may drift from its manifest weight (moisture uptake and loss, settling). */
export const WeightTolerance = Type.Object({
  commodity: Commodity,
  /** Fraction of the commodity's net weight in the bay. */
  fraction: Type.Number({ minimum: 0, maximum: 1 }),
});

export const WeightSettings = Type.Object({
  /** A change smaller than this (kg) is load-cell noise, a person walking, moisture. */
  stepKg: Type.Number({ minimum: 0, maximum: 1_000_000, default: 20 }),
  /**
   * How long a new level must hold before it counts, in working hours: a forklift on the
   * scale or a pallet lifted and put back for a count comes back within minutes.
   */
  settleDayMs: Duration(10 * MINUTE),
  /** The same at night, when nobody should move goods: shorter, and a drop is critical. */
  settleNightMs: Duration(2 * MINUTE),
  /**
   * A step the manifest explains may differ from the manifest's net by this fraction of
   * it: goods arrive and leave on pallets and dunnage the manifest does not weigh.
   */
  packagingAllowance: Type.Number({ minimum: 0, maximum: 1, default: 0.05 }),
  /** Readings whose median is the bay's level (a floor scale's single readings are noisy). */
  medianOf: Type.Integer({ minimum: 1, maximum: 60, default: 5 }),
  tolerances: Type.Array(WeightTolerance, { default: [], maxItems: 256 }),
  /** For commodities not in `tolerances`. */
  defaultTolerance: Type.Number({ minimum: 0, maximum: 1, default: 0.005 }),
  /**
   * Pallets, racks and dunnage on each scale, kg. A scale not listed learns its tare from
   * its first settled level (that level minus the manifest's net weight of its bay).
   */
  tares: Type.Array(Type.Object({ sensor: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }), kg: Type.Number({ minimum: 0 }) }), { default: [], maxItems: 256 }),
});

export const ClimateSettings = Type.Object({
  /** A value must stay beyond its bound this long before it is reported (a door opened briefly). */
  confirmMs: Duration(10 * MINUTE),
  /** A lasting excursion is reported again this often, with its duration so far. */
  repeatMs: Duration(30 * MINUTE),
  /** Back in range means inside the bound by this fraction of the range's width. */
  hysteresis: Type.Number({ minimum: 0, maximum: 0.5, default: 0.02 }),
});

/**
 * A lot's condition factor (0..1) from its climate history: each unit-hour beyond a
 * bound (e.g. 5 %·h above the humidity limit) costs `perUnitHour` of its value, down to
 * `floor`. A surveyor's finding can still override it in the cloud.
 */
export const ConditionSettings = Type.Object({
  perUnitHour: Type.Array(Type.Object({ kind: Kind, rate: Type.Number({ minimum: 0, maximum: 1 }) }), {
    default: [
      { kind: 'temperature', rate: 0.002 },
      { kind: 'humidity', rate: 0.001 },
    ],
    maxItems: 64,
  }),
  floor: Type.Number({ minimum: 0, maximum: 1, default: 0.5 }),
  /** A new factor is reported once it moved this much from the last one reported. */
  reportStep: Type.Number({ minimum: 0.001, maximum: 1, default: 0.01 }),
});

/** `sensorSettings` in the site YAML: scales and climate probes as evidence (gateway/sensors/README.md). */
export const SensorSettings = Type.Object({
  commodityRanges: Type.Array(CommodityRange, { default: [], maxItems: 1024 }),
  weight: Type.Optional(WeightSettings),
  climate: Type.Optional(ClimateSettings),
  condition: Type.Optional(ConditionSettings),
});

export type CommodityRange = Static<typeof CommodityRange>;
export type SensorSettings = Static<typeof SensorSettings>;
export type WeightSettings = Static<typeof WeightSettings>;
export type ClimateSettings = Static<typeof ClimateSettings>;
export type ConditionSettings = Static<typeof ConditionSettings>;

export interface ResolvedSensorSettings {
  commodityRanges: CommodityRange[];
  weight: WeightSettings;
  climate: ClimateSettings;
  condition: ConditionSettings;
}

const weightChecker = Compile(WeightSettings);
const climateChecker = Compile(ClimateSettings);
const conditionChecker = Compile(ConditionSettings);

/** The site's settings with every default filled in (the site file was validated at load). */
export function resolveSensorSettings(settings: SensorSettings | undefined): ResolvedSensorSettings {
  return {
    commodityRanges: settings?.commodityRanges ?? [],
    weight: weightChecker.Default(structuredClone(settings?.weight ?? {})) as WeightSettings,
    climate: climateChecker.Default(structuredClone(settings?.climate ?? {})) as ClimateSettings,
    condition: conditionChecker.Default(structuredClone(settings?.condition ?? {})) as ConditionSettings,
  };
}
