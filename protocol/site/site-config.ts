import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { parse as parseYaml } from 'yaml';
import { readFile } from 'node:fs/promises';
import { SensorSettings } from './sensor-settings.ts';
import { VideoConfig } from './video-config.ts';
import { AudioSettings } from './audio-settings.ts';
import { MqttClients } from './mqtt-clients.ts';

// Ids follow the topic rules of PROTOCOL.md so every configured device can be addressed.
const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const Clock = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });

export const RegionOfInterest = Type.Object({
  x: Type.Integer({ minimum: 0 }),
  y: Type.Integer({ minimum: 0 }),
  width: Type.Integer({ minimum: 1 }),
  height: Type.Integer({ minimum: 1 }),
});

export const ZoneReader = Type.Object({
  reader: Id,
  antennas: Type.Array(Type.Integer({ minimum: 1, maximum: 64 }), { minItems: 1 }),
});

export const ZoneCamera = Type.Object({
  camera: Id,
  /** Pixel rectangle of the frame that shows this zone's goods. */
  roi: RegionOfInterest,
});

export const Zone = Type.Object({
  id: Id,
  name: Type.Optional(Type.String()),
  /** `door` zones are passages (dock doors, gates): tags seen there are moving, not stored. */
  kind: Type.Union([Type.Literal('storage'), Type.Literal('door')]),
  readers: Type.Array(ZoneReader, { default: [] }),
  cameras: Type.Array(ZoneCamera, { default: [] }),
  microphones: Type.Array(Id, { default: [] }),
  sensors: Type.Array(Id, { default: [] }),
});

export const SensorRange = Type.Object({
  sensor: Id,
  kind: Type.String({ minLength: 1 }),
  unit: Type.String({ minLength: 1 }),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
});

export const SiteConfig = Type.Object({
  site: Id,
  name: Type.Optional(Type.String()),
  /** IANA time zone of the warehouse; decides what "at night" means. */
  timezone: Type.String({ default: 'UTC' }),
  night: Type.Object({ from: Clock, to: Clock }, { default: { from: '20:00', to: '06:00' } }),
  zones: Type.Array(Zone, { minItems: 1 }),
  sensorRanges: Type.Array(SensorRange, { default: [] }),
  sensorSettings: Type.Optional(SensorSettings),
  video: Type.Optional(VideoConfig),
  audio: Type.Optional(AudioSettings),
  mqttClients: Type.Optional(MqttClients),
});

export type RegionOfInterest = Static<typeof RegionOfInterest>;
export type Zone = Static<typeof Zone>;
export type SiteConfig = Static<typeof SiteConfig>;

const checker = Compile(SiteConfig);

export class SiteConfigError extends Error {
  override readonly name = 'SiteConfigError';
}

/** Parses and validates a site YAML document; errors name the offending path. */
export function parseSiteConfig(yamlText: string, source = 'site config'): SiteConfig {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (error) {
    throw new SiteConfigError(`${source}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const withDefaults = checker.Default(raw);
  if (!checker.Check(withDefaults)) {
    const first = checker.Errors(withDefaults)[0];
    const where = first?.instancePath || '/';
    throw new SiteConfigError(`${source}: ${where} ${first?.message ?? 'is invalid'}`);
  }
  const config = withDefaults as SiteConfig;
  assertUnique(config, source);
  return config;
}

export async function loadSiteConfig(path: string): Promise<SiteConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SiteConfigError(`${path}: cannot read site config: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return parseSiteConfig(text, path);
}

// Two zones claiming the same reader antenna would make a read's zone ambiguous.
function assertUnique(config: SiteConfig, source: string): void {
  const zones = new Set<string>();
  const antennas = new Map<string, string>();
  for (const zone of config.zones) {
    if (zones.has(zone.id)) throw new SiteConfigError(`${source}: zone ${zone.id} is defined twice`);
    zones.add(zone.id);
    for (const { reader, antennas: ports } of zone.readers) {
      for (const port of ports) {
        const key = `${reader}#${port}`;
        const other = antennas.get(key);
        if (other) throw new SiteConfigError(`${source}: reader ${reader} antenna ${port} is in zones ${other} and ${zone.id}`);
        antennas.set(key, zone.id);
      }
    }
  }
}
