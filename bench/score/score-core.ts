import type { GroundTruthEvent } from '../../firmware-sim/index.ts';

/** A gateway event as the cloud stored it, with the warehouse's time it happened at. */
export interface ScoredEvent {
  type: string;
  severity: 'info' | 'warning' | 'critical';
  lotId?: string | undefined;
  siteMs: number;
  evidence: Record<string, unknown>;
}

export interface ScoredCase {
  kind: string;
  severity: string;
  lotId: string | null;
  title: string;
}

/** Cloud-side outcomes the score drives through the API itself. */
export interface CloudOutcome {
  doublePledge?: { status: number; atMs: number };
  marginCall?: { atMs: number; ltv: string | null } | null;
  crashFromMs?: number;
  /** The drawing to the limit before the price path, when refused (a frozen facility). */
  drawdownRefused?: string;
  ltvBefore?: string | null;
}

export type Stage = 'rfid' | 'devices' | 'sensors' | 'video' | 'audio' | 'cloud';

export interface Expectation {
  kind: GroundTruthEvent['kind'];
  /** Event types that detect it, each with the stage that writes it. */
  detectors: Array<{ type: string; stage: Stage }>;
}

/** What the gateway or the cloud should say for each kind of incident in the ground truth. */
export const EXPECTATIONS: readonly Expectation[] = [
  { kind: 'removal', detectors: [{ type: 'tags.missing', stage: 'rfid' }, { type: 'tags.moved', stage: 'rfid' }, { type: 'weight.change', stage: 'sensors' }, { type: 'camera.change', stage: 'video' }] },
  { kind: 'substitution', detectors: [{ type: 'camera.change', stage: 'video' }, { type: 'weight.change', stage: 'sensors' }] },
  { kind: 'tamper', detectors: [{ type: 'camera.tamper', stage: 'video' }] },
  { kind: 'device-offline', detectors: [{ type: 'device.offline', stage: 'devices' }] },
  { kind: 'antenna-disconnected', detectors: [{ type: 'device.offline', stage: 'rfid' }] },
  { kind: 'network-cut', detectors: [{ type: 'device.offline', stage: 'devices' }] },
  { kind: 'double-pledge', detectors: [{ type: 'http 409', stage: 'cloud' }] },
  { kind: 'price', detectors: [{ type: 'margin call', stage: 'cloud' }] },
];

const STATE_RANK: Readonly<Record<string, number>> = { verified: 0, degraded: 1, suspect: 2, breached: 3 };

export interface ScoreRow {
  scenario: string;
  incident: string;
  lotId: string | null;
  /** `detected`, `missed`, `needs video`, `needs audio`, `n/a` (nothing to detect). */
  result: string;
  detectedBy: string | null;
  rightLot: boolean | null;
  rightKind: boolean | null;
  latencyS: number | null;
  lotState: string | null;
  /** Cases of warning or above not explained by the scenario's incidents. */
  falseAlarms: number;
  simulatedHours: number;
  falseAlarmsPer24h: number;
}

const deviceOf = (e: ScoredEvent): string | undefined => (typeof e.evidence.device === 'string' ? (e.evidence.device.split('/').at(-1) ?? undefined) : undefined);

function concerns(e: ScoredEvent, truth: GroundTruthEvent): boolean {
  if (truth.lotId !== undefined) {
    if (e.lotId === truth.lotId) return true;
    if (Array.isArray(e.evidence.lots) && e.evidence.lots.includes(truth.lotId)) return true;
    if (truth.epcs && Array.isArray(e.evidence.tags)) return e.evidence.tags.some((t) => typeof t === 'object' && t !== null && truth.epcs?.includes(String((t as { epc?: unknown }).epc)));
    return false;
  }
  if (truth.deviceId !== undefined) {
    if (deviceOf(e) !== truth.deviceId) return false;
    return truth.kind !== 'antenna-disconnected' || e.evidence.antenna !== undefined;
  }
  return true;
}

// A weight.change counts against goods only when it is a drop; a substitution's lighter look-alikes are one.
const detects = (e: ScoredEvent): boolean => e.severity !== 'info' && (e.type !== 'weight.change' || (typeof e.evidence.delta === 'number' && e.evidence.delta < 0));

