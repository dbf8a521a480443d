import { evidenceField } from '../../support/evidence-examples.ts';
import { Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesiseClip } from '../../../firmware-sim/index.ts';
import { nightHours, parseSiteConfig } from '../../../protocol/index.ts';
import { createLogger } from '../../../infra/logger.ts';
import type { EventDraft } from '../../../gateway/event-log/event-draft.ts';
import { createAudioStage } from '../../../gateway/audio/audio-stage.ts';
import type { AudioClassifier } from '../../../gateway/audio/classifier/audio-classifier.ts';
import type { StageContext } from '../../../gateway/pipeline/stage.ts';
import { encodeS16le } from '../../../firmware-sim/audio/dsp.ts';
import { committedClassifier, siteS1 } from './support/classifier.ts';
import { audioMessage } from './support/sim-audio.ts';
import { testAttach } from './support/test-attach.ts';

let classifier: AudioClassifier;
beforeAll(async () => {
  classifier = await committedClassifier();
});

function harness(site = siteS1()) {
  const drafts: EventDraft[] = [];
  const rejected: string[] = [];
  const metrics = new Registry();
  const ctx: StageContext = {
    site,
    emit: (d) => drafts.push(d),
    now: () => new Date(),
    isNight: nightHours(site),
    log: createLogger('audio-test'),
    metrics,
    reject: (_m, reason) => rejected.push(reason),
  };
  const pending: (() => void)[] = [];
  return { ctx, drafts, rejected, metrics, pending, defer: (run: () => void) => pending.push(run) };
}

/** Sends samples as 0.5 s chunks with MQTT 5 properties from `startIso`. */
function send(stage: { handle: (m: ReturnType<typeof audioMessage>) => void }, samples: Float32Array, startIso: string, seq0 = 1): void {
  const t0 = Date.parse(startIso);
  for (let i = 0, k = 0; i + 8_000 <= samples.length; i += 8_000, k += 1) {
    const ts = new Date(t0 + k * 500);
    stage.handle(audioMessage('mic-1', encodeS16le(samples.subarray(i, i + 8_000)), { rate: '16000', ts: ts.toISOString(), seq: String(seq0 + k) }, ts));
  }
}

const engine = (seed: number) => synthesiseClip({ label: 'engine', seed, durationS: 8, snrDb: 18 }).samples;

describe('audio stage', () => {
  it('an engine at noon is work; the same engine at night is an audio.anomaly', async () => {
    const h = harness();
    const stage = await createAudioStage(h.ctx, { classifier, defer: h.defer, attach: testAttach().attach });
    send(stage, engine(3), '2026-03-02T12:00:00.000Z');
    stage.drain();
    expect(h.drafts).toEqual([]);
    send(stage, engine(4), '2026-03-02T23:00:00.000Z');
    stage.drain();
    expect(h.drafts).toMatchObject([{ type: 'audio.anomaly', severity: 'warning', ts: '2026-03-02T23:00:00.000Z', evidence: { label: 'engine', atNight: true } }]);
    expect(stage.health().microphones[0]?.counters).toMatchObject({ gaps: 1, restarts: 1 });
    await stage.stop?.();
    expect(h.drafts.at(-1)?.evidence).toMatchObject({ label: 'engine', cleared: true });
    expect(await h.metrics.getSingleMetricAsString('gateway_audio_findings_total')).toContain('label="engine"} 1');
  });

  it('working hours and normal labels come from the site YAML', async () => {
    const site = parseSiteConfig(`
site: s1
night: { from: "22:00", to: "05:00" }
audio: { workingHours: { from: "07:00", to: "16:00" }, normalInWorkingHours: [voices] }
zones: [{ id: bay-a, kind: storage, microphones: [mic-1] }]
`);
    const h = harness(site);
    const stage = await createAudioStage(h.ctx, { classifier, defer: h.defer });
    send(stage, engine(5), '2026-03-02T12:00:00.000Z');
    send(stage, engine(6), '2026-03-02T18:00:00.000Z', 100);
    stage.drain();
    const onsets = h.drafts.filter((d) => evidenceField(d, 'cleared') !== true);
    // Noon: an engine is not normal at this site. 18:00: after working hours, not yet night.
    expect(onsets.map((d) => [d.ts, evidenceField(d, 'label'), evidenceField(d, 'atNight')])).toEqual([
      ['2026-03-02T12:00:00.000Z', 'engine', false],
      ['2026-03-02T18:00:00.000Z', 'engine', false],
    ]);
    expect(evidenceField(onsets[0], 'attachments')).toBeUndefined();
  });

  it('counts and refuses bad chunks without stopping: wrong rate, unconfigured microphone, odd length, overload', async () => {
    const h = harness();
    const stage = await createAudioStage(h.ctx, { classifier, defer: h.defer, maxQueuedChunks: 2 });
    const at = new Date('2026-03-02T01:00:00.000Z');
    stage.handle(audioMessage('mic-1', Buffer.alloc(16_000), { rate: '48000' }, at));
    stage.handle(audioMessage('mic-9', Buffer.alloc(16_000), {}, at));
    stage.handle(audioMessage('mic-1', Buffer.alloc(0), {}, at));
    stage.handle(audioMessage('mic-1', Buffer.alloc(16_001), {}, at));
    stage.handle(audioMessage('mic-1', Buffer.alloc(16_000), {}, at));
    stage.handle(audioMessage('mic-1', Buffer.alloc(16_000), {}, at));
    expect(h.rejected).toEqual(['audio_wrong_rate', 'unconfigured_microphone', 'audio_empty', 'audio_overload']);
    expect(stage.health()).toMatchObject({ queued: 2, dropped: 1 });
    expect(h.pending.length).toBe(1);
    h.pending.shift()?.();
    expect(stage.health().queued).toBe(0);
    const errors = await h.metrics.getSingleMetricAsString('gateway_audio_chunk_errors_total');
    expect(errors).toContain('reason="odd_length"} 1');
    expect(errors).toContain('reason="wrong_rate"} 1');
  });

  it('reports a microphone that hears only digital silence as offline, and back when it hears again', async () => {
    const h = harness();
    const stage = await createAudioStage(h.ctx, { classifier, defer: h.defer, maxQueuedChunks: 200 });
    send(stage, new Float32Array(16_000 * 61), '2026-03-02T10:00:00.000Z');
    stage.drain();
    expect(h.drafts).toMatchObject([{ type: 'device.offline', severity: 'warning', evidence: { device: 's1/audio/mic-1', reason: 'audio-silent' } }]);
    expect(stage.health().ok).toBe(false);
    send(stage, synthesiseClip({ label: 'ambient', seed: 1, durationS: 2 }).samples, '2026-03-02T10:01:01.000Z', 123);
    stage.drain();
    expect(h.drafts.at(-1)).toMatchObject({ type: 'device.online', evidence: { reason: 'audio-restored' } });
  });

  it('reports a microphone that delivers only clipped noise', async () => {
    const h = harness();
    const stage = await createAudioStage(h.ctx, { classifier, defer: h.defer, maxQueuedChunks: 200 });
    const noise = Float32Array.from({ length: 16_000 * 61 }, (_, i) => (Math.sin(i * 12.9898) * 43_758.5453) % 1 > 0 ? 1 : -1);
    send(stage, noise, '2026-03-02T10:00:00.000Z');
    stage.drain();
    expect(h.drafts.filter((d) => d.type === 'device.offline')).toMatchObject([{ evidence: { reason: 'audio-clipping' } }]);
  });
});
