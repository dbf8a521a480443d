import type { RegionOfInterest, SiteConfig } from '../../protocol/site/site-config.ts';
import { antennaPosition, zoneCentre, type FloorPlan, type Vec3 } from './floor-plan.ts';

export interface AntennaLayout {
  port: number;
  zone: string;
  pos: Vec3;
  /** Neighbouring storage zone this antenna faces, whose tags it may ghost-read. */
  facing: string | undefined;
}

export interface ReaderLayout {
  id: string;
  index: number;
  antennas: AntennaLayout[];
  /** True when every antenna covers a door zone (a portal reader). */
  door: boolean;
}

export interface CameraLayout {
  id: string;
  index: number;
  views: { zone: string; roi: RegionOfInterest }[];
}

export interface MicrophoneLayout {
  id: string;
  index: number;
  zones: string[];
  pos: Vec3;
}

export interface SensorChannel {
  kind: string;
  unit: string;
}

export interface SensorLayout {
  id: string;
  index: number;
  zones: string[];
  role: 'scale' | 'climate';
  channels: SensorChannel[];
}

export interface DeviceLayout {
  readers: ReaderLayout[];
  cameras: CameraLayout[];
  microphones: MicrophoneLayout[];
  sensors: SensorLayout[];
}

/**
 * The devices the site YAML names, with positions from the floor plan. Deriving them from
 * the same file the gateway reads keeps ids, antennas and ROIs in step by construction.
 */
export function deviceLayout(site: SiteConfig, plan: FloorPlan): DeviceLayout {
  const readers = new Map<string, ReaderLayout>();
  const cameras = new Map<string, CameraLayout>();
  const mics = new Map<string, { zones: string[] }>();
  const sensors = new Map<string, string[]>();
  for (const zone of site.zones) {
    const geometry = plan.zones.get(zone.id);
    if (!geometry) continue;
    for (const { reader, antennas } of zone.readers) {
      let layout = readers.get(reader);
      if (!layout) {
        layout = { id: reader, index: readers.size, antennas: [], door: true };
        readers.set(reader, layout);
      }
      antennas.forEach((port, k) => {
        const edge = k === 0 ? geometry.leftNeighbour : k === antennas.length - 1 ? geometry.rightNeighbour : undefined;
        layout.antennas.push({ port, zone: zone.id, pos: antennaPosition(geometry, k, antennas.length), facing: edge });
      });
      if (zone.kind !== 'door') layout.door = false;
    }
    for (const { camera, roi } of zone.cameras) {
      let layout = cameras.get(camera);
      if (!layout) {
        layout = { id: camera, index: cameras.size, views: [] };
        cameras.set(camera, layout);
      }
      layout.views.push({ zone: zone.id, roi });
    }
    for (const mic of zone.microphones) {
      const entry = mics.get(mic) ?? { zones: [] };
      entry.zones.push(zone.id);
      mics.set(mic, entry);
    }
    for (const sensor of zone.sensors) sensors.set(sensor, [...(sensors.get(sensor) ?? []), zone.id]);
  }
  return {
    readers: [...readers.values()],
    cameras: [...cameras.values()],
    microphones: [...mics.entries()].map(([id, { zones }], index) => ({ id, index, zones, pos: centroid(zones, plan) })),
    sensors: [...sensors.entries()].map(([id, zones], index) => sensorLayout(site, id, index, zones)),
  };
}

function centroid(zones: string[], plan: FloorPlan): Vec3 {
  const points = zones.flatMap((z) => {
    const g = plan.zones.get(z);
    return g ? [zoneCentre(g)] : [];
  });
  const n = Math.max(1, points.length);
  return {
    x: points.reduce((s, p) => s + p.x, 0) / n,
    y: points.reduce((s, p) => s + p.y, 0) / n,
    z: 3,
  };
}

/** What a sensor measures: its sensorRanges entries if any, otherwise guessed from its id. */
function sensorLayout(site: SiteConfig, id: string, index: number, zones: string[]): SensorLayout {
  const ranges = site.sensorRanges.filter((r) => r.sensor === id);
  const channels: SensorChannel[] = ranges.map((r) => ({ kind: r.kind, unit: r.unit }));
  const isScale = channels.some((c) => c.kind === 'weight') || (channels.length === 0 && /scale|weigh/i.test(id));
  if (channels.length === 0) {
    if (isScale) channels.push({ kind: 'weight', unit: 'kg' });
    else channels.push({ kind: 'temperature', unit: '°C' }, { kind: 'humidity', unit: '%' });
  }
  return { id, index, zones, role: isScale ? 'scale' : 'climate', channels };
}
