// Simulator scale benchmark: `npx tsx bench/firmware-sim/sim-scale.bench.ts`. One process
// drives the bench site (50 readers, 5,000 tags, 16 cameras at 2 frames/s, 8 microphones,
// scales and climate probes) in real time against the embedded broker (or MQTT_URL), with a
// subscriber counting what arrives. BENCH_SCALE=small (or a number < 1) shortens the run (bench/bench-scale.ts).
// The last line printed is a JSON summary; run() returns the same object.
import { benchScale } from '../bench-scale.ts';
import mqtt from 'mqtt';
import { pathToFileURL } from 'node:url';
import { startBroker } from '../../infra/broker.ts';
import { createLogger } from '../../infra/logger.ts';
import { benchSiteConfig, startSimulatedWarehouse, type Channel, type WarehouseStats } from '../../firmware-sim/index.ts';

export interface SimScaleOptions {
  /** Real seconds to run; default 20 (BENCH_SCALE shortens it). */
  readonly durationS?: number;
  /** Seconds at the start left out of the rates (connects, first renders). */
  readonly warmupS?: number;
  readonly readers?: number;
  readonly cameras?: number;
  readonly microphones?: number;
  readonly tags?: number;
  readonly cameraFps?: number;
  readonly rfidRoundMs?: number;
  readonly mqttUrl?: string;
  readonly log?: (line: string) => void;
}

interface Rate {
  target: number;
  achieved: number;
  received: number;
}

export interface SimScaleSummary {
  readonly bench: 'firmware-sim-scale';
  readonly durationS: number;
  readonly devices: { readers: number; tags: number; cameras: number; microphones: number; sensors: number };
  /** Messages per real second: what the simulator was asked for, published, and received by a subscriber. */
  readonly rates: Record<'rfid' | 'camera' | 'audio' | 'sensor', Rate>;
  readonly rfidReadsPerSec: number;
  readonly megabytesPerSec: number;
  readonly lagMs: WarehouseStats['lagMs'];
  readonly achievedSpeed: number;
  readonly cpuPercent: number;
  readonly rssMiB: number;
  readonly keptUp: boolean;
}

function durationFromEnv(): number {
  return Math.max(5, Math.round(20 * benchScale()));
}

const CHANNELS = ['rfid', 'camera', 'audio', 'sensor'] as const;

