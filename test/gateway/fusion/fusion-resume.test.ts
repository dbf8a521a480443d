import { tagOf } from '../../support/evidence-examples.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../infra/logger.ts';
import { checkFusionSnapshot, type FusionSnapshot } from '../../../gateway/fusion/fusion-snapshot.ts';
import { openFusionStateFile, type FusionStateStore } from '../../../gateway/fusion/fusion-state-file.ts';
import { EPC_A1, EPC_A2, MINUTE, fusionHarness, lot } from './support/fusion-harness.ts';

const MIC = { device: 's1/audio/mic-1' };
const CAM_A = { device: 's1/camera/cam-a' };
const HOUR = 60 * MINUTE;

/** A store that keeps what fusion saves in memory and hands the last of it to the next start. */
function memoryStore(initial?: FusionSnapshot): FusionStateStore & { saved: string[]; last(): FusionSnapshot } {
  const saved: string[] = [];
  return {
    initial,
    saved,
    save: (text) => void saved.push(text),
    flush: async () => {},
    last() {
      const checked = checkFusionSnapshot(JSON.parse(saved.at(-1) ?? 'null'));
      if (!checked.ok) throw new Error(`fusion saved an invalid snapshot: ${checked.error}`);
      return checked.value;
    },
  };
}

/** Night theft: tags missing and engine sound, so LOT-A is breached and held until cleared. */
function breachedAtNight(state: FusionStateStore) {
  const h = fusionHarness({ start: '2026-03-02T00:10:00.000Z', state });
  h.observe('audio.anomaly', { evidence: { ...MIC, label: 'engine', confidence: 0.9 } });
  h.observe('camera.tamper', { evidence: { ...CAM_A, kind: 'covered' } });
  h.advance(MINUTE);
  h.observe('tags.missing', { lotId: 'LOT-A', zone: 'bay-a', evidence: { count: 2, tags: [tagOf(EPC_A1), tagOf(EPC_A2)] } });
  h.tick();
  return h;
}

