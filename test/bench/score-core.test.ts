import { describe, expect, it } from 'vitest';
import type { GroundTruthEvent } from '../../firmware-sim/index.ts';
import { incidentsOf, scoreScenario, type ScoreInput, type ScoredEvent, type Stage } from '../../bench/score/score-core.ts';

const T0 = Date.parse('2024-03-12T00:40:00.000Z');
const removal = (trip: number, atMs: number): GroundTruthEvent => ({ ts: new Date(atMs).toISOString(), kind: 'removal', lotId: 'LOT-1', zone: 'bay-a', epcs: [`E${trip}`], detail: { trip } });
const ev = (type: string, siteMs: number, fields: Partial<ScoredEvent> = {}): ScoredEvent => ({ type, severity: 'warning', siteMs, evidence: {}, ...fields });
const base = (over: Partial<ScoreInput>): ScoreInput => ({
  scenario: 's',
  truth: [],
  events: [],
  cases: [],
  cloud: {},
  stages: new Set<Stage>(['rfid', 'devices', 'sensors', 'cloud']),
  simulatedMs: 2 * 3_600_000,
  scaledZones: new Set(['bay-a']),
  ...over,
});

describe('score: a scenario run against its ground truth', () => {
  it('a theft of three trips is one incident, detected by the first event about the right lot, with latency and the state reached', () => {
    const truth = [removal(1, T0), removal(2, T0 + 420_000), { ts: new Date(T0).toISOString(), kind: 'activity', zone: 'bay-a', detail: {} } as GroundTruthEvent];
    expect(incidentsOf(truth)).toHaveLength(1);
    const events = [
      ev('tags.missing', T0 + 400_000, { lotId: 'LOT-2' }),
      ev('weight.change', T0 + 200_000, { severity: 'critical', evidence: { delta: -1465, lots: ['LOT-1', 'LOT-2'] } }),
      ev('tags.missing', T0 + 330_000, { lotId: 'LOT-1' }),
      ev('lot.state', T0 + 200_000, { lotId: 'LOT-1', evidence: { state: 'suspect' } }),
      ev('lot.state', T0 + 330_000, { lotId: 'LOT-1', evidence: { state: 'breached' } }),
    ];
    const cases = [
      { kind: 'lot.state', severity: 'critical', lotId: 'LOT-1', title: '' },
      { kind: 'lot.state', severity: 'warning', lotId: 'LOT-2', title: '' },
    ];
    const [row] = scoreScenario(base({ scenario: 'night-theft', truth, events, cases }));
    expect(row).toMatchObject({ incident: 'removal', lotId: 'LOT-1', result: 'detected', detectedBy: 'weight.change', rightLot: true, latencyS: 200, lotState: 'breached', falseAlarms: 1, falseAlarmsPer24h: 12 });
  });

  it('says "needs video" when only a missing stage could see it, "missed" when a present one did not', () => {
    const tamper: GroundTruthEvent = { ts: new Date(T0).toISOString(), kind: 'tamper', deviceId: 'cam-a', zone: 'bay-a', detail: {} };
    expect(scoreScenario(base({ truth: [tamper] }))[0]?.result).toBe('needs video');
    expect(scoreScenario(base({ truth: [tamper], stages: new Set<Stage>(['rfid', 'video']) }))[0]?.result).toBe('missed');
    const withVideo = scoreScenario(base({ truth: [tamper], stages: new Set<Stage>(['video']), events: [ev('camera.tamper', T0 + 5_000, { evidence: { device: 's1/camera/cam-a', kind: 'covered' } })] }));
    expect(withVideo[0]).toMatchObject({ result: 'detected', latencyS: 5 });
    // A substitution in a bay without a scale needs the camera; a gain on the scale is not a detection.
    const swap: GroundTruthEvent = { ts: new Date(T0).toISOString(), kind: 'substitution', lotId: 'LOT-9', zone: 'bay-b', detail: {} };
    expect(scoreScenario(base({ truth: [swap], events: [ev('weight.change', T0, { evidence: { delta: 40, lots: ['LOT-9'] } })] }))[0]?.result).toBe('needs video');
  });

  it('a quiet day passes only without cases of warning or above; cloud incidents are scored from the API outcome', () => {
    expect(scoreScenario(base({ simulatedMs: 24 * 3_600_000 }))[0]).toMatchObject({ incident: 'none (quiet)', result: 'pass', falseAlarmsPer24h: 0 });
    expect(scoreScenario(base({ cases: [{ kind: 'device.offline', severity: 'warning', lotId: null, title: 'Device s1/rfid/rd-dock offline' }] }))[0]?.result).toBe('false alarms');
    const pledge: GroundTruthEvent = { ts: new Date(T0).toISOString(), kind: 'double-pledge', lotId: 'LOT-1', detail: {} };
    expect(scoreScenario(base({ truth: [pledge], cloud: { doublePledge: { status: 409, atMs: T0 } } }))[0]).toMatchObject({ result: 'detected', detectedBy: 'cloud HTTP 409' });
    expect(scoreScenario(base({ truth: [pledge], cloud: { doublePledge: { status: 201, atMs: T0 } } }))[0]?.result).toBe('missed');
    const crash: GroundTruthEvent = { ts: new Date(T0).toISOString(), kind: 'price', detail: { phase: 'crash' } };
    expect(scoreScenario(base({ truth: [crash], cloud: { marginCall: { atMs: T0 + 3_600_000, ltv: '0.87' } } }))[0]).toMatchObject({ result: 'detected', latencyS: 3600 });
  });
});

describe('score: the warehouse’s time of a gateway event', () => {
  it('interpolates between samples of where the simulator really was, not where its ideal clock says', async () => {
    const { createSimTimeline } = await import('../../bench/score/collect.ts');
    let sim = 1_000_000;
    const realNow = Date.now;
    let wall = 10_000;
    Date.now = () => wall;
    try {
      const timeline = createSimTimeline(() => sim);
      timeline.sample();
      wall = 11_000;
      sim += 20_000; // 20x, though the ideal clock may say 60x
      timeline.sample();
      expect(timeline.at(10_500)).toBe(1_010_000);
      expect(timeline.at(9_000)).toBe(1_000_000);
      expect(timeline.at(12_000)).toBe(1_020_000);
    } finally {
      Date.now = realNow;
    }
  });
});
