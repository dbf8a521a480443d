import type { EvidenceOf, IsNight, SiteConfig } from '../../protocol/index.ts';
import type { EventDraft } from '../event-log/event-draft.ts';
import { createAudioPolicy, type AudioPolicy } from './audio-policy.ts';
import { AUDIO_CLASSES, type AudioClass } from './classifier/audio-classes.ts';
import type { AudioClassifier } from './classifier/audio-classifier.ts';
import { FeatureStream, WINDOW_MS, type AudioWindow } from './feature-stream.ts';
import { FindingTracker, type FindingChange, type Verdict } from './finding-tracker.ts';
import { bandProfile, HourlyBaseline } from './hourly-baseline.ts';
import { siteHour } from '../../protocol/site/site-hour.ts';
import type { Attach } from '../pipeline/attach.ts';
import { MicrophoneHealth, SILENCE_DBFS, type MicrophoneFault } from './microphone-health.ts';
import type { PcmChunk } from './pcm-chunk.ts';
import { createStreamReassembler, type Segment, type StreamCounters, type StreamReassembler } from './stream-reassembly.ts';
import { encodeWav } from './wav.ts';

export type { Attach };

/** What one window was heard as: a class, `unknown` (far from the baseline, not recognised) or `silence`. */
export interface WindowResult {
  deviceId: string;
  startMs: number;
  label: AudioClass | 'unknown' | 'silence';
  confidence: number;
  dbfs: number;
  baselineDistance: number | undefined;
}

export interface AudioCoreDeps {
  site: SiteConfig;
  classifier: AudioClassifier;
  isNight: IsNight;
  attach?: Attach;
}

interface Microphone {
  reassembler: StreamReassembler;
  features: FeatureStream;
  baseline: HourlyBaseline;
  health: MicrophoneHealth;
  findings: FindingTracker;
  windows: number;
  lastWindow: AudioWindow | undefined;
}

export interface AudioOutput {
  windows: WindowResult[];
  drafts: EventDraft[];
}

const AMBIENT = AUDIO_CLASSES.indexOf('ambient');

/**
 * The audio stage's decisions, without I/O: per microphone, chunks → continuous stream →
 * one-second log-mel windows → classifier, hour-of-day baseline and health → findings →
 * event drafts (`audio.anomaly` with a WAV clip; `device.offline`/`online` for a
 * microphone that hears only silence or clipping). Synchronous; `analyse` and the stage
 * both run it.
 */
