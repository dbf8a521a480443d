// The message stream both subscribers of the ingest benchmark receive: firmware-sim's
// bench site (50 readers, 5,000 tags, Impinj/Zebra/compact mixed, 1 s rounds), one event
// per message or each round batched, generated once, deterministically, so the broker
// process and the gateway agree on it byte for byte.
import { benchSiteConfig, createSimulation, deliveredMessages, type Simulation } from '../../firmware-sim/index.ts';
import type { SiteConfig } from '../../protocol/index.ts';
import type { SiteManifest } from '../../gateway/manifests/manifest.ts';
import { manifestOfPledgedLots } from '../../gateway/manifests/static-manifest-source.ts';

export interface StreamOptions {
  /** Simulated seconds of readers' output. */
  readonly seconds: number;
  readonly readers: number;
  readonly tags: number;
  readonly roundMs: number;
  /** 1: each event a message of its own (the vendors' MQTT default); more: each round batched. */
  readonly eventsPerMessage: number;
  readonly seed: number;
}

export interface StreamMessage {
  readonly topic: string;
  readonly payload: Buffer;
}

function simulation(o: StreamOptions): { site: SiteConfig; sim: Simulation } {
  const site = benchSiteConfig({ readers: o.readers, cameras: 0, microphones: 0 });
  const sim = createSimulation({
    siteConfig: site,
    scenario: 'quiet-day',
    seed: o.seed,
    population: { totalTags: o.tags },
    startMs: Date.UTC(2024, 2, 12, 11),
    devices: { camera: { enabled: false }, audio: { enabled: false }, sensors: { enabled: false }, rfid: { roundMs: o.roundMs, doorRoundMs: o.roundMs, maxEventsPerMessage: o.eventsPerMessage } },
  });
  return { site, sim };
}

/** The site and the manifest a gateway under test needs (every simulated lot pledged). */
export function streamWorld(o: StreamOptions): { site: SiteConfig; manifest: SiteManifest } {
  const { site, sim } = simulation(o);
  return {
    site,
    manifest: manifestOfPledgedLots(site.site, sim.lots, new Date(sim.startMs)),
  };
}

export async function generateStream(o: StreamOptions): Promise<StreamMessage[]> {
  const { sim } = simulation(o);
  const out: StreamMessage[] = [];
  while (sim.now() < sim.startMs + o.seconds * 1_000) {
    for (const m of deliveredMessages(await sim.advanceBy(1_000))) if (m.channel === 'rfid') out.push({ topic: m.topic, payload: m.payload });
  }
  return out;
}
