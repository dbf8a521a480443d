import { tagOf } from '../../support/evidence-examples.ts';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../infra/logger.ts';
import { nightHours } from '../../../protocol/index.ts';
import { createFusion, DEFAULT_FUSION_RULES, FusionRuleError, type FusionRule } from '../../../gateway/fusion/index.ts';
import type { StageContext } from '../../../gateway/pipeline/stage.ts';
import { EPC_A1, MINUTE, fakeManifests, fusionHarness, lot, testSite } from './support/fusion-harness.ts';

describe('fusion: lots, manifests and robustness', () => {
  it('publishes a verified view for every pledged lot at start, without lot.state events', () => {
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    expect(h.published.map((p) => [p.lotId, p.view.state])).toEqual([
      ['LOT-A', 'verified'],
      ['LOT-A2', 'verified'],
      ['LOT-B', 'verified'],
    ]);
    expect(h.view('LOT-B')).toEqual({
      lotId: 'LOT-B',
      zone: 'bay-b',
      state: 'verified',
      since: '2026-03-02T10:00:00.000Z',
      rule: 'all-clear',
      reason: 'No active evidence against the lot',
      cites: [],
      kinds: [],
      updatedAt: '2026-03-02T10:00:00.000Z',
      evidence: Object.fromEntries(['rfid', 'video', 'audio', 'devices', 'sensors'].map((k) => [k, { clear: true, signals: [], notes: [], events: [], since: null }])),
    });
    expect(h.drafts).toEqual([]);
  });

  it('follows manifest changes: a new lot inherits its zone findings, a released lot is dropped and its retained state deleted', () => {
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    const tamper = h.observe('camera.tamper', { evidence: { device: 's1/camera/cam-a', kind: 'frozen' } });
    h.advance(MINUTE);
    h.manifests.set([lot('LOT-A', 'bay-a'), lot('LOT-C', 'bay-a')]);
    expect(h.fusion.states().map((v) => [v.lotId, v.state])).toEqual([
      ['LOT-A', 'degraded'],
      ['LOT-C', 'degraded'],
    ]);
    expect(h.lotStates('LOT-C')).toMatchObject([{ evidence: { state: 'degraded', previous: 'verified', cites: [tamper.id] } }]);
    expect(h.publishedFor('LOT-C').map((v) => v.state)).toEqual(['degraded']);
    expect(h.cleared).toEqual(['LOT-A2', 'LOT-B']);
    // Events about a lot no longer pledged are ignored.
    h.observe('tags.missing', { lotId: 'LOT-B', evidence: { count: 1 } });
    expect(h.lotStates('LOT-B')).toEqual([]);
  });

  it('ignores its own lot.state events, authorised moves, unknown devices and unpledged lots', () => {
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    h.observe('lot.state', { lotId: 'LOT-A', evidence: { state: 'breached', previous: 'verified' } });
    h.observe('tags.moved', { severity: 'info', lotId: 'LOT-A', zone: 'dock-1', evidence: { tags: [tagOf(EPC_A1)], count: 1, releaseOrder: 'RO-1' } });
    h.observe('device.offline', { evidence: { device: 's1/rfid/rd-unknown', zones: [] } });
    h.observe('tags.missing', { lotId: 'LOT-NOT-PLEDGED', evidence: { count: 3 } });
    h.observe('camera.tamper', { evidence: { device: 's1/camera/cam-z', kind: 'covered' } });
    expect(h.drafts).toEqual([]);

    const moved = h.observe('tags.moved', { severity: 'warning', zone: 'dock-1', evidence: { tags: [tagOf(EPC_A1)], count: 1 } });
    expect(h.lotStates()).toMatchObject([{ lotId: 'LOT-A', evidence: { state: 'suspect', rule: 'tags-moved-unauthorised', cites: [moved.id] } }]);
  });

  it('reads odd evidence leniently, without failing and without throwing into the pipeline', async () => {
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    const odd = [
      { device: 42, label: ['engine'], zones: 'bay-a' },
      { device: 's1/camera', kind: null, roi: 'nowhere', missing: -1, tags: [null, 7, { epc: 5 }] },
      { device: '', cleared: 'yes', value: 'hot' },
    ];
    for (const evidence of odd) {
      for (const type of ['tags.missing', 'tags.moved', 'lot.verified', 'camera.tamper', 'camera.change', 'audio.anomaly', 'device.offline', 'device.online', 'sensor.out_of_range'] as const) {
        expect(() => h.observe(type, { evidence: evidence as never })).not.toThrow();
      }
    }
    expect(() => h.fusion.observe({ ...h.event('tags.missing', { lotId: 'LOT-A' }), ts: 'not a time' })).not.toThrow();
    expect(h.view('LOT-A')?.state).toBe('suspect');
    // Nothing above was an internal failure caught by the guard.
    expect((await h.ctx.metrics.getSingleMetric('gateway_fusion_errors_total')?.get())?.values).toEqual([]);
  });

  it('keeps fusing when publishing a lot state fails, and counts it', async () => {
    const site = testSite();
    const ctx: StageContext = {
      site,
      emit: () => {},
      now: () => new Date('2026-03-02T10:00:00.000Z'),
      isNight: nightHours(site),
      log: createLogger('fusion-test'),
      metrics: new Registry(),
      reject: () => {},
    };
    const fusion = createFusion({
      ctx,
      manifests: fakeManifests([lot('LOT-A', 'bay-a')]),
      publishLot: () => {
        throw new Error('lot id not topic-safe');
      },
    });
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
    fusion.observe(h.event('tags.missing', { lotId: 'LOT-A', evidence: { count: 1 } }));
    expect(fusion.states()[0]?.state).toBe('suspect');
    const errors = await ctx.metrics.getSingleMetric('gateway_fusion_errors_total')?.get();
    expect(errors?.values).toEqual([{ labels: { step: 'publish' }, value: 2 }]);
    const lots = await ctx.metrics.getSingleMetric('gateway_fusion_lots')?.get();
    expect(lots?.values.find((v) => v.labels.state === 'suspect')?.value).toBe(1);
  });

  it('takes rules as data: a site may add its own', () => {
    const cuttingAtNight: FusionRule = {
      id: 'cutting-at-night',
      description: 'Cutting sound in the zone at night',
      when: { audio: 'cutting', atNight: true },
      then: 'suspect',
    };
    const h = fusionHarness({ start: '2026-03-02T02:00:00.000Z', rules: [...DEFAULT_FUSION_RULES, cuttingAtNight] });
    const cutting = h.observe('audio.anomaly', { evidence: { device: 's1/audio/mic-1', label: 'cutting' } });
    expect(h.lotStates().map((d) => [d.lotId, d.evidence.state, d.evidence.rule, d.evidence.cites])).toEqual([
      ['LOT-A', 'suspect', 'cutting-at-night', [cutting.id]],
      ['LOT-A2', 'suspect', 'cutting-at-night', [cutting.id]],
      ['LOT-B', 'suspect', 'cutting-at-night', [cutting.id]],
    ]);
  });

  it('evaluates the worst state first, whatever order the rules are given in', () => {
    const reversed = [...DEFAULT_FUSION_RULES].reverse();
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z', rules: reversed });
    h.observe('camera.change', { evidence: { device: 's1/camera/cam-a' } });
    h.observe('tags.missing', { lotId: 'LOT-A', evidence: { count: 1 } });
    expect(h.view('LOT-A')).toMatchObject({ state: 'breached', rule: 'tags-gone-and-camera-change', kinds: ['rfid', 'video'] });
  });

  it('refuses rules that cannot work, at start', () => {
    const make = (rules: FusionRule[]) => () => fusionHarness({ start: '2026-03-02T10:00:00.000Z', rules });
    const base: FusionRule = { id: 'r', description: 'd', when: { rfid: 'missing' }, then: 'suspect' };
    expect(make([base, base])).toThrow(FusionRuleError);
    expect(make([{ ...base, when: {} }])).toThrow(/names no evidence kind/);
    expect(make([{ ...base, when: { rfid: [] } }])).toThrow(/lists no signal/);
    expect(make([{ ...base, then: 'verified' as unknown as 'suspect' }])).toThrow(/then must be/);
    expect(make([{ ...base, when: { rfid: 'missing', smell: 'smoke' } as unknown as FusionRule['when'] }])).toThrow(/unknown evidence kind smell/);
  });
});