export function createAudioCore(deps: AudioCoreDeps) {
  const policy: AudioPolicy = createAudioPolicy(deps.site, deps.isNight);
  const hourOf = siteHour(deps.site.timezone);
  const zonesOf = new Map<string, string[]>();
  for (const zone of deps.site.zones) for (const m of zone.microphones) zonesOf.set(m, [...(zonesOf.get(m) ?? []), zone.id]);
  const mics = new Map<string, Microphone>();

  const microphone = (deviceId: string): Microphone => {
    let m = mics.get(deviceId);
    if (!m) {
      m = { reassembler: createStreamReassembler(), features: new FeatureStream(), baseline: new HourlyBaseline(), health: new MicrophoneHealth(), findings: new FindingTracker(), windows: 0, lastWindow: undefined };
      mics.set(deviceId, m);
    }
    return m;
  };

  const deviceRef = (deviceId: string) => `${deps.site.site}/audio/${deviceId}`;
  const zoneFields = (deviceId: string) => {
    const zones = zonesOf.get(deviceId) ?? [];
    return { zone: zones.length === 1 ? zones[0] : undefined, zones };
  };

  const findingDraft = (deviceId: string, change: FindingChange): EventDraft => {
    const f = change.finding;
    const { zone, zones } = zoneFields(deviceId);
    const cleared = change.kind === 'cleared';
    const endMs = f.lastMs + WINDOW_MS;
    const evidence: EvidenceOf<'audio.anomaly'> = {
      device: deviceRef(deviceId),
      zones,
      label: f.label,
      confidence: round(f.confidenceSum / f.hits, 3),
      dbfs: round(f.maxDbfs, 1),
      durationMs: Math.round(endMs - f.firstMs),
      atNight: deps.isNight(f.firstMs),
    };
    if (f.maxDistance !== undefined) evidence.baselineDistance = round(f.maxDistance, 2);
    if (cleared) evidence.cleared = true;
    else if (deps.attach && f.clip.length > 0) {
      const samples = new Float32Array(f.clip.reduce((n, w) => n + w.samples.length, 0));
      let at = 0;
      for (const w of f.clip) {
        samples.set(w.samples, at);
        at += w.samples.length;
      }
      const ref = deps.attach(encodeWav(samples), 'audio/wav');
      if (ref) evidence.attachments = [ref];
    }
    if (!cleared) f.clip = [];
    return {
      type: 'audio.anomaly',
      severity: cleared ? 'info' : policy.severity(f.label, f.firstMs),
      zone,
      ts: new Date(cleared ? endMs : f.firstMs).toISOString(),
      evidence,
    };
  };

  const healthDraft = (deviceId: string, state: MicrophoneFault | 'ok', atMs: number): EventDraft => {
    const { zone, zones } = zoneFields(deviceId);
    return {
      type: state === 'ok' ? 'device.online' : 'device.offline',
      // Like a blind antenna: the device is there but its evidence is not; fusion degrades the lots it covers.
      severity: state === 'ok' ? 'info' : 'warning',
      zone,
      ts: new Date(atMs).toISOString(),
      evidence: { device: deviceRef(deviceId), reason: state === 'ok' ? 'audio-restored' : state === 'silent' ? 'audio-silent' : 'audio-clipping', zones },
    };
  };

  const verdictOf = (result: WindowResult): Verdict | undefined => {
    if (result.label === 'silence' || result.label === 'ambient') return undefined;
    if (!policy.reportable(result.label, result.startMs)) return undefined;
    return { label: result.label, confidence: result.confidence, distance: result.baselineDistance };
  };

  function judge(deviceId: string, m: Microphone, windows: AudioWindow[], out: AudioOutput): void {
    const audible = windows.filter((w) => w.dbfs > SILENCE_DBFS);
    const classes = deps.classifier.classify(audible.map((w) => w.logMel));
    let k = 0;
    for (const w of windows) {
      m.windows += 1;
      m.lastWindow = w;
      const health = m.health.observe(w);
      if (health !== undefined) out.drafts.push(healthDraft(deviceId, health, w.startMs));
      let result: WindowResult;
      if (w.dbfs <= SILENCE_DBFS) {
        result = { deviceId, startMs: w.startMs, label: 'silence', confidence: 1, dbfs: w.dbfs, baselineDistance: undefined };
      } else {
        const c = classes[k] as (typeof classes)[number];
        k += 1;
        const hour = hourOf(w.startMs);
        const profile = bandProfile(w.logMel);
        const distance = m.baseline.distance(hour, profile);
        const far = distance !== undefined && distance >= policy.settings.baselineDistance;
        if (!far) m.baseline.learn(hour, profile);
        const ambient = c.probabilities[AMBIENT] as number;
        const confident = c.label !== 'ambient' && c.confidence >= policy.settings.minConfidence;
        // Unknown: far from what this microphone hears at this hour, or clearly not room
        // tone although no class fits (a sound the classifier was never taught).
        const unknown = far || ambient < 1 - policy.settings.minConfidence;
        result = confident
          ? { deviceId, startMs: w.startMs, label: c.label, confidence: c.confidence, dbfs: w.dbfs, baselineDistance: distance }
          : unknown
            ? { deviceId, startMs: w.startMs, label: 'unknown', confidence: 1 - ambient, dbfs: w.dbfs, baselineDistance: distance }
            : { deviceId, startMs: w.startMs, label: 'ambient', confidence: ambient, dbfs: w.dbfs, baselineDistance: distance };
      }
      out.windows.push(result);
      for (const change of m.findings.observe(w, verdictOf(result))) out.drafts.push(findingDraft(deviceId, change));
    }
  }

  const analyseSegments = (deviceId: string, m: Microphone, segments: Segment[], out: AudioOutput): void => {
    const windows: AudioWindow[] = [];
    for (const s of segments) windows.push(...m.features.push(s));
    if (windows.length > 0) judge(deviceId, m, windows, out);
  };

  return {
    policy,
    /** A chunk in; the windows it completed and the events they make. */
    ingest(chunk: PcmChunk): AudioOutput {
      const out: AudioOutput = { windows: [], drafts: [] };
      const m = microphone(chunk.deviceId);
      analyseSegments(chunk.deviceId, m, m.reassembler.push(chunk), out);
      return out;
    },
    /** The microphone stopped sending: what it held is processed and its findings end. */
    idle(deviceId: string): AudioOutput {
      const out: AudioOutput = { windows: [], drafts: [] };
      const m = mics.get(deviceId);
      if (!m) return out;
      analyseSegments(deviceId, m, m.reassembler.flush(), out);
      for (const change of m.findings.closeAll()) out.drafts.push(findingDraft(deviceId, change));
      return out;
    },
    microphones(): { deviceId: string; counters: StreamCounters; windows: number; fault: MicrophoneFault | undefined; active: string[]; lastDbfs: number | undefined; baselineHours: Record<number, number> }[] {
      return [...mics].map(([deviceId, m]) => ({
        deviceId,
        counters: { ...m.reassembler.counters },
        windows: m.windows,
        fault: m.health.fault,
        active: m.findings.active(),
        lastDbfs: m.lastWindow?.dbfs,
        baselineHours: m.baseline.counts(),
      }));
    },
  };
}

export type AudioCore = ReturnType<typeof createAudioCore>;

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
