import { deviceRef, parseJsonPayload, SensorReading } from '../../protocol/index.ts';
import { resolveSensorSettings } from '../../protocol/site/sensor-settings.ts';
import type { EventDraft } from '../event-log/event-draft.ts';
import type { ManifestSource, SiteManifest } from '../manifests/manifest.ts';
import type { DeviceMessage } from '../pipeline/device-message.ts';
import type { Stage, StageContext } from '../pipeline/stage.ts';
import { createClimateTracker, type ClimateTracker } from './climate-tracker.ts';
import { createLotConditions } from './lot-condition.ts';
import { lotConditionDraft, outOfRangeDraft, weightChangeDraft, type SensorPlace } from './sensor-events.ts';
import { netKg, sensorSite, type SensorSite } from './sensor-site.ts';
import { registerSensorRoutes } from './sensor-routes.ts';
import { createWeightTracker, type WeightTracker } from './weight-tracker.ts';

export interface SensorStageDeps {
  manifests: ManifestSource;
  /**
   * How many times faster the site's clock runs than the gateway's (the demo's simulated
   * warehouse): settle times and confirmations are in the site's time, readings are timed
   * by arrival, so arrival intervals are multiplied by this. 1 for a real site.
   */
  speed?: number;
}

/** Offers `GET /api/v1/sensors`. */
export type SensorStage = Stage & {
  snapshot(): {
    scales: Array<{ sensor: string; zones: readonly string[] } & ReturnType<WeightTracker['snapshot']>>;
    climate: Array<{ sensor: string; kind: string; lots: string[]; min?: number | undefined; max?: number | undefined; open: boolean }>;
    conditions: ReturnType<ReturnType<typeof createLotConditions>['snapshot']>;
  };
};

/**
 * Scales and climate probes as evidence (gateway/sensors/README.md): `weight.change` when
 * a bay's weight steps or drifts away from its manifest, `sensor.out_of_range` with
 * onset, duration, extent and clearing per probe quantity and range, `lot.condition`
 * when a lot's climate history lowers its condition factor. All decisions are in the
 * pure trackers; this shell parses readings, keeps one tracker per scale and per probe
 * quantity and range, and turns findings into drafts.
 */
export function createSensorStage(ctx: StageContext, deps: SensorStageDeps): SensorStage {
  const settings = resolveSensorSettings(ctx.site.sensorSettings);
  const speed = deps.speed ?? 1;
  let site: SensorSite = sensorSite(ctx.site, settings, deps.manifests.current());
  const lotZone = new Map<string, string>();
  const applyManifest = (manifest: SiteManifest) => {
    site = sensorSite(ctx.site, settings, manifest);
    lotZone.clear();
    for (const lot of manifest.lots) lotZone.set(lot.lotId, lot.zone);
    conditions.keepOnly(site.lotIds());
  };
  const conditions = createLotConditions(settings.condition);
  applyManifest(deps.manifests.current());
  const unsubscribe = deps.manifests.onChange(applyManifest);

  const scales = new Map<string, WeightTracker>();
  const probes = new Map<string, { sensor: string; kind: string; tracker: ClimateTracker }>();
  const iso = (siteMs: number) => new Date(siteMs / speed).toISOString();
  const place = (sensor: string): SensorPlace => ({ device: deviceRef(ctx.site.site, 'sensor', sensor), zones: site.zones(sensor), iso });
  const emit = (drafts: readonly EventDraft[]) => {
    for (const draft of drafts) ctx.emit({ ...draft, ts: draft.ts ?? ctx.now().toISOString() });
  };

  function weighed(sensor: string, siteMs: number, kg: number, atNight: boolean): void {
    let tracker = scales.get(sensor);
    if (!tracker) {
      tracker = createWeightTracker(settings.weight, site.tare(sensor));
      scales.set(sensor, tracker);
    }
    const findings = tracker.observe(siteMs, kg, site.bay(sensor), atNight);
    emit(findings.map((f) => weightChangeDraft(place(sensor), f)));
  }

  function climate(sensor: string, kind: string, siteMs: number, value: number): void {
    const where = place(sensor);
    for (const group of site.ranges(sensor, kind)) {
      const key = `${sensor}|${group.key}`;
      let probe = probes.get(key);
      if (!probe) {
        probe = { sensor, kind, tracker: createClimateTracker(settings.climate) };
        probes.set(key, probe);
      }
      const { findings, exposure } = probe.tracker.observe(siteMs, value, group.range);
      emit(findings.map((f) => outOfRangeDraft(where, kind, group, f)));
      const reports = conditions.expose(siteMs, group.lots, kind, group.unit, exposure);
      emit(reports.map((r) => lotConditionDraft(where, lotZone.get(r.lotId), r)));
    }
  }

  const stage: SensorStage = {
    name: 'sensors',
    channels: ['sensor.reading'],
    handle(message: DeviceMessage) {
      const parsed = parseJsonPayload(SensorReading, message.payload);
      if (!parsed.ok) return ctx.reject(message, 'bad_reading', parsed.error);
      const reading = parsed.value;
      if (!Number.isFinite(reading.value)) return ctx.reject(message, 'bad_reading', 'value is not a finite number');
      // A sensor the site file places nowhere cannot be tied to goods; presence still counts it alive.
      if (!site.configured(message.deviceId)) return;
      const gatewayMs = message.receivedAt.getTime();
      const siteMs = gatewayMs * speed;
      if (reading.kind === 'weight') {
        const kg = netKg({ value: String(reading.value), unit: reading.unit });
        if (kg === undefined) return ctx.reject(message, 'bad_unit', `weight in ${reading.unit.slice(0, 32)}`);
        weighed(message.deviceId, siteMs, kg, ctx.isNight(gatewayMs));
      } else {
        climate(message.deviceId, reading.kind, siteMs, reading.value);
      }
    },
    stop() {
      unsubscribe();
    },
    routes(app) {
      registerSensorRoutes(app, { sensors: stage });
    },
    snapshot() {
      return {
        scales: [...scales].map(([sensor, t]) => ({ sensor, zones: site.zones(sensor), ...t.snapshot() })),
        climate: [...probes].map(([key, p]) => {
          const group = site.ranges(p.sensor, p.kind).find((g) => key === `${p.sensor}|${g.key}`);
          return { sensor: p.sensor, kind: p.kind, lots: group?.lots ?? [], min: group?.range.min, max: group?.range.max, open: p.tracker.open() };
        }),
        conditions: conditions.snapshot(),
      };
    },
  };
  return stage;
}