export async function run(options: SimScaleOptions = {}): Promise<SimScaleSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const durationS = options.durationS ?? durationFromEnv();
  const warmupS = options.warmupS ?? Math.min(3, durationS / 4);
  const readers = options.readers ?? 50;
  const cameraFps = options.cameraFps ?? 2;
  const rfidRoundMs = options.rfidRoundMs ?? 1_000;
  const site = benchSiteConfig({ readers, cameras: options.cameras ?? 16, microphones: options.microphones ?? 8 });
  const broker = await startBroker({ url: options.mqttUrl ?? process.env.MQTT_URL });
  const received: Record<string, number> = {};
  const subscriber = await mqtt.connectAsync(broker.url, { clientId: 'bench-subscriber', reconnectPeriod: 0 });
  await subscriber.subscribeAsync(`wh/${site.site}/#`, { qos: 0 });
  subscriber.on('message', (topic) => {
    const kind = topic.split('/')[2] ?? '?';
    received[kind] = (received[kind] ?? 0) + 1;
  });
  const warehouse = await startSimulatedWarehouse({
    mqttUrl: broker.url,
    siteConfig: site,
    scenario: 'quiet-day',
    seed: 1,
    speed: 1,
    population: { totalTags: options.tags ?? 5_000 },
    startMs: Date.UTC(2024, 2, 12, 11),
    log: createLogger('bench', { level: 'warn' }),
    devices: {
      rfid: { roundMs: rfidRoundMs, doorRoundMs: rfidRoundMs },
      camera: { frameMs: 1_000 / cameraFps },
      audio: { chunkMs: 500 },
      // Faster than the defaults (30 s, 60 s) so a 20 s run sees several readings.
      sensors: { scaleMs: 5_000, climateMs: 10_000 },
    },
  });
  const count = (kind: string) => warehouse.devices.filter((d) => d.kind === kind).length;
  const sensors = count('sensor');
  const cameras = count('camera');
  const microphones = count('audio');
  const tags = warehouse.lots.reduce((s, l) => s + l.epcs.length, 0);
  log(`driving ${warehouse.devices.length} devices (${readers} readers, ${tags} tags) for ${durationS} s on ${broker.url}`);
  const cpuStart = process.cpuUsage();
  await new Promise((r) => setTimeout(r, warmupS * 1_000));
  const first = warehouse.stats();
  const firstReceived = { ...received };
  const cpuWarm = process.cpuUsage(cpuStart);
  await new Promise((r) => setTimeout(r, (durationS - warmupS) * 1_000));
  const last = warehouse.stats();
  const lastReceived = { ...received };
  const cpu = process.cpuUsage(cpuStart);
  const rssMiB = Math.round(process.memoryUsage().rss / 1024 / 1024);
  await warehouse.stop();
  await subscriber.endAsync();
  await broker.close();

  const seconds = (last.realElapsedMs - first.realElapsedMs) / 1_000;
  const perSec = (ch: Channel) => (last.published[ch].messages - first.published[ch].messages) / seconds;
  const receivedPerSec = (ch: string) => ((lastReceived[ch] ?? 0) - (firstReceived[ch] ?? 0)) / seconds;
  const storageReaders = site.zones.filter((z) => z.kind === 'storage').length;
  const scaleChannels = site.zones.flatMap((z) => z.sensors).filter((s) => s.startsWith('scale')).length;
  const climateChannels = site.sensorRanges.length;
  const targets = {
    // Door readers with nothing passing publish nothing, as real ones do.
    rfid: (storageReaders * 1_000) / rfidRoundMs,
    camera: cameras * cameraFps,
    audio: microphones * 2,
    sensor: scaleChannels / 5 + climateChannels / 10,
  };
  const rates = Object.fromEntries(
    CHANNELS.map((ch) => [ch, { target: round2(targets[ch]), achieved: round2(perSec(ch)), received: round2(receivedPerSec(ch)) }]),
  ) as SimScaleSummary['rates'];
  const bytes = CHANNELS.reduce((s, ch) => s + last.published[ch].bytes - first.published[ch].bytes, 0);
  const reads = (last.rfidReads - first.rfidReads) / seconds;
  const cpuMs = (cpu.user + cpu.system - cpuWarm.user - cpuWarm.system) / 1_000;
  const keptUp = last.lagMs.p95 < 500 && (['rfid', 'camera', 'audio'] as const).every((ch) => rates[ch].achieved >= 0.95 * rates[ch].target);
  const summary: SimScaleSummary = {
    bench: 'firmware-sim-scale',
    durationS,
    devices: { readers, tags, cameras, microphones, sensors },
    rates,
    rfidReadsPerSec: Math.round(reads),
    megabytesPerSec: round2(bytes / seconds / 1e6),
    lagMs: last.lagMs,
    achievedSpeed: round2((last.simElapsedMs - first.simElapsedMs) / (last.realElapsedMs - first.realElapsedMs)),
    cpuPercent: Math.round((cpuMs / (seconds * 1_000)) * 100),
    rssMiB,
    keptUp,
  };
  for (const ch of CHANNELS) log(`${ch.padEnd(6)} target ${rates[ch].target}/s, published ${rates[ch].achieved}/s, received ${rates[ch].received}/s`);
  log(`lag p50 ${summary.lagMs.p50} ms, p95 ${summary.lagMs.p95} ms, max ${summary.lagMs.max} ms; ${summary.megabytesPerSec} MB/s; cpu ${summary.cpuPercent}%; ${keptUp ? 'kept up' : 'FELL BEHIND'}`);
  log(JSON.stringify(summary));
  return summary;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  run()
    .then((summary) => process.exit(summary.keptUp ? 0 : 1))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
