import type { SiteConfig } from '../../protocol/site/site-config.ts';
import type { Rng } from '../core/prng.ts';
import type { TamperMode } from '../engine/faults.ts';
import type { DeviceOptions } from '../engine/options.ts';
import type { DeviceLayout } from '../model/device-layout.ts';
import type { SoundLabel } from '../model/types.ts';
import type { Warehouse } from '../model/warehouse.ts';

export type GroundTruthKind =
  | 'scenario'
  | 'removal'
  | 'substitution'
  | 'tamper'
  | 'tamper-cleared'
  | 'device-offline'
  | 'device-online'
  | 'antenna-disconnected'
  | 'antenna-connected'
  | 'network-cut'
  | 'network-restored'
  | 'double-pledge'
  | 'price'
  | 'authorised-move'
  | 'activity'
  | 'audio-event'
  | 'stray-tag';

/**
 * What really happened, for scoring detections. `ts` is simulated time (ISO 8601 UTC).
 * Incidents a gateway should flag: removal, substitution, tamper, device-offline,
 * antenna-disconnected, network-cut, double-pledge (cloud side), price (cloud side).
 * Context a scorer uses to excuse alerts: authorised-move, activity, audio-event, stray-tag.
 */
export interface GroundTruthEvent {
  ts: string;
  kind: GroundTruthKind;
  lotId?: string;
  zone?: string;
  deviceId?: string;
  epcs?: string[];
  detail: Record<string, unknown>;
}

export type GroundTruthInput = Omit<GroundTruthEvent, 'ts'>;

/** What a scenario script may do to the world, all at simulated times it chooses. */
export interface ScenarioContext {
  readonly site: SiteConfig;
  readonly warehouse: Warehouse;
  readonly layout: DeviceLayout;
  readonly options: DeviceOptions;
  readonly rng: Rng;
  readonly startMs: number;
  readonly endMs: number;
  /** Ids of the devices actually simulated (after `devices.only`). */
  readonly deviceIds: ReadonlySet<string>;
  at(ms: number, action: (now: number) => void): void;
  truth(event: GroundTruthInput): void;
  sound(zone: string, label: SoundLabel, startMs: number, durationMs: number, levelDb?: number): void;
  powerOff(deviceId: string): void;
  powerOn(deviceId: string): void;
  cutNetwork(): void;
  restoreNetwork(): void;
  setTamper(cameraId: string, mode: TamperMode | undefined): void;
  setAntenna(readerId: string, port: number, connected: boolean): void;
}

export interface ScenarioDefinition {
  name: string;
  description: string;
  /** Local time of day the scenario starts, `HH:MM` in the site's time zone. */
  startLocal: string;
  durationMs: number;
  /**
   * What makes the scenario more than an ordinary day (the day's work itself is added by
   * the simulation), scheduled relative to `ctx.startMs`: the same script plays at the
   * scenario's own start or injected into a warehouse already running (`Simulation.inject`).
   */
  incident(ctx: ScenarioContext): void;
}
