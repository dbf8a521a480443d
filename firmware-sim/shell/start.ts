import { createLogger, type Logger } from '../../infra/logger.ts';
import type { SiteConfig } from '../../protocol/site/site-config.ts';
import { ScaledClock } from '../core/clock.ts';
import type { DeviceOverrides } from '../engine/options.ts';
import { createSimulation, type Channel, type InjectedIncident, type SimCounters } from '../engine/simulation.ts';
import { onlineStatus, shutdownStatus } from '../engine/status.ts';
import type { DeviceInfo } from '../engine/types.ts';
import type { PopulationSpec } from '../model/population.ts';
import type { LotManifest } from '../model/types.ts';
import type { GroundTruthEvent } from '../scenario/types.ts';
import { DeviceConnection } from './device-connection.ts';
import { RealtimeDriver } from './driver.ts';

export interface StartOptions {
  mqttUrl: string;
  siteConfig: SiteConfig;
  scenario: string;
  seed: number;
  /** Simulated ms per real ms: 60 runs a simulated minute per real second. */
  speed: number;
  devices?: DeviceOverrides;
  log?: Logger;
  population?: PopulationSpec;
  /** Overrides the scenario's start (epoch ms) and duration. */
  startMs?: number;
  durationMs?: number;
  /** Keep the devices running after the scenario ends (default: stop advancing at the end). */
  runPastEnd?: boolean;
  /** Real ms to wait for every device to connect before giving up. */
  connectTimeoutMs?: number;
  /** Each device's broker password (by device id); a device with one logs in as its id, which is also its client id. */
  mqttPasswords?: ReadonlyMap<string, string>;
}

export interface WarehouseStats {
  scenario: string;
  simTime: string;
  simElapsedMs: number;
  realElapsedMs: number;
  speed: number;
  /** Simulated ms actually covered per real ms so far. */
  achievedSpeed: number;
  finished: boolean;
  /** Handed to MQTT sessions, per channel. */
  published: Record<Channel, { messages: number; bytes: number }>;
  /** Produced by the simulated devices (incl. while buffered/offline), per channel. */
  produced: SimCounters['produced'];
  /** Produced while the device had no broker and did not buffer. */
  suppressed: SimCounters['suppressed'];
  rfidReads: number;
  /** Lost in the MQTT shell (a session lost with messages in flight, or a device switched off). */
  dropped: number;
  /** Purged by devices whose buffer filled (broker slower than the devices, or away too long). */
  overflowed: number;
  /** Held by the devices now, waiting for their delivery window. */
  held: number;
  reconnects: number;
  devices: number;
  connected: number;
  mqtt311Fallbacks: number;
  backlogBytes: number;
  /** How far behind schedule publishes went out, real ms. */
  lagMs: { current: number; max: number; p50: number; p95: number };
}

export interface SimulatedWarehouse {
  readonly mqttUrl: string;
  readonly site: SiteConfig;
  readonly scenario: { name: string; startMs: number; endMs: number };
  /** The lots as stocked at the start: the manifest the demo seeds into the cloud. */
  readonly lots: LotManifest[];
  readonly devices: DeviceInfo[];
  /** Resolves when the scenario's end is reached (or after stop()). */
  readonly done: Promise<void>;
  groundTruth(): GroundTruthEvent[];
  onGroundTruth(listener: (event: GroundTruthEvent) => void): () => void;
  simNow(): number;
  /**
   * Plays a scenario's incident on the running warehouse, as if the scenario had started
   * `leadMs` simulated ms ago (default 0: from now). Throws UnknownScenarioError.
   */
  inject(scenario: string, options?: { leadMs?: number }): InjectedIncident;
  /**
   * The warehouse's time at a wall-clock instant (epoch ms): what an observer living in
   * real time, like the gateway, needs to tell the site's day from its night.
   */
  siteTimeAt(wallMs: number): number;
  stats(): WarehouseStats;
  stop(): Promise<void>;
}

/**
 * Starts the simulated warehouse against a broker: one MQTT session per device, each
 * retained `online` with an `offline` last will, driven in scaled real time.
 */
