import { deviceRef, type SiteConfig } from '../../protocol/index.ts';

/** Antenna bits per zone; zones with more antennas share the last bit (observability gets coarser, never wrong). */
const MAX_ANTENNA_BIT = 30;

export interface ZoneInfo {
  readonly index: number;
  readonly id: string;
  /** Door zones are passages: tags read there are moving, not stored. */
  readonly door: boolean;
  /** Bit of every antenna covering the zone. */
  readonly allAntennas: number;
}

export interface AntennaInfo {
  readonly port: number;
  readonly zone: number;
  /** This antenna's bit in its zone's antenna mask. */
  readonly bit: number;
}

export interface ReaderInfo {
  readonly index: number;
  readonly id: string;
  /** `{site}/rfid/{id}`, as evidence names devices. */
  readonly ref: string;
  /** Indexed by antenna port (1–64, the site schema's range). */
  readonly byPort: readonly (AntennaInfo | undefined)[];
  readonly antennas: readonly AntennaInfo[];
  readonly zones: readonly number[];
}

export interface SiteLayout {
  readonly site: string;
  readonly zones: readonly ZoneInfo[];
  readonly zoneById: ReadonlyMap<string, number>;
  readonly readers: readonly ReaderInfo[];
  readonly readerById: ReadonlyMap<string, ReaderInfo>;
}

/** Which reader antenna watches which zone, from the site YAML (PROTOCOL.md "Site configuration"). */
export function buildSiteLayout(site: SiteConfig): SiteLayout {
  const zones: ZoneInfo[] = [];
  const zoneById = new Map<string, number>();
  const building = new Map<string, { id: string; antennas: AntennaInfo[]; zones: Set<number> }>();
  for (const zone of site.zones) {
    const index = zones.length;
    let bits = 0;
    let next = 0;
    for (const { reader, antennas } of zone.readers) {
      let entry = building.get(reader);
      if (!entry) {
        entry = { id: reader, antennas: [], zones: new Set() };
        building.set(reader, entry);
      }
      entry.zones.add(index);
      for (const port of antennas) {
        const bit = 1 << Math.min(next, MAX_ANTENNA_BIT);
        next += 1;
        bits |= bit;
        entry.antennas.push({ port, zone: index, bit });
      }
    }
    zones.push({ index, id: zone.id, door: zone.kind === 'door', allAntennas: bits });
    zoneById.set(zone.id, index);
  }
  const readers: ReaderInfo[] = [];
  const readerById = new Map<string, ReaderInfo>();
  for (const entry of building.values()) {
    const byPort: (AntennaInfo | undefined)[] = new Array(65).fill(undefined);
    for (const a of entry.antennas) byPort[a.port] = a;
    const info: ReaderInfo = {
      index: readers.length,
      id: entry.id,
      ref: deviceRef(site.site, 'rfid', entry.id),
      byPort,
      antennas: entry.antennas,
      zones: [...entry.zones],
    };
    readers.push(info);
    readerById.set(entry.id, info);
  }
  return { site: site.site, zones, zoneById, readers, readerById };
}
