import type { SiteConfig, Zone } from '../../protocol/site/site-config.ts';

export interface BenchSiteOptions {
  site?: string;
  /** Total RFID readers; all but `doors` cover one storage bay each. */
  readers?: number;
  doors?: number;
  cameras?: number;
  microphones?: number;
  timezone?: string;
}

/**
 * A large synthetic site for the scale benchmark: by default 48 bays and 2 dock doors (50
 * readers), 16 cameras on every third bay, 8 microphones each covering six bays, a scale
 * on every camera bay and a climate probe on every fourth bay. A gateway under test can be
 * given the same layout (`firmware-sim/cli.ts --scale bench --print-site`).
 */
export function benchSiteConfig(options: BenchSiteOptions = {}): SiteConfig {
  const readers = options.readers ?? 50;
  const doors = options.doors ?? 2;
  const cameras = options.cameras ?? 16;
  const microphones = options.microphones ?? 8;
  const bays = readers - doors;
  if (bays < 1) throw new Error('the bench site needs at least one storage bay');
  const cameraEvery = Math.max(1, Math.floor(bays / Math.max(1, cameras)));
  const micSpan = Math.ceil(bays / Math.max(1, microphones));
  const zones: Zone[] = [];
  const sensorRanges: SiteConfig['sensorRanges'] = [];
  let cameraCount = 0;
  for (let i = 0; i < bays; i += 1) {
    const n = String(i + 1).padStart(2, '0');
    const hasCamera = i % cameraEvery === 0 && cameraCount < cameras;
    const sensors: string[] = [];
    if (hasCamera) sensors.push(`scale-${n}`);
    if (i % 4 === 0) {
      sensors.push(`climate-${n}`);
      sensorRanges.push(
        { sensor: `climate-${n}`, kind: 'temperature', unit: '°C', min: 5, max: 35 },
        { sensor: `climate-${n}`, kind: 'humidity', unit: '%', min: 20, max: 75 },
      );
    }
    zones.push({
      id: `bay-${n}`,
      name: `Bay ${n}`,
      kind: 'storage',
      readers: [{ reader: `rd-${n}`, antennas: [1, 2, 3, 4] }],
      cameras: hasCamera ? [{ camera: `cam-${String(++cameraCount).padStart(2, '0')}`, roi: { x: 40, y: 120, width: 560, height: 320 } }] : [],
      microphones: microphones > 0 ? [`mic-${Math.floor(i / micSpan) + 1}`] : [],
      sensors,
    });
  }
  for (let d = 0; d < doors; d += 1) {
    zones.push({
      id: `dock-${d + 1}`,
      name: `Dock door ${d + 1}`,
      kind: 'door',
      readers: [{ reader: `rd-dock-${d + 1}`, antennas: [1, 2] }],
      cameras: [],
      microphones: [],
      sensors: [],
    });
  }
  return {
    site: options.site ?? 'bench',
    name: 'Scale benchmark warehouse',
    timezone: options.timezone ?? 'UTC',
    night: { from: '20:00', to: '06:00' },
    zones,
    sensorRanges,
  };
}
