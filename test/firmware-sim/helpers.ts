import { readFileSync } from 'node:fs';
import { parseSiteConfig, type SiteConfig } from '../../protocol/site/site-config.ts';
import { deliveredMessages, type DeviceOverrides, type SimMessage, type Simulation } from '../../firmware-sim/index.ts';

const S1_PATH = new URL('../../config/site-s1.yaml', import.meta.url);

/** The demo site, as the gateway reads it. */
export function siteS1(): SiteConfig {
  return parseSiteConfig(readFileSync(S1_PATH, 'utf8'), 'config/site-s1.yaml');
}

/** Readers, scales and probes only: most tests do not need frames and PCM. */
export const NO_MEDIA: DeviceOverrides = { camera: { enabled: false }, audio: { enabled: false } };

/** Steps the simulation to `untilMs` in `stepMs` steps and returns everything delivered, in order. */
export async function collect(sim: Simulation, untilMs: number, stepMs = 60_000): Promise<SimMessage[]> {
  const out: SimMessage[] = [];
  while (sim.now() < untilMs) out.push(...deliveredMessages(await sim.advanceTo(Math.min(untilMs, sim.now() + stepMs))));
  return out;
}

export function json(message: SimMessage): unknown {
  return JSON.parse(message.payload.toString('utf8'));
}
