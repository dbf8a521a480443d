import { WINDOW_MS, type AudioWindow } from './feature-stream.ts';
import type { FindingLabel } from './audio-policy.ts';

/** Windows of a label, within the last CONFIRM_SPAN, before it is a finding: one stray second is not. */
const CONFIRM: Readonly<Record<FindingLabel, number>> = { engine: 2, cutting: 2, alarm: 2, voices: 2, impact: 1, unknown: 3 };
const CONFIRM_SPAN = 3;
/** A finding ends after this long without its label. */
export const CLEAR_AFTER_MS = 15_000;
/** Longest evidence clip: the windows up to the onset. */
const CLIP_WINDOWS = 2;

export interface Finding {
  label: FindingLabel;
  firstMs: number;
  lastMs: number;
  hits: number;
  confidenceSum: number;
  maxDbfs: number;
  maxDistance: number | undefined;
  /** The windows of the onset, kept until it is reported. */
  clip: AudioWindow[];
  reported: boolean;
}

export interface Verdict {
  label: FindingLabel;
  confidence: number;
  distance: number | undefined;
}

export interface FindingChange {
  kind: 'onset' | 'cleared';
  finding: Finding;
}

/**
 * One microphone's findings, one per label at a time: a label seen in enough recent
 * windows starts one (onset, reported once), and it ends CLEAR_AFTER_MS after its last
 * window (cleared). Pure; the caller says which labels are reportable at the moment.
 */
export class FindingTracker {
  private readonly open = new Map<FindingLabel, Finding>();

  observe(window: AudioWindow, verdict: Verdict | undefined): FindingChange[] {
    const changes = this.expire(window.startMs);
    if (verdict === undefined) return changes;
    let f = this.open.get(verdict.label);
    if (!f || (!f.reported && window.startMs - f.lastMs > CONFIRM_SPAN * WINDOW_MS)) {
      f = { label: verdict.label, firstMs: window.startMs, lastMs: window.startMs, hits: 0, confidenceSum: 0, maxDbfs: window.dbfs, maxDistance: undefined, clip: [], reported: false };
      this.open.set(verdict.label, f);
    }
    f.hits += 1;
    f.lastMs = window.startMs;
    f.confidenceSum += verdict.confidence;
    f.maxDbfs = Math.max(f.maxDbfs, window.dbfs);
    if (verdict.distance !== undefined) f.maxDistance = Math.max(f.maxDistance ?? 0, verdict.distance);
    if (!f.reported) {
      f.clip.push(window);
      if (f.clip.length > CLIP_WINDOWS) f.clip.shift();
      if (f.hits >= CONFIRM[verdict.label]) {
        f.reported = true;
        changes.push({ kind: 'onset', finding: f });
      }
    }
    return changes;
  }

  /** Ends the findings whose label has not been heard for CLEAR_AFTER_MS before `nowMs`. */
  expire(nowMs: number): FindingChange[] {
    const out: FindingChange[] = [];
    for (const [label, f] of this.open) {
      const stale = nowMs - (f.lastMs + WINDOW_MS);
      if (f.reported ? stale >= CLEAR_AFTER_MS : stale > CONFIRM_SPAN * WINDOW_MS) {
        this.open.delete(label);
        if (f.reported) out.push({ kind: 'cleared', finding: f });
      }
    }
    return out;
  }

  /** Ends every finding now (the stream broke off). */
  closeAll(): FindingChange[] {
    return this.expire(Number.POSITIVE_INFINITY);
  }

  active(): FindingLabel[] {
    return [...this.open.values()].filter((f) => f.reported).map((f) => f.label);
  }
}
