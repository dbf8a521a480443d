import { tagOf } from '../../support/evidence-examples.ts';
import { describe, expect, it } from 'vitest';
import { EPC_A1, EPC_A2, MINUTE, fusionHarness, testSite } from './support/fusion-harness.ts';

const MIC = { device: 's1/audio/mic-1' };
const CAM_A = { device: 's1/camera/cam-a' };
const missingTwo = { count: 2, tags: [tagOf(EPC_A1), tagOf(EPC_A2)] };
const complete = { expected: 2, present: 2, missing: 0, foreign: 0 };

describe('fusion: combined scenarios', () => {
  it('theft with noise at night: tags missing and engine sound make the lot breached, citing both events and not the noise', () => {
    const h = fusionHarness({ start: '2026-03-02T00:10:00.000Z' });
    const voices = h.observe('audio.anomaly', { severity: 'info', evidence: { ...MIC, label: 'voices' } });
    const engine = h.observe('audio.anomaly', { evidence: { ...MIC, label: 'engine', confidence: 0.91 } });
    expect(h.lotStates()).toEqual([]); // a sound alone says nothing about a lot

    h.advance(6 * MINUTE);
    const missing = h.observe('tags.missing', { lotId: 'LOT-A', zone: 'bay-a', evidence: missingTwo });

    expect(h.lotStates()).toHaveLength(1);
    const [change] = h.lotStates('LOT-A');
    expect(change).toMatchObject({
      type: 'lot.state',
      severity: 'critical',
      lotId: 'LOT-A',
      zone: 'bay-a',
      ts: '2026-03-02T00:16:00.000Z',
      evidence: { state: 'breached', previous: 'verified', rule: 'tags-gone-with-heavy-sound-at-night', kinds: ['rfid', 'audio'] },
    });
    const cites = change?.evidence.cites as string[];
    expect([...cites].sort()).toEqual([missing.id, engine.id].sort());
    expect(cites).not.toContain(voices.id);
    expect(change?.evidence.reason).toBe(
      'Tags missing or carried off, with engine or cutting sound, at night: 2 tags missing; engine sound on s1/audio/mic-1',
    );

    const view = h.view('LOT-A');
    expect(view).toMatchObject({ state: 'breached', since: '2026-03-02T00:16:00.000Z', rule: 'tags-gone-with-heavy-sound-at-night' });
    expect(view?.evidence.audio).toMatchObject({ clear: false, signals: ['engine', 'voices'] });
    expect(view?.evidence.rfid).toMatchObject({ clear: false, signals: ['missing'], events: [missing.id] });
    expect(view?.evidence.video.clear).toBe(true);
    expect(h.publishedFor('LOT-A').at(-1)?.state).toBe('breached');

    // The engine stops: the breach holds (its evidence is held until cleared), no new event.
    for (let i = 0; i < 6; i += 1) {
      h.advance(5 * MINUTE);
      h.tick();
    }
    expect(h.lotStates()).toHaveLength(1);
    expect(h.view('LOT-A')?.state).toBe('breached');

    // Another lot of the same bay losing tags now has no sound to go with it: suspect only.
    h.observe('tags.missing', { lotId: 'LOT-A2', zone: 'bay-a', evidence: { count: 1 } });
    expect(h.lotStates('LOT-A2')).toMatchObject([{ severity: 'warning', evidence: { state: 'suspect', rule: 'tags-missing' } }]);
    expect(h.lotStates('LOT-B')).toEqual([]);
  });

  it('theft through the dock: unauthorised tags.moved found by EPC, with cutting sound at night, is a breach', () => {
    const h = fusionHarness({ start: '2026-03-02T23:40:00.000Z' });
    const cutting = h.observe('audio.anomaly', { evidence: { ...MIC, label: 'cutting' } });
    // As the RFID stage writes it when the lot id is not topic-safe: no lotId, the lot's zone, the tags by EPC, the door passed.
    const moved = h.observe('tags.moved', {
      zone: 'bay-a',
      evidence: { tags: [{ urn: 'urn:epc:id:sgtin:0614141.812345.6789', epc: EPC_A1.toLowerCase() }], count: 1, door: 'dock-1', reader: 's1/rfid/rd-dock' },
    });
    expect(h.lotStates()).toMatchObject([{ lotId: 'LOT-A', evidence: { state: 'breached', rule: 'tags-gone-with-heavy-sound-at-night' } }]);
    expect(h.view('LOT-A')?.reason).toContain('1 tag carried through dock-1 without a release order; cutting sound on s1/audio/mic-1');
    expect([...(h.lotStates()[0]?.evidence.cites as string[])].sort()).toEqual([cutting.id, moved.id].sort());
  });

  it('substitution: a camera change while RFID reads every tag makes the lot suspect, citing the camera.change', () => {
    const h = fusionHarness({ start: '2026-03-02T14:00:00.000Z' });
    h.observe('lot.verified', { severity: 'info', lotId: 'LOT-A', zone: 'bay-a', evidence: complete });
    const change = h.observe('camera.change', { evidence: { ...CAM_A, roi: { x: 40, y: 120, width: 560, height: 320 }, changedFraction: 0.42 } });
    h.observe('lot.verified', { severity: 'info', lotId: 'LOT-A', zone: 'bay-a', evidence: complete });

    expect(h.lotStates('LOT-A')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        evidence: expect.objectContaining({ state: 'suspect', previous: 'verified', rule: 'camera-change', cites: [change.id], kinds: ['video'] }),
      }),
    ]);
    expect(h.view('LOT-A')?.evidence.rfid.clear).toBe(true);
    expect(h.view('LOT-A')?.reason).toContain('camera s1/camera/cam-a sees the goods changed');
    // cam-a watches bay-a only.
    expect(h.lotStates('LOT-A2')).toHaveLength(1);
    expect(h.lotStates('LOT-B')).toEqual([]);
  });

  it('blinded camera: covered makes the bay degraded; tags missing meanwhile is a breach; recovery steps down with the evidence', () => {
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    const tamper = h.observe('camera.tamper', { severity: 'critical', evidence: { ...CAM_A, kind: 'covered' } });
    expect(h.lotStates().map((d) => [d.lotId, d.severity, d.evidence.state, d.evidence.rule, d.evidence.cites])).toEqual([
      ['LOT-A', 'info', 'degraded', 'camera-blinded', [tamper.id]],
      ['LOT-A2', 'info', 'degraded', 'camera-blinded', [tamper.id]],
    ]);
    expect(h.view('LOT-A')?.reason).toBe('The camera watching the lot is covered, blurred, moved or frozen: camera s1/camera/cam-a covered');

    h.advance(MINUTE);
    const missing = h.observe('tags.missing', { lotId: 'LOT-A', zone: 'bay-a', evidence: { count: 1 } });
    expect(h.lotStates('LOT-A').at(-1)?.evidence).toMatchObject({ state: 'breached', previous: 'degraded', rule: 'tags-gone-while-camera-blinded' });
    expect([...(h.lotStates('LOT-A').at(-1)?.evidence.cites as string[])].sort()).toEqual([missing.id, tamper.id].sort());

    h.advance(20 * MINUTE);
    const restored = h.observe('camera.tamper', { severity: 'info', evidence: { ...CAM_A, kind: 'covered', cleared: true } });
    h.advance(2 * MINUTE);
    h.tick();
    expect(h.lotStates('LOT-A2').at(-1)?.evidence).toMatchObject({ state: 'verified', previous: 'degraded', cites: [restored.id] });
    // The camera is back but the tags are still missing: down to suspect, not to verified.
    expect(h.lotStates('LOT-A').at(-1)?.evidence).toMatchObject({ state: 'suspect', previous: 'breached', rule: 'tags-missing' });
    expect(h.lotStates('LOT-A').at(-1)?.evidence.cites).toEqual(expect.arrayContaining([missing.id, restored.id]));
    // The same gap reported again changes nothing: the view keeps citing what cleared the breach.
    const publications = h.publishedFor('LOT-A').length;
    h.observe('tags.missing', { lotId: 'LOT-A', zone: 'bay-a', evidence: { count: 1 } });
    expect(h.publishedFor('LOT-A')).toHaveLength(publications);
    expect(h.view('LOT-A')?.cites).toEqual(expect.arrayContaining([missing.id, restored.id]));

    h.observe('lot.verified', { severity: 'info', lotId: 'LOT-A', zone: 'bay-a', evidence: complete });
    h.advance(2 * MINUTE);
    h.tick();
    expect(h.lotStates('LOT-A').map((d) => d.evidence.state)).toEqual(['degraded', 'breached', 'suspect', 'verified']);
  });

  it('recovery: a complete count returns a suspect lot to verified after the dwell, citing the lot.verified', () => {
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    h.observe('tags.missing', { lotId: 'LOT-A', evidence: { count: 1 } });
    h.advance(MINUTE);
    const count = h.observe('lot.verified', { severity: 'info', lotId: 'LOT-A', evidence: complete });
    expect(h.lotStates('LOT-A')).toHaveLength(1);
    h.advance(MINUTE);
    h.tick();
    expect(h.lotStates('LOT-A')).toHaveLength(1);
    h.advance(MINUTE);
    h.tick();
    expect(h.lotStates('LOT-A').at(-1)).toMatchObject({
      severity: 'info',
      ts: '2026-03-02T10:03:00.000Z',
      evidence: { state: 'verified', previous: 'suspect', rule: 'all-clear', cites: [count.id], reason: 'All evidence clear: complete RFID count', kinds: [] },
    });
    expect(h.view('LOT-A')).toMatchObject({ state: 'verified', since: '2026-03-02T10:03:00.000Z' });
  });

  it('does not flap when a reader alternates between missing and complete within the dwell', () => {
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    for (let i = 0; i < 5; i += 1) {
      h.observe('tags.missing', { lotId: 'LOT-A', evidence: { count: 1 } });
      h.advance(30_000);
      h.tick();
      h.observe('lot.verified', { severity: 'info', lotId: 'LOT-A', evidence: complete });
      h.advance(30_000);
      h.tick();
    }
    expect(h.lotStates('LOT-A').map((d) => d.evidence.state)).toEqual(['suspect']);
    h.advance(2 * MINUTE);
    h.tick();
    expect(h.lotStates('LOT-A').map((d) => d.evidence.state)).toEqual(['suspect', 'verified']);
  });

  it('a device offline degrades the lots it covers and its return restores them', () => {
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    const offline = h.observe('device.offline', { zone: 'bay-b', evidence: { device: 's1/camera/cam-b', reason: 'status', zones: ['bay-b'] } });
    expect(h.lotStates()).toMatchObject([
      { lotId: 'LOT-B', severity: 'info', evidence: { state: 'degraded', rule: 'device-offline', cites: [offline.id], kinds: ['devices'], reason: 'A reader, camera, microphone or sensor covering the lot is offline: camera s1/camera/cam-b offline' } },
    ]);
    expect(h.view('LOT-B')?.evidence.devices).toMatchObject({ clear: false, signals: ['camera-offline'] });

    h.advance(10 * MINUTE);
    const online = h.observe('device.online', { severity: 'info', zone: 'bay-b', evidence: { device: 's1/camera/cam-b', reason: 'activity' } });
    h.advance(2 * MINUTE);
    h.tick();
    expect(h.lotStates('LOT-B').at(-1)?.evidence).toMatchObject({ state: 'verified', previous: 'degraded', cites: [online.id] });
    expect(h.view('LOT-B')?.evidence.devices.clear).toBe(true);
  });

  it('a dark reader antenna degrades its zone until that antenna, or the whole reader, is back', () => {
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    const reader = 's1/rfid/rd-a';
    h.observe('device.offline', { zone: 'bay-a', evidence: { device: reader, antenna: 1, reason: 'antennaDisconnected' } });
    h.observe('device.offline', { zone: 'bay-a', evidence: { device: reader, antenna: 2, reason: 'antennaDisconnected' } });
    expect(h.view('LOT-A')?.evidence.devices.notes).toEqual(['reader s1/rfid/rd-a antenna 1 offline', 'reader s1/rfid/rd-a antenna 2 offline']);
    h.observe('device.online', { severity: 'info', zone: 'bay-a', evidence: { device: reader, antenna: 1 } });
    h.advance(3 * MINUTE);
    h.tick();
    expect(h.view('LOT-A')?.state).toBe('degraded'); // antenna 2 is still dark
    const back = h.observe('device.online', { severity: 'info', zone: 'bay-a', evidence: { device: reader, reason: 'activity' } });
    h.advance(3 * MINUTE);
    h.tick();
    expect(h.lotStates('LOT-A').map((d) => d.evidence.state)).toEqual(['degraded', 'verified']);
    expect(h.lotStates('LOT-A').at(-1)?.evidence.cites).toContain(back.id);
    expect(h.lotStates('LOT-B')).toEqual([]);
  });

  it('repeated identical evidence gives one lot.state event and one publication', () => {
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    expect(h.publishedFor('LOT-A')).toHaveLength(1); // the initial verified view
    const first = h.observe('tags.missing', { lotId: 'LOT-A', evidence: { count: 2 } });
    for (let i = 0; i < 4; i += 1) {
      h.advance(5_000);
      h.observe('tags.missing', { lotId: 'LOT-A', evidence: { count: 2 } });
      h.tick();
    }
    expect(h.lotStates()).toHaveLength(1);
    expect(h.publishedFor('LOT-A')).toHaveLength(2);
    expect(h.view('LOT-A')?.cites).toEqual([first.id]);

    // Worse news of the same kind refreshes what the view cites, without a new state event.
    const more = h.observe('tags.missing', { lotId: 'LOT-A', evidence: { count: 5 } });
    expect(h.lotStates()).toHaveLength(1);
    expect(h.publishedFor('LOT-A')).toHaveLength(3);
    expect(h.view('LOT-A')).toMatchObject({ cites: [first.id, more.id], reason: 'Tags of the lot are missing from its zone: 5 tags missing' });
  });

  it('evidence expires on tick: an unrepeated camera change after an hour, a sound after 15 minutes', () => {
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    h.observe('camera.change', { evidence: CAM_A });
    h.at('2026-03-02T10:59:59.000Z');
    h.tick();
    expect(h.view('LOT-A')?.state).toBe('suspect');
    h.at('2026-03-02T11:00:00.000Z');
    h.tick();
    expect(h.view('LOT-A')?.state).toBe('suspect'); // expired, dwell running
    expect(h.view('LOT-A')?.evidence.video.clear).toBe(true);
    h.at('2026-03-02T11:02:00.000Z');
    h.tick();
    expect(h.lotStates('LOT-A').at(-1)?.evidence).toMatchObject({ state: 'verified', previous: 'suspect', cites: [], reason: 'No active evidence against the lot' });

    const night = fusionHarness({ start: '2026-03-02T00:00:00.000Z' });
    night.observe('audio.anomaly', { evidence: { ...MIC, label: 'engine' } });
    night.at('2026-03-02T00:15:00.000Z');
    night.tick();
    night.observe('tags.missing', { lotId: 'LOT-A', evidence: { count: 1 } });
    expect(night.lotStates('LOT-A').map((d) => d.evidence.rule)).toEqual(['tags-missing']);
  });

  it('night across midnight in a non-UTC time zone (Asia/Kolkata, UTC+05:30, night 20:00–06:00)', () => {
    const site = testSite('Asia/Kolkata');
    const stateAt = (iso: string) => {
      const h = fusionHarness({ start: iso, site });
      h.observe('audio.anomaly', { evidence: { ...MIC, label: 'engine' } });
      h.observe('tags.missing', { lotId: 'LOT-A', evidence: { count: 1 } });
      return h.view('LOT-A')?.state;
    };
    expect(stateAt('2026-03-02T14:29:00.000Z')).toBe('suspect'); // 19:59 local
    expect(stateAt('2026-03-02T14:30:00.000Z')).toBe('breached'); // 20:00 local
    expect(stateAt('2026-03-02T18:30:00.000Z')).toBe('breached'); // 00:00 local, next day
    expect(stateAt('2026-03-03T00:29:00.000Z')).toBe('breached'); // 05:59 local
    expect(stateAt('2026-03-03T00:30:00.000Z')).toBe('suspect'); // 06:00 local
  });
});
