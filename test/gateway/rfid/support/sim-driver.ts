import { evidenceField } from '../../../support/evidence-examples.ts';
// Plays a firmware-sim scenario into an RFID stage on simulated time (the stepped,
// broker-free simulator API): every message the broker would deliver reaches the stage
// with its simulated time as arrival time, and the stage ticks as the gateway would.
import { readFileSync } from 'node:fs';
import { parseSiteConfig, type SiteConfig } from '../../../../protocol/index.ts';
import { createSimulation, deliveredMessages, type GroundTruthEvent, type Simulation } from '../../../../firmware-sim/index.ts';
import type { EventDraft } from '../../../../gateway/event-log/event-draft.ts';
import { manifestOfPledgedLots } from '../../../../gateway/manifests/static-manifest-source.ts';
import type { RfidOptions } from '../../../../gateway/rfid/rfid-options.ts';
import { rfidHarness } from './rfid-harness.ts';

export function siteS1(): SiteConfig {
  return parseSiteConfig(readFileSync(new URL('../../../../config/site-s1.yaml', import.meta.url), 'utf8'), 'config/site-s1.yaml');
}

export interface ScenarioRun {
  sim: Simulation;
  events: EventDraft[];
  truth: GroundTruthEvent[];
  stage: ReturnType<typeof rfidHarness>['stage'];
  /** Wall-clock milliseconds the run took. */
  wallMs: number;
}

const STEP_MS = 5_000;

export async function playScenario(o: {
  scenario: string;
  seed: number;
  site?: SiteConfig;
  durationMs?: number;
  options?: Partial<RfidOptions>;
  /** Events per reader message; the simulator batches each round unless told 1 (the vendors' MQTT default). */
  eventsPerMessage?: number;
}): Promise<ScenarioRun> {
  const started = Date.now();
  const site = o.site ?? siteS1();
  const sim = createSimulation({
    siteConfig: site,
    scenario: o.scenario,
    seed: o.seed,
    devices: {
      camera: { enabled: false },
      audio: { enabled: false },
      sensors: { enabled: false },
      ...(o.eventsPerMessage === undefined ? {} : { rfid: { maxEventsPerMessage: o.eventsPerMessage } }),
    },
    ...(o.durationMs === undefined ? {} : { durationMs: o.durationMs }),
  });
  const h = rfidHarness({ site, manifest: manifestOfPledgedLots(site.site, sim.lots, new Date(sim.startMs)), startMs: sim.startMs, options: o.options });
  while (!sim.finished) {
    for (const m of deliveredMessages(await sim.advanceBy(STEP_MS))) {
      if (m.channel === 'rfid') h.send(m.deviceId, m.payload, m.simTs);
      else if (m.channel === 'status') h.stage.handle({ channel: 'device.status', site: site.site, deviceId: m.deviceId, payload: m.payload, userProperties: {}, receivedAt: new Date(m.simTs), retained: m.retain });
    }
    h.tick(sim.now());
  }
  return { sim, events: h.events, truth: sim.groundTruth(), stage: h.stage, wallMs: Date.now() - started };
}

/** For each EPC, when and in which lot's event it was first reported by events of `type`. */
export function firstReports(events: readonly EventDraft[], type: EventDraft['type']): Map<string, { atMs: number; lotId: string | undefined; event: EventDraft }> {
  const out = new Map<string, { atMs: number; lotId: string | undefined; event: EventDraft }>();
  for (const event of events) {
    if (event.type !== type) continue;
    for (const tag of (evidenceField(event, 'tags') ?? []) as { epc: string }[]) {
      if (!out.has(tag.epc)) out.set(tag.epc, { atMs: Date.parse(event.ts ?? ''), lotId: event.lotId, event });
    }
  }
  return out;
}
