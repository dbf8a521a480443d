import type { Logger } from '../../infra/logger.ts';
import type { ScaledClock } from '../core/clock.ts';
import type { Channel, Simulation } from '../engine/simulation.ts';
import type { SimOutput } from '../engine/types.ts';
import type { DeviceConnection } from './device-connection.ts';
import { LagMeter } from './lag-meter.ts';

export interface DriverDeps {
  sim: Simulation;
  clock: ScaledClock;
  connections: ReadonlyMap<string, DeviceConnection>;
  log: Logger;
  /** Stop advancing at the scenario's end. */
  stopAtEnd: boolean;
  /** Real ms between steps. */
  tickMs?: number;
}

/**
 * Drives the simulation against a scaled clock: every tick it advances simulated time to
 * where the clock says it should be and hands what came out to the MQTT sessions. When
 * work takes longer than real time allows, the clock runs ahead and the lag meter shows it.
 */
export class RealtimeDriver {
  readonly lag = new LagMeter();
  /** Handed to the MQTT sessions, per channel (`status` counts `online` on each connect). */
  readonly published: Record<Channel, { messages: number; bytes: number }> = {
    rfid: { messages: 0, bytes: 0 },
    camera: { messages: 0, bytes: 0 },
    audio: { messages: 0, bytes: 0 },
    sensor: { messages: 0, bytes: 0 },
    status: { messages: 0, bytes: 0 },
  };
  readonly done: Promise<void>;
  private readonly deps: DriverDeps;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private resolveDone: () => void = () => {};
  private wake: (() => void) | undefined;

  constructor(deps: DriverDeps) {
    this.deps = deps;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => {
      this.deps.log.error({ err }, 'simulation loop failed');
      this.running = false;
      this.resolveDone();
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    this.resolveDone();
  }

  dispatch(outputs: readonly SimOutput[]): void {
    const { connections, clock } = this.deps;
    for (const o of outputs) {
      const connection = connections.get(o.type === 'publish' ? o.message.deviceId : o.deviceId);
      if (!connection) continue;
      if (o.type === 'publish') {
        connection.publish(o.message);
        this.lag.record(clock.lagMs(o.message.simTs));
        this.count(o.message.channel, o.message.payload.length);
      } else if (o.type === 'connect') {
        connection.up(o.online);
        this.count('status', o.online.payload.length);
      } else connection.down();
    }
    this.lag.endTick();
  }

  private count(channel: Channel, bytes: number): void {
    const c = this.published[channel];
    c.messages += 1;
    c.bytes += bytes;
  }

  private async run(): Promise<void> {
    const { sim, clock, stopAtEnd } = this.deps;
    const tickMs = this.deps.tickMs ?? 20;
    while (this.running) {
      const began = performance.now();
      const target = stopAtEnd ? Math.min(clock.now(), sim.endMs) : clock.now();
      this.dispatch(await sim.advanceTo(target));
      if (stopAtEnd && target >= sim.endMs) {
        this.running = false;
        this.resolveDone();
        return;
      }
      const wait = Math.max(1, tickMs - (performance.now() - began));
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, wait);
      });
    }
  }
}