describe('fusion across a gateway restart', () => {
  it('resumes a held breach and the zone findings, publishing them at once and announcing no change', () => {
    const before = memoryStore();
    const first = breachedAtNight(before);
    const breached = first.view('LOT-A');
    expect(breached?.state).toBe('breached');
    expect(first.view('LOT-A2')?.state).toBe('degraded');

    // Two hours later the engine and tamper windows are long over; the breach is held, the tamper is not.
    const after = fusionHarness({ start: '2026-03-02T02:11:00.000Z', state: memoryStore(before.last()) });
    expect(after.view('LOT-A')).toMatchObject({ state: 'breached', since: breached?.since, rule: breached?.rule, reason: breached?.reason, cites: breached?.cites });
    expect(after.publishedFor('LOT-A').map((v) => v.state)).toEqual(['breached']);
    expect(after.view('LOT-A')?.evidence.rfid).toMatchObject({ clear: false, signals: ['missing'] });
    expect(after.lotStates()).toEqual([]);
    // Held until cleared: hours later, far past any dwell, still breached and still silent.
    for (let i = 0; i < 4; i++) {
      after.advance(HOUR);
      after.tick();
    }
    expect(after.view('LOT-A')?.state).toBe('breached');
    expect(after.lotStates('LOT-A')).toEqual([]);
    // The covered camera's finding was resumed too, and expired as usual: LOT-A2 recovered.
    expect(after.lotStates('LOT-A2')).toMatchObject([{ evidence: { state: 'verified', previous: 'degraded' } }]);

    // The same start without the saved state knows nothing: what the snapshot is for.
    const forgetful = fusionHarness({ start: '2026-03-02T02:11:00.000Z' });
    expect(forgetful.view('LOT-A')?.state).toBe('verified');
  });

  it('lets a resumed finding expire as it would have without the restart', () => {
    const before = memoryStore();
    const first = fusionHarness({ start: '2026-03-02T12:00:00.000Z', state: before, dwellMs: 10 * MINUTE });
    first.observe('camera.tamper', { evidence: { ...CAM_A, kind: 'covered' } });
    first.tick();
    expect(first.view('LOT-A')?.state).toBe('degraded');

    const after = fusionHarness({ start: '2026-03-02T12:01:00.000Z', state: memoryStore(before.last()), dwellMs: 10 * MINUTE });
    expect(after.view('LOT-A')?.state).toBe('degraded');
    after.advance(3 * HOUR);
    after.tick();
    after.advance(11 * MINUTE);
    after.tick();
    expect(after.view('LOT-A')?.state).toBe('verified');
    expect(after.lotStates('LOT-A')).toMatchObject([{ evidence: { state: 'verified', previous: 'degraded' } }]);
  });

  it('drops a resumed lot that is no longer pledged, and ignores another site’s state', () => {
    const before = memoryStore();
    breachedAtNight(before);
    const released = fusionHarness({ start: '2026-03-02T02:11:00.000Z', state: memoryStore(before.last()), lots: [lot('LOT-B', 'bay-b')] });
    expect(released.cleared).toEqual(['LOT-A', 'LOT-A2']);
    expect(released.fusion.states().map((v) => [v.lotId, v.state])).toEqual([['LOT-B', 'verified']]);

    const elsewhere = fusionHarness({ start: '2026-03-02T02:11:00.000Z', state: memoryStore({ ...before.last(), site: 's9' }) });
    expect(elsewhere.view('LOT-A')?.state).toBe('verified');
  });

  it('saves once per tick, and only when something changed', () => {
    const store = memoryStore();
    const h = fusionHarness({ start: '2026-03-02T12:00:00.000Z', state: store });
    h.tick();
    const afterFirstTick = store.saved.length;
    expect(afterFirstTick).toBe(1);
    h.observe('camera.tamper', { evidence: { ...CAM_A, kind: 'covered' } });
    h.observe('camera.tamper', { evidence: { ...CAM_A, kind: 'blurred' } });
    expect(store.saved).toHaveLength(afterFirstTick);
    h.tick();
    h.tick();
    expect(store.saved).toHaveLength(afterFirstTick + 1);
    expect(store.last().evidence.map((e) => e.signal).sort()).toEqual(['blurred', 'covered']);
  });
});

describe('fusion state file', () => {
  let dir: string | undefined;
  const log = createLogger('fusion-state-test', { level: 'silent' });
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the latest snapshot on disk and gives it back at the next start', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fusion-state-'));
    const path = join(dir, 'state', 'fusion-state.json');
    const first = await openFusionStateFile(path, log);
    expect(first.initial).toBeUndefined();
    const h = breachedAtNight(first);
    h.fusion.stop();
    await first.flush();

    const second = await openFusionStateFile(path, log);
    expect(second.initial?.lots.find((l) => l.lotId === 'LOT-A')?.status.state).toBe('breached');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(second.initial);
  });

  it('writes only the newest of snapshots saved while a write is under way', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fusion-state-'));
    const path = join(dir, 'fusion-state.json');
    const file = await openFusionStateFile(path, log);
    const snapshot = (n: number): FusionSnapshot => ({ version: 1, site: `s${n}`, lots: [], evidence: [] });
    for (let n = 1; n <= 50; n++) file.save(JSON.stringify(snapshot(n)));
    await file.flush();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(snapshot(50));
  });

  it('ignores a damaged or foreign file instead of failing the start', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fusion-state-'));
    const path = join(dir, 'fusion-state.json');
    await writeFile(path, '{"version":1,"site":"s1","lots":[{"lotId":"LOT-A"');
    expect((await openFusionStateFile(path, log)).initial).toBeUndefined();
    await writeFile(path, JSON.stringify({ version: 2, site: 's1', lots: [], evidence: [] }));
    expect((await openFusionStateFile(path, log)).initial).toBeUndefined();
  });
});
