import type { SiteConfig } from '../../protocol/site/site-config.ts';
import { FrameRenderer } from '../camera/renderer.ts';
import { Rng } from '../core/prng.ts';
import { Scheduler } from '../core/scheduler.ts';
import { deviceLayout, type DeviceLayout } from '../model/device-layout.ts';
import { manifestOf, populate, type PopulationSpec } from '../model/population.ts';
import type { LotManifest } from '../model/types.ts';
import type { Warehouse } from '../model/warehouse.ts';
import { findScenario, scenarioNames } from '../scenario/catalogue.ts';
import { dayWork } from '../scenario/day-work.ts';
import { scenarioStart } from '../scenario/timeline.ts';
import type { GroundTruthEvent, GroundTruthInput, ScenarioContext, ScenarioDefinition } from '../scenario/types.ts';
import { createDevices } from './device-factory.ts';
import { DeviceFaults } from './faults.ts';
import { resolveDeviceOptions, type DeviceOptions, type DeviceOverrides } from './options.ts';
import { onlineStatus, willMessage } from './status.ts';
import type { DeviceCore, DeviceInfo, PendingMessage, SimMessage, SimOutput, TickContext } from './types.ts';

export interface SimulationOptions {
  siteConfig: SiteConfig;
  scenario: string;
  seed: number;
  devices?: DeviceOverrides;
  population?: PopulationSpec;
  /** Overrides the scenario's start (epoch ms). */
  startMs?: number;
  /** Overrides the scenario's duration. */
  durationMs?: number;
  /** Share one renderer (and its caches) between simulations. */
  renderer?: FrameRenderer;
}

export class UnknownScenarioError extends Error {
  override readonly name = 'UnknownScenarioError';
  constructor(name: string) {
    super(`unknown scenario "${name}"; known: ${scenarioNames().join(', ')}`);
  }
}

export type Channel = SimMessage['channel'];

/** A scenario's incident playing on a running warehouse (simulated epoch ms). */
export interface InjectedIncident {
  scenario: string;
  /** 1 for the first incident injected into this simulation, then 2, … */
  injection: number;
  startMs: number;
  endMs: number;
}

export interface SimCounters {
  produced: Record<Channel, { messages: number; bytes: number }>;
  /** Messages a device produced while it could not reach the broker (not buffered). */
  suppressed: Record<Channel, number>;
  /** Tag reads published by all readers (a message carries a round's worth). */
  rfidReads: number;
}

interface DeviceState {
  core: DeviceCore;
  powered: boolean;
  connected: boolean;
  lastPeriodMs: number;
  lostAt: number;
}

type PendingOutput = { type: 'publish'; message: PendingMessage } | Exclude<SimOutput, { type: 'publish' }>;

const CHANNELS: readonly Channel[] = ['rfid', 'camera', 'audio', 'sensor', 'status'];

/**
 * The simulated warehouse as a pure, deterministic core: a seed, a site and a scenario in,
 * an ordered list of MQTT publishes and link changes out, as simulated time is advanced.
 * No sockets and no timers: tests step it, the MQTT shell drives it against a clock.
 */
export class Simulation {
  readonly site: SiteConfig;
  readonly scenario: ScenarioDefinition;
  readonly seed: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly options: DeviceOptions;
  readonly warehouse: Warehouse;
  readonly layout: DeviceLayout;
  /** The lots as stocked at the start: what the demo seeds into the cloud. */
  readonly lots: LotManifest[];
  readonly devices: DeviceInfo[];

  private readonly scheduler = new Scheduler();
  private readonly faults = new DeviceFaults();
  private readonly states = new Map<string, DeviceState>();
  private readonly rng: Rng;
  private readonly truths: GroundTruthEvent[] = [];
  private readonly listeners = new Set<(event: GroundTruthEvent) => void>();
  private injected = 0;
  private outputs: PendingOutput[] = [];
  private current: number;
  private networkUp = true;
  private busy = false;
  private skipping = false;
  private readonly counters: SimCounters = {
    produced: Object.fromEntries(CHANNELS.map((c) => [c, { messages: 0, bytes: 0 }])) as SimCounters['produced'],
    suppressed: Object.fromEntries(CHANNELS.map((c) => [c, 0])) as SimCounters['suppressed'],
    rfidReads: 0,
  };

