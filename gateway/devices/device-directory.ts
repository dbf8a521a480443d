import type { DeviceKind, SiteConfig } from '../../protocol/index.ts';

export interface DeviceInfo {
  kind: DeviceKind;
  zones: string[];
}

/**
 * Which configured device is what and where. The status topic does not carry the
 * device kind, so the site file is what tells a reader's last will from a camera's.
 */
export function buildDeviceDirectory(site: SiteConfig): ReadonlyMap<string, DeviceInfo> {
  const directory = new Map<string, DeviceInfo>();
  const add = (id: string, kind: DeviceKind, zone: string) => {
    const info = directory.get(id) ?? { kind, zones: [] };
    if (!info.zones.includes(zone)) info.zones.push(zone);
    directory.set(id, info);
  };
  for (const zone of site.zones) {
    for (const r of zone.readers) add(r.reader, 'rfid', zone.id);
    for (const c of zone.cameras) add(c.camera, 'camera', zone.id);
    for (const m of zone.microphones) add(m, 'audio', zone.id);
    for (const s of zone.sensors) add(s, 'sensor', zone.id);
  }
  return directory;
}