/** The incidents of a run: the first of each kind, lot and device (a theft's three trips are one incident). */
export function incidentsOf(truth: readonly GroundTruthEvent[]): GroundTruthEvent[] {
  const seen = new Set<string>();
  const out: GroundTruthEvent[] = [];
  for (const t of truth) {
    if (!EXPECTATIONS.some((x) => x.kind === t.kind)) continue;
    if (t.kind === 'price' && t.detail.phase !== 'crash') continue;
    const key = `${t.kind}|${t.lotId ?? ''}|${t.deviceId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

export interface ScoreInput {
  scenario: string;
  truth: readonly GroundTruthEvent[];
  events: readonly ScoredEvent[];
  cases: readonly ScoredCase[];
  cloud: CloudOutcome;
  stages: ReadonlySet<Stage>;
  simulatedMs: number;
  /** Zones that have a scale (a substitution there is detectable without video). */
  scaledZones: ReadonlySet<string>;
}

/** Scores one scenario run against its ground truth: one row per incident (one row for a quiet run). Pure. */
export function scoreScenario(input: ScoreInput): ScoreRow[] {
  const incidents = incidentsOf(input.truth);
  const hours = input.simulatedMs / 3_600_000;
  const incidentLots = new Set(incidents.flatMap((t) => (t.lotId === undefined ? [] : [t.lotId])));
  const incidentDevices = new Set(incidents.flatMap((t) => (t.deviceId === undefined ? [] : [t.deviceId])));
  const networkCut = incidents.some((t) => t.kind === 'network-cut');
  const falseAlarms = input.cases.filter((c) => {
    if (c.severity === 'info') return false;
    if (c.lotId !== null) return !incidentLots.has(c.lotId);
    if (c.kind === 'device.offline' && (networkCut || [...incidentDevices].some((d) => c.title.includes(d)))) return false;
    return true;
  }).length;
  const common = { scenario: input.scenario, falseAlarms, simulatedHours: Math.round(hours * 10) / 10, falseAlarmsPer24h: hours > 0 ? Math.round((falseAlarms / hours) * 24 * 100) / 100 : 0 };
  if (incidents.length === 0) {
    return [{ ...common, incident: 'none (quiet)', lotId: null, result: falseAlarms === 0 ? 'pass' : 'false alarms', detectedBy: null, rightLot: null, rightKind: null, latencyS: null, lotState: null }];
  }
  return incidents.map((truth) => {
    const t0 = Date.parse(truth.ts);
    const expectation = EXPECTATIONS.find((x) => x.kind === truth.kind) as Expectation;
    const lotState = truth.lotId === undefined ? null : worstState(input.events, truth.lotId, t0);
    const base = { ...common, incident: truth.kind, lotId: truth.lotId ?? truth.deviceId ?? null, lotState };
    if (truth.kind === 'double-pledge') {
      const refused = input.cloud.doublePledge?.status === 409;
      return { ...base, result: refused ? 'detected' : 'missed', detectedBy: `cloud HTTP ${input.cloud.doublePledge?.status ?? 'none'}`, rightLot: refused, rightKind: refused, latencyS: refused ? Math.max(0, Math.round(((input.cloud.doublePledge?.atMs ?? t0) - t0) / 1000)) : null };
    }
    if (truth.kind === 'price') {
      const call = input.cloud.marginCall;
      return { ...base, lotId: null, result: call ? 'detected' : 'missed', detectedBy: call ? `margin call (LTV ${call.ltv ?? '?'})` : input.cloud.drawdownRefused ? `no margin call: drawing refused (${input.cloud.drawdownRefused})` : null, rightLot: null, rightKind: call ? true : false, latencyS: call ? Math.max(0, (call.atMs - t0) / 1000) : null };
    }
    const types = new Set(expectation.detectors.map((d) => d.type));
    const candidates = input.events.filter((e) => types.has(e.type) && detects(e) && e.siteMs >= t0 - 60_000);
    const right = candidates.filter((e) => concerns(e, truth));
    const first = right.sort((a, b) => a.siteMs - b.siteMs)[0];
    if (first) {
      return { ...base, result: 'detected', detectedBy: first.type, rightLot: truth.lotId === undefined ? null : true, rightKind: true, latencyS: Math.max(0, Math.round((first.siteMs - t0) / 1000)) };
    }
    const zoneScaled = truth.zone !== undefined && input.scaledZones.has(truth.zone);
    const available = expectation.detectors.filter((d) => input.stages.has(d.stage) && (d.stage !== 'sensors' || zoneScaled));
    const missingStage = expectation.detectors.find((d) => !input.stages.has(d.stage))?.stage;
    const result = available.length === 0 && missingStage !== undefined ? `needs ${missingStage}` : 'missed';
    return { ...base, result, detectedBy: null, rightLot: candidates.length > 0 ? false : null, rightKind: null, latencyS: null };
  });
}

function worstState(events: readonly ScoredEvent[], lotId: string, fromMs: number): string {
  let worst = 'verified';
  for (const e of events) {
    if (e.type !== 'lot.state' || e.lotId !== lotId || e.siteMs < fromMs - 60_000) continue;
    const state = String(e.evidence.state);
    if ((STATE_RANK[state] ?? 0) > (STATE_RANK[worst] ?? 0)) worst = state;
  }
  return worst;
}
