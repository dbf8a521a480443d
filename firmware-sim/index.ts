/**
 * The simulated warehouse: devices that speak what real ones speak over MQTT, driven by
 * seeded scenarios, with ground truth for scoring detections.
 *
 * MQTT: `startSimulatedWarehouse(...)`. Pure and stepped (no broker, no timers):
 * `createSimulation(...)` then `await sim.advanceTo(t)` / `advanceBy(ms)`.
 */
export { startSimulatedWarehouse, type StartOptions, type SimulatedWarehouse, type WarehouseStats } from './shell/start.ts';
export { createSimulation, Simulation, UnknownScenarioError, type SimulationOptions, type SimCounters, type Channel, type InjectedIncident } from './engine/simulation.ts';
export { DEFAULT_DEVICE_OPTIONS, resolveDeviceOptions, type DeviceOptions, type DeviceOverrides, type RfidFormatName } from './engine/options.ts';
export type { SimMessage, SimOutput, DeviceInfo } from './engine/types.ts';
export type { TamperMode } from './engine/faults.ts';
export { SCENARIOS, findScenario, scenarioNames } from './scenario/catalogue.ts';
export { scenarioStart } from './scenario/timeline.ts';
export type { GroundTruthEvent, GroundTruthKind, ScenarioDefinition } from './scenario/types.ts';
export { benchSiteConfig, type BenchSiteOptions } from './model/bench-site.ts';
export { COMMODITIES, type CommodityId } from './model/commodities.ts';
export type { PopulationSpec } from './model/population.ts';
export type { LotManifest } from './model/types.ts';
export { ManualClock, ScaledClock, type SimClock } from './core/clock.ts';
export { Rng, deriveSeed } from './core/prng.ts';
export { parseDuration } from './core/duration.ts';
export { synthesiseClip, CLIP_LABELS, type ClipLabel, type Clip, type ClipOptions } from './audio/synth.ts';

export { deliveredMessages } from './engine/delivered.ts';