  constructor(o: SimulationOptions) {
    const scenario = findScenario(o.scenario);
    if (!scenario) throw new UnknownScenarioError(o.scenario);
    if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
    this.site = o.siteConfig;
    this.scenario = scenario;
    this.seed = o.seed;
    this.rng = new Rng(o.seed);
    this.options = resolveDeviceOptions(o.devices);
    this.startMs = o.startMs ?? scenarioStart(scenario.startLocal, this.site.timezone);
    this.endMs = this.startMs + (o.durationMs ?? scenario.durationMs);
    this.current = this.startMs;
    this.warehouse = populate(this.site, o.population ?? 'default', this.rng.fork('population'));
    this.lots = manifestOf(this.warehouse);
    this.layout = deviceLayout(this.site, this.warehouse.plan);
    const cores = createDevices({
      site: this.site,
      layout: this.layout,
      warehouse: this.warehouse,
      options: this.options,
      rng: this.rng.fork('devices'),
      faults: this.faults,
      ...(o.renderer ? { renderer: o.renderer } : {}),
    });
    this.devices = cores.map((c) => c.info);
    cores.forEach((core, i) => {
      this.states.set(core.info.id, { core, powered: true, connected: false, lastPeriodMs: 1_000, lostAt: this.startMs });
      this.scheduler.schedule(this.startMs, (t) => this.connect(core.info.id, t, false));
      // Spread first ticks so devices do not all report on the same millisecond.
      this.scheduler.schedule(this.startMs + ((i * 137) % 1_000), (t) => this.tick(core.info.id, t));
    });
    this.truth({ kind: 'scenario', detail: { name: scenario.name, phase: 'start', seed: o.seed, site: this.site.site, endsAt: new Date(this.endMs).toISOString() } }, this.startMs);
    const ctx = this.context(this.rng.fork(`scenario:${scenario.name}`), this.startMs, this.endMs);
    dayWork(ctx);
    scenario.incident(ctx);
    this.scheduler.schedule(this.endMs, (t) => this.truth({ kind: 'scenario', detail: { name: scenario.name, phase: 'end' } }, t));
  }

  now(): number {
    return this.current;
  }

  get finished(): boolean {
    return this.current >= this.endMs;
  }

  /**
   * Runs everything due up to `t` and returns what went on the wire, in order. Camera
   * frames render concurrently; the result waits for them.
   */
  async advanceTo(t: number): Promise<SimOutput[]> {
    if (this.busy) throw new Error('advanceTo is already running; await it before stepping again');
    this.busy = true;
    try {
      for (let task = this.scheduler.popDue(t); task; task = this.scheduler.popDue(t)) {
        this.current = Math.max(this.current, task.at);
        task.run(this.current);
      }
      this.current = Math.max(this.current, t);
      const pending = this.outputs;
      this.outputs = [];
      const payloads = await Promise.all(pending.map((p) => (p.type === 'publish' ? p.message.payload : undefined)));
      return pending.map((p, i): SimOutput => {
        if (p.type !== 'publish') return p;
        const message: SimMessage = { ...p.message, payload: payloads[i] as Buffer };
        const c = this.counters.produced[message.channel];
        c.messages += 1;
        c.bytes += message.payload.length;
        return { type: 'publish', message };
      });
    } finally {
      this.busy = false;
    }
  }

  /**
   * Fast-forwards to `t`: the scenario plays out (goods move, faults come and go, ground
   * truth is recorded) but devices sleep through it and nothing is published. Lets tests
   * jump to the interesting part of a long scenario.
   */
  skipTo(t: number): void {
    if (this.busy) throw new Error('advanceTo is running; await it before skipping');
    this.skipping = true;
    try {
      for (let task = this.scheduler.popDue(t); task; task = this.scheduler.popDue(t)) {
        this.current = Math.max(this.current, task.at);
        task.run(this.current);
      }
      this.current = Math.max(this.current, t);
      this.outputs = [];
    } finally {
      this.skipping = false;
    }
  }

  /**
   * Plays another scenario's incident on this running warehouse, as if that scenario had
   * started at `startMs` (default now; earlier brings its incident closer, and whatever
   * falls before now happens at once). Goods, devices and the day's work stay as they
   * are: a quiet site turns into a theft, a covered camera, a price crash. The ground
   * truth gets the incident with a `scenario` start naming it.
   */
  inject(name: string, startMs = this.current): InjectedIncident {
    const scenario = findScenario(name);
    if (!scenario) throw new UnknownScenarioError(name);
    if (!Number.isFinite(startMs)) throw new RangeError(`startMs must be a finite epoch ms, got ${startMs}`);
    this.injected += 1;
    const injection = this.injected;
    const endMs = Math.max(startMs + scenario.durationMs, this.current);
    const ctx = this.context(this.rng.fork(`inject:${scenario.name}#${injection}`), startMs, endMs);
    this.truth({ kind: 'scenario', detail: { name: scenario.name, phase: 'start', injected: injection, endsAt: new Date(endMs).toISOString() } });
    scenario.incident(ctx);
    this.scheduler.schedule(endMs, (t) => this.truth({ kind: 'scenario', detail: { name: scenario.name, phase: 'end', injected: injection } }, t));
    return { scenario: scenario.name, injection, startMs, endMs };
  }

  advanceBy(ms: number): Promise<SimOutput[]> {
    return this.advanceTo(this.current + ms);
  }

  groundTruth(): GroundTruthEvent[] {
    return [...this.truths];
  }