export async function startSimulatedWarehouse(options: StartOptions): Promise<SimulatedWarehouse> {
  if (!(Number.isFinite(options.speed) && options.speed > 0)) throw new RangeError(`speed must be a positive number, got ${options.speed}`);
  const log = (options.log ?? createLogger('firmware-sim')).child({ component: 'firmware-sim' });
  const sim = createSimulation({
    siteConfig: options.siteConfig,
    scenario: options.scenario,
    seed: options.seed,
    ...(options.devices ? { devices: options.devices } : {}),
    ...(options.population ? { population: options.population } : {}),
    ...(options.startMs !== undefined ? { startMs: options.startMs } : {}),
    ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
  });
  const site = sim.site.site;
  const connections = new Map<string, DeviceConnection>();
  for (const device of sim.devices) {
    const password = options.mqttPasswords?.get(device.id);
    const info = password === undefined ? device : { ...device, clientId: device.id, credentials: { username: device.id, password } };
    connections.set(
      info.id,
      new DeviceConnection({ url: options.mqttUrl, info, options: sim.options.connection, log, onlineNow: () => onlineStatus(site, info, sim.now()) }),
    );
  }
  // The clock starts once everyone is connected, so connecting does not count as lag.
  const bootClock = new ScaledClock({ startSimMs: sim.startMs, speed: options.speed });
  const boot = new RealtimeDriver({ sim, clock: bootClock, connections, log, stopAtEnd: true });
  boot.dispatch(await sim.advanceTo(sim.startMs));
  try {
    await Promise.all([...connections.values()].map((c) => c.waitConnected(options.connectTimeoutMs ?? 15_000)));
  } catch (err) {
    await Promise.all([...connections.values()].map((c) => c.close(undefined)));
    throw err;
  }
  const clock = new ScaledClock({ startSimMs: sim.now(), speed: options.speed });
  const driver = new RealtimeDriver({ sim, clock, connections, log, stopAtEnd: !options.runPastEnd });
  for (const ch of Object.keys(boot.published) as Channel[]) driver.published[ch] = { ...boot.published[ch] };
  driver.start();
  log.info({ scenario: sim.scenario.name, seed: options.seed, speed: options.speed, devices: sim.devices.length, url: options.mqttUrl }, 'simulated warehouse started');
  let stopped: Promise<void> | undefined;
  return {
    mqttUrl: options.mqttUrl,
    site: sim.site,
    scenario: { name: sim.scenario.name, startMs: sim.startMs, endMs: sim.endMs },
    lots: sim.lots,
    devices: sim.devices,
    done: driver.done,
    groundTruth: () => sim.groundTruth(),
    onGroundTruth: (listener) => sim.onGroundTruth(listener),
    simNow: () => sim.now(),
    inject: (scenario, injectOptions) => {
      // The scaled clock leaves simulated time fractional; scenarios schedule in whole ms.
      const incident = sim.inject(scenario, Math.floor(sim.now()) - Math.max(0, Math.round(injectOptions?.leadMs ?? 0)));
      log.info({ scenario: incident.scenario, injection: incident.injection, simTime: new Date(sim.now()).toISOString() }, 'scenario injected');
      return incident;
    },
    // The clock counts on performance.now(); wall-clock instants are moved onto that scale.
    siteTimeAt: (wallMs) => clock.simAt(performance.now() - (Date.now() - wallMs)),
    stats: (): WarehouseStats => {
      const counters = sim.stats();
      const all = [...connections.values()];
      const realElapsedMs = clock.realElapsedMs();
      return {
        scenario: sim.scenario.name,
        simTime: new Date(sim.now()).toISOString(),
        simElapsedMs: sim.now() - sim.startMs,
        realElapsedMs: Math.round(realElapsedMs),
        speed: options.speed,
        achievedSpeed: realElapsedMs > 0 ? Math.round(((sim.now() - clock.startSimMs) / realElapsedMs) * 100) / 100 : 0,
        finished: sim.finished,
        published: structuredClone(driver.published),
        produced: counters.produced,
        suppressed: counters.suppressed,
        rfidReads: counters.rfidReads,
        dropped: all.reduce((s, c) => s + c.stats.dropped, 0),
        overflowed: all.reduce((s, c) => s + c.stats.overflowed, 0),
        held: all.reduce((s, c) => s + c.held, 0),
        reconnects: all.reduce((s, c) => s + c.stats.reconnects, 0),
        devices: all.length,
        connected: all.filter((c) => c.connected).length,
        mqtt311Fallbacks: all.filter((c) => c.stats.fellBackToMqtt311).length,
        backlogBytes: all.reduce((s, c) => s + c.backlogBytes, 0),
        lagMs: driver.lag.summary(),
      };
    },
    stop: () => {
      stopped ??= (async () => {
        await driver.stop();
        const t = sim.now();
        await Promise.all(sim.devices.map((info) => connections.get(info.id)?.close(shutdownStatus(site, info, t))));
        log.info({ scenario: sim.scenario.name, simTime: new Date(t).toISOString() }, 'simulated warehouse stopped');
      })();
      return stopped;
    },
  };
}
