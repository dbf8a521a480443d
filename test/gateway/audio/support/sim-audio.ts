// Plays a firmware-sim scenario's microphones into the audio core on simulated time
// (the stepped, broker-free simulator API), over chosen stretches of the scenario.
import { createSimulation, deliveredMessages, type Simulation } from '../../../../firmware-sim/index.ts';
import { nightHours, type SiteConfig } from '../../../../protocol/index.ts';
import type { EventDraft } from '../../../../gateway/event-log/event-draft.ts';
import { createAudioCore, type AudioCore, type WindowResult } from '../../../../gateway/audio/audio-core.ts';
import type { AudioClassifier } from '../../../../gateway/audio/classifier/audio-classifier.ts';
import { decodePcmChunk } from '../../../../gateway/audio/pcm-chunk.ts';
import type { DeviceMessage } from '../../../../gateway/pipeline/device-message.ts';
import { testAttach } from './test-attach.ts';

const MIC_ONLY = { rfid: { enabled: false }, camera: { enabled: false }, sensors: { enabled: false } };
const STEP_MS = 10_000;

export function audioMessage(deviceId: string, payload: Buffer, userProperties: Record<string, string>, receivedAt: Date): DeviceMessage {
  return { channel: 'audio.pcm', site: 's1', deviceId, payload, userProperties, receivedAt, retained: false };
}

export interface AudioRun {
  sim: Simulation;
  core: AudioCore;
  drafts: EventDraft[];
  windows: WindowResult[];
  attachments: ReturnType<typeof testAttach>;
}

export function audioRun(o: { scenario: string; seed: number; site: SiteConfig; classifier: AudioClassifier }): AudioRun {
  const sim = createSimulation({ siteConfig: o.site, scenario: o.scenario, seed: o.seed, devices: MIC_ONLY });
  const attachments = testAttach();
  const core = createAudioCore({ site: o.site, classifier: o.classifier, isNight: nightHours(o.site), attach: attachments.attach });
  return { sim, core, drafts: [], windows: [], attachments };
}

/** Plays [fromMs, toMs) of the scenario's audio through the core; skips there first if needed. */
export async function play(run: AudioRun, fromMs: number, toMs: number): Promise<void> {
  if (run.sim.now() < fromMs) {
    // A stretch not played is a gap in the stream, as after a network cut.
    for (const deviceId of new Set(run.core.microphones().map((m) => m.deviceId))) collect(run, run.core.idle(deviceId));
    run.sim.skipTo(fromMs);
  }
  while (run.sim.now() < toMs && !run.sim.finished) {
    for (const m of deliveredMessages(await run.sim.advanceBy(STEP_MS))) {
      if (m.channel !== 'audio') continue;
      const decoded = decodePcmChunk(audioMessage(m.deviceId, m.payload, m.userProperties ?? {}, new Date(m.simTs)));
      if (decoded.ok) collect(run, run.core.ingest(decoded.chunk));
    }
  }
}

function collect(run: AudioRun, out: { windows: WindowResult[]; drafts: EventDraft[] }): void {
  run.windows.push(...out.windows);
  run.drafts.push(...out.drafts);
}
