import { topics } from '../../protocol/index.ts';
import type { SiteConfig } from '../../protocol/site/site-config.ts';
import type { Rng } from '../core/prng.ts';
import { localHour } from '../core/time-of-day.ts';
import type { DeviceOptions } from '../engine/options.ts';
import type { DeviceCore, DeviceInfo, TickContext } from '../engine/types.ts';
import type { SensorChannel, SensorLayout } from '../model/device-layout.ts';
import type { Warehouse } from '../model/warehouse.ts';

export interface SensorDeps {
  site: SiteConfig;
  layout: SensorLayout;
  warehouse: Warehouse;
  options: DeviceOptions;
  rng: Rng;
  info: DeviceInfo;
}

/** Where a quantity normally sits: the middle of its configured range, else a typical bay. */
function normalBand(site: SiteConfig, sensor: string, channel: SensorChannel): { mid: number; half: number } {
  const range = site.sensorRanges.find((r) => r.sensor === sensor && r.kind === channel.kind);
  const fallback: Record<string, [number, number]> = { temperature: [10, 32], humidity: [30, 70] };
  const [lo, hi] = [range?.min ?? fallback[channel.kind]?.[0] ?? 0, range?.max ?? fallback[channel.kind]?.[1] ?? 100];
  return { mid: (lo + hi) / 2, half: (hi - lo) / 2 };
}

/**
 * Floor scales and climate probes. A scale reads the weight on its bay's floor (goods
 * plus pallets) with load-cell noise and 0.5 kg resolution. A probe follows a diurnal
 * cycle (warmest mid-afternoon, humidity moving the other way) with slow random drift,
 * centred in the site's configured range so a healthy bay stays inside it.
 */
export class SensorCore implements DeviceCore {
  readonly info: DeviceInfo;
  private readonly deps: SensorDeps;
  private readonly periodMs: number;
  private drift: number[];

  constructor(deps: SensorDeps) {
    this.deps = deps;
    this.info = deps.info;
    this.periodMs = deps.layout.role === 'scale' ? deps.options.sensors.scaleMs : deps.options.sensors.climateMs;
    this.drift = deps.layout.channels.map(() => 0);
  }

  tick(t: number, ctx: TickContext): number {
    const { layout, rng, site, warehouse } = this.deps;
    const hour = localHour(t, site.timezone);
    const diurnal = Math.sin((2 * Math.PI * (hour - 9)) / 24);
    layout.channels.forEach((channel, i) => {
      // AR(1) drift so consecutive readings wander rather than jump.
      const drift = 0.97 * (this.drift[i] ?? 0) + rng.normal() * 0.05;
      this.drift[i] = drift;
      let value: number;
      if (channel.kind === 'weight') {
        const kg = layout.zones.reduce((sum, z) => sum + warehouse.weightKg(z), 0);
        value = Math.round((kg * (1 + rng.normal() * 0.0002) + rng.normal() * 0.8) * 2) / 2;
      } else {
        const band = normalBand(site, layout.id, channel);
        const swing = channel.kind === 'humidity' ? -0.25 : 0.3;
        const raw = band.mid + band.half * (swing * diurnal + 0.15 * drift) + rng.normal() * band.half * 0.01;
        value = channel.kind === 'humidity' ? Math.round(Math.min(99, Math.max(1, raw)) * 2) / 2 : Math.round(raw * 10) / 10;
      }
      if (!ctx.linked) return;
      ctx.emit({
        deviceId: this.info.id,
        channel: 'sensor',
        topic: topics.sensorReading(site.site, this.info.id),
        payload: Buffer.from(JSON.stringify({ kind: channel.kind, value, unit: channel.unit, ts: new Date(t).toISOString() })),
        qos: 1,
        retain: false,
        simTs: t,
      });
    });
    return t + this.periodMs;
  }
}