  onGroundTruth(listener: (event: GroundTruthEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): SimCounters {
    const counters = structuredClone(this.counters);
    for (const { core } of this.states.values()) counters.rfidReads += core.readsPublished ?? 0;
    return counters;
  }

  isConnected(deviceId: string): boolean {
    return this.states.get(deviceId)?.connected ?? false;
  }

  private truth(event: GroundTruthInput, at = this.current): void {
    const full: GroundTruthEvent = { ts: new Date(at).toISOString(), ...event };
    this.truths.push(full);
    for (const listener of this.listeners) {
      try {
        listener(full);
      } catch {
        // A failing listener must not stop the simulation or the other listeners.
      }
    }
  }

  private tickContext(state: DeviceState): TickContext {
    return {
      linked: state.connected,
      emit: (message) => {
        if (state.connected) this.outputs.push({ type: 'publish', message });
        else this.counters.suppressed[message.channel] += 1;
      },
    };
  }

  private tick(id: string, t: number): void {
    const state = this.states.get(id);
    if (!state) return;
    let next = t + state.lastPeriodMs;
    if (state.powered && !this.skipping) {
      next = state.core.tick(t, this.tickContext(state));
      state.lastPeriodMs = Math.max(1, next - t);
    }
    this.scheduler.schedule(next, (at) => this.tick(id, at));
  }

  private connect(id: string, t: number, announce: boolean): void {
    const state = this.states.get(id);
    if (!state || state.connected || !state.powered || !this.networkUp) return;
    state.connected = true;
    const info = state.core.info;
    this.outputs.push({ type: 'connect', deviceId: id, simTs: t, online: onlineStatus(this.site.site, info, t) });
    if (announce) this.truth({ kind: 'device-online', deviceId: id, detail: { kind: info.kind, offlineForMs: t - state.lostAt } }, t);
    state.core.onLink?.(true, t, this.tickContext(state));
  }

  private disconnect(id: string, t: number, cause: 'power' | 'network'): void {
    const state = this.states.get(id);
    if (!state || !state.connected) return;
    state.connected = false;
    state.lostAt = t;
    this.outputs.push({ type: 'disconnect', deviceId: id, simTs: t, will: willMessage(state.core.info, t) });
    this.truth({ kind: 'device-offline', deviceId: id, detail: { kind: state.core.info.kind, cause } }, t);
    state.core.onLink?.(false, t, this.tickContext(state));
  }

  private context(rng: Rng, startMs: number, endMs: number): ScenarioContext {
    const deviceIds = new Set(this.states.keys());
    const at = (ms: number, action: (now: number) => void) => this.scheduler.schedule(Math.max(ms, this.current), action);
    return {
      site: this.site,
      warehouse: this.warehouse,
      layout: this.layout,
      options: this.options,
      rng,
      startMs,
      endMs,
      deviceIds,
      at,
      truth: (event) => this.truth(event),
      sound: (zone, label, startMs, durationMs, levelDb = 0) => {
        const start = Math.max(startMs, this.current);
        const sound = this.warehouse.addSound({ zone, label, startMs: start, durationMs, levelDb, seed: rng.fork(`sound:${label}@${start}`).seed });
        const heardBy = this.layout.microphones.filter((m) => m.zones.includes(zone)).map((m) => m.id);
        at(start, (t) => this.truth({ kind: 'audio-event', zone, detail: { label, durationMs, levelDb, heardBy, soundId: sound.id } }, t));
      },
      powerOff: (id) => {
        const state = this.states.get(id);
        if (!state) return;
        this.disconnect(id, this.current, 'power');
        state.powered = false;
      },
      powerOn: (id) => {
        const state = this.states.get(id);
        if (!state || state.powered) return;
        state.powered = true;
        state.core.onBoot?.(this.current);
        // Embedded readers and cameras take most of a minute to boot.
        at(this.current + rng.int(30, 60) * 1_000, (t) => this.connect(id, t, true));
      },
      cutNetwork: () => {
        if (!this.networkUp) return;
        this.truth({ kind: 'network-cut', detail: { devices: [...this.states.keys()] } });
        for (const id of this.states.keys()) this.disconnect(id, this.current, 'network');
        this.networkUp = false;
      },
      restoreNetwork: () => {
        if (this.networkUp) return;
        this.networkUp = true;
        this.truth({ kind: 'network-restored', detail: {} });
        for (const [id, state] of this.states) {
          if (!state.powered) continue;
          at(this.reconnectTime(id, state.lostAt, this.current), (t) => this.connect(id, t, true));
        }
      },
      setTamper: (id, mode) => this.faults.setTamper(id, mode),
      setAntenna: (id, port, connected) => this.faults.setAntenna(id, port, connected),
    };
  }

  /**
   * Devices retry with exponential backoff from the moment they lost the broker (1 s
   * doubling to 60 s, jittered), so after an outage they return staggered, at the first
   * retry that falls after the network came back.
   */
  private reconnectTime(id: string, lostAt: number, restoredAt: number): number {
    const rng = this.rng.fork(`reconnect:${id}@${lostAt}`);
    let t = lostAt;
    for (let k = 0; t < restoredAt; k += 1) t += Math.min(60_000, 1_000 * 2 ** k) * rng.range(0.5, 1);
    return Math.round(t);
  }
}

export function createSimulation(options: SimulationOptions): Simulation {
  return new Simulation(options);
}
