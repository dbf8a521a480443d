import { evidenceField } from '../../support/evidence-examples.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AudioClassifier } from '../../../gateway/audio/classifier/audio-classifier.ts';
import { fusionHarness } from '../fusion/support/fusion-harness.ts';
import { committedClassifier, siteS1 } from './support/classifier.ts';
import { audioRun, play, type AudioRun } from './support/sim-audio.ts';

const MINUTE = 60_000;
let classifier: AudioClassifier;
let run: AudioRun;
let cutting: { startMs: number; durationMs: number };
let engine: { startMs: number; durationMs: number; zone: string };

beforeAll(async () => {
  classifier = await committedClassifier();
  run = audioRun({ scenario: 'night-theft', seed: 1, site: siteS1(), classifier });
  const sounds = run.sim.warehouse.soundsDuring(run.sim.startMs, run.sim.endMs).filter((s) => s.startMs > run.sim.startMs + 30 * MINUTE);
  cutting = sounds.find((s) => s.label === 'cutting') as typeof cutting;
  engine = sounds.find((s) => s.label === 'engine') as typeof engine;
  // From before the padlock is cut to well into the first forklift trip: the simulator's
  // microphone stream, chunk by chunk, through the same core the stage runs.
  await play(run, cutting.startMs - MINUTE, engine.startMs + 40_000);
}, 60_000);

const onsets = (label: string) => run.drafts.filter((d) => d.type === 'audio.anomaly' && evidenceField(d, 'label') === label && evidenceField(d, 'cleared') !== true);

describe('night-theft audio', () => {
  it('reports the grinder on the padlock and the forklift engine, at night, with a WAV clip', () => {
    const [cut] = onsets('cutting');
    const [eng] = onsets('engine');
    expect(cut).toBeDefined();
    expect(eng).toBeDefined();
    // Reported within a few seconds of the sound starting.
    expect(Date.parse(cut?.ts ?? '') - cutting.startMs).toBeLessThanOrEqual(3_000);
    expect(Date.parse(eng?.ts ?? '') - engine.startMs).toBeLessThanOrEqual(3_000);
    for (const d of [cut, eng]) {
      expect(d).toMatchObject({ severity: 'warning', evidence: { device: 's1/audio/mic-1', atNight: true, zones: ['bay-a', 'bay-b'] } });
      expect(evidenceField(d, 'confidence')).toBeGreaterThan(0.6);
      expect(evidenceField(d, 'dbfs')).toBeGreaterThan(-40);
      const [clip] = evidenceField(d, 'attachments') as { sha256: string; bytes: number; mediaType: string }[];
      expect(clip?.mediaType).toBe('audio/wav');
      expect(clip?.bytes).toBeLessThanOrEqual(44 + 2 * 16_000 * 2);
      expect(Buffer.from(run.attachments.stored.get(clip?.sha256 ?? '') ?? []).toString('ascii', 0, 4)).toBe('RIFF');
    }
    // The cutting ended (45 s) and says so, with how long it lasted.
    const cleared = run.drafts.find((d) => evidenceField(d, 'label') === 'cutting' && evidenceField(d, 'cleared') === true);
    expect(Math.abs((evidenceField(cleared, 'durationMs') as number) - cutting.durationMs)).toBeLessThanOrEqual(3_000);
    // Nothing but what happened: no alarm, voices or unknown sound in a quiet hall at night.
    expect(run.drafts.filter((d) => d.type === 'audio.anomaly' && !['cutting', 'engine', 'impact'].includes(String(evidenceField(d, 'label'))))).toEqual([]);
    expect(run.core.microphones()[0]?.counters).toMatchObject({ gaps: 0, duplicates: 0, late: 0 });
  });

  it('is cited by the lot going breached when its tags go missing', () => {
    const h = fusionHarness({ start: new Date(cutting.startMs - MINUTE).toISOString() });
    const ids = new Map<string, string>();
    for (const d of run.drafts) {
      h.at(d.ts ?? '');
      const e = h.observe(d.type, { severity: d.severity, ...(d.zone ? { zone: d.zone } : {}), evidence: d.evidence, ...(d.ts ? { ts: d.ts } : {}) });
      if (evidenceField(d, 'cleared') !== true) ids.set(String(evidenceField(d, 'label')), e.id);
    }
    h.advance(3 * MINUTE);
    const missing = h.observe('tags.missing', { lotId: 'LOT-B', zone: engine.zone, evidence: { count: 12 } });
    const [change] = h.lotStates('LOT-B');
    expect(change).toMatchObject({ severity: 'critical', evidence: { state: 'breached', rule: 'tags-gone-with-heavy-sound-at-night' } });
    const cites = change?.evidence.cites as string[];
    expect(cites).toContain(missing.id);
    expect(cites).toContain(ids.get('engine'));
    expect(cites).toContain(ids.get('cutting'));
  });
});
