import { tagOf } from '../../support/evidence-examples.ts';
import { describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../../protocol/index.ts';
import type { EventDraft } from '../../../gateway/event-log/event-draft.ts';
import type { DeviceMessage } from '../../../gateway/pipeline/device-message.ts';
import { createSensorStage } from '../../../gateway/sensors/sensor-stage.ts';
import { EPC_A1, MINUTE, fusionHarness, lot } from '../fusion/support/fusion-harness.ts';

// The demo site with coffee's humidity narrower than the probe's own range.
const site = parseSiteConfig(`
site: s1
night: { from: "20:00", to: "06:00" }
zones:
  - { id: bay-a, kind: storage, readers: [{ reader: rd-a, antennas: [1] }], sensors: [scale-a, climate-a] }
  - { id: bay-b, kind: storage, readers: [{ reader: rd-b, antennas: [1] }], sensors: [climate-b] }
sensorRanges:
  - { sensor: climate-a, kind: humidity, unit: "%", min: 20, max: 70 }
sensorSettings:
  commodityRanges:
    - { commodity: coffee, kind: humidity, unit: "%", max: 65 }
`);
const LOTS = [
  { ...lot('LOT-A', 'bay-a', [EPC_A1]), quantity: { value: '12', unit: 't' } },
  { ...lot('LOT-C', 'bay-a'), commodity: 'copper', quantity: { value: '6000', unit: 'kg' } },
  lot('LOT-B', 'bay-b'),
];

function setup(start: string) {
  const h = fusionHarness({ start, site, lots: LOTS });
  const drafts: EventDraft[] = [];
  // Sensor drafts go through fusion as the event log would hand them on.
  const stage = createSensorStage(
    {
      ...h.ctx,
      emit: (draft) => {
        drafts.push(draft);
        h.fusion.observe(h.event(draft.type, { severity: draft.severity, lotId: draft.lotId, zone: draft.zone, evidence: draft.evidence }));
      },
    },
    { manifests: h.manifests },
  );
  const send = (deviceId: string, payload: unknown) => {
    const message: DeviceMessage = {
      channel: 'sensor.reading',
      site: 's1',
      deviceId,
      payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
      userProperties: {},
      receivedAt: h.ctx.now(),
      retained: false,
    };
    stage.handle(message);
  };
  return { h, stage, drafts, send };
}

describe('sensor stage: readings to evidence, through fusion', () => {
  it('a pallet leaving at night is a critical weight.change; alone it makes the bay’s lots suspect, with RFID missing a breach', () => {
    const { h, drafts, send } = setup('2026-03-02T01:00:00.000Z');
    const bay = 18_000 + 325;
    for (let i = 0; i < 20; i += 1) {
      send('scale-a', { kind: 'weight', value: i < 8 ? bay : bay - 1_465, unit: 'kg' });
      h.advance(30_000);
    }
    const changes = drafts.filter((d) => d.type === 'weight.change');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      severity: 'critical',
      zone: 'bay-a',
      evidence: { device: 's1/sensor/scale-a', zone: 'bay-a', unit: 'kg', before: bay, after: bay - 1_465, delta: -1_465, step: true, atNight: true, lots: ['LOT-A', 'LOT-C'], tolerance: 20 },
    });
    expect(h.lotStates('LOT-A')).toMatchObject([{ evidence: { state: 'suspect', rule: 'weight-off' } }]);
    expect(h.lotStates('LOT-C')).toMatchObject([{ evidence: { state: 'suspect', rule: 'weight-off' } }]);
    expect(h.lotStates('LOT-B')).toEqual([]);

    h.observe('tags.missing', { lotId: 'LOT-A', zone: 'bay-a', evidence: { count: 1, tags: [tagOf(EPC_A1)] } });
    expect(h.lotStates('LOT-A').at(-1)).toMatchObject({ severity: 'critical', evidence: { state: 'breached', rule: 'tags-gone-and-weight-off', kinds: ['rfid', 'sensors'] } });
  });

  it('humidity judged per commodity: coffee’s lot out of range at 67 %, copper’s not; onset, clearing and a lower condition factor', () => {
    const { h, drafts, send, stage } = setup('2026-03-02T10:00:00.000Z');
    for (let m = 0; m < 5 * 60; m += 1) {
      send('climate-a', { kind: 'humidity', value: m >= 30 && m < 150 ? 67.5 : 50, unit: '%' });
      h.advance(MINUTE);
    }
    const out = drafts.filter((d) => d.type === 'sensor.out_of_range');
    expect(out.map((d) => [d.evidence.cleared ?? false, d.evidence.lots])).toEqual([
      [false, ['LOT-A']],
      [false, ['LOT-A']],
      [false, ['LOT-A']],
      [false, ['LOT-A']],
      [true, ['LOT-A']],
    ]);
    expect(out[0]).toMatchObject({ severity: 'warning', lotId: 'LOT-A', evidence: { device: 's1/sensor/climate-a', kind: 'humidity', unit: '%', max: 65, extent: 2.5, durationMs: 10 * MINUTE, since: '2026-03-02T10:30:00.000Z' } });
    expect(out.at(-1)).toMatchObject({ severity: 'info', evidence: { cleared: true, durationMs: 120 * MINUTE } });
    // Climate out of range is a hole in the watch, not missing goods: degraded, then verified again.
    expect(h.lotStates('LOT-A')[0]).toMatchObject({ evidence: { state: 'degraded', rule: 'climate-off' } });
    expect(h.lotStates('LOT-C')).toEqual([]);
    // 2.5 %·h × 2 h = 5 %·h → 0.995: not yet a reportable step; the local view has it.
    expect(drafts.filter((d) => d.type === 'lot.condition')).toEqual([]);
    expect(stage.snapshot().conditions).toEqual([{ lotId: 'LOT-A', factor: 0.995, reasons: ['humidity beyond its range: 5.00 %·h'] }]);
  });

  it('a long wet spell reports lot.condition with the factor and why', () => {
    const { h, drafts, send } = setup('2026-03-02T10:00:00.000Z');
    for (let m = 0; m < 6 * 60; m += 5) {
      send('climate-a', { kind: 'humidity', value: 75, unit: '%' });
      h.advance(5 * MINUTE);
    }
    const conditions = drafts.filter((d) => d.type === 'lot.condition');
    expect(conditions.length).toBeGreaterThan(0);
    expect(conditions[0]).toMatchObject({ severity: 'info', lotId: 'LOT-A', zone: 'bay-a', evidence: { lots: ['LOT-A'], factor: 0.99 } });
    expect(String((conditions[0]?.evidence.reasons as string[])[0])).toMatch(/^humidity beyond its range: 10\.\d\d %·h$/);
    // The copper lot sits in the probe's own range (max 70): it too is exposed, from 70 on.
    expect(conditions.some((d) => d.lotId === 'LOT-C')).toBe(true);
  });

  it('bad readings are rejected and counted, unknown sensors ignored, weights in tonnes understood', () => {
    const rejected: string[] = [];
    const h = fusionHarness({ start: '2026-03-02T10:00:00.000Z', site, lots: LOTS });
    const stage = createSensorStage({ ...h.ctx, reject: (_m, reason) => rejected.push(reason), emit: () => {} }, { manifests: h.manifests });
    const message = (deviceId: string, payload: string): DeviceMessage => ({ channel: 'sensor.reading', site: 's1', deviceId, payload: Buffer.from(payload), userProperties: {}, receivedAt: h.ctx.now(), retained: false });
    stage.handle(message('scale-a', '{"kind":"weight","value":"heavy","unit":"kg"}'));
    stage.handle(message('scale-a', 'not json'));
    stage.handle(message('scale-a', '{"kind":"weight","value":5,"unit":"bags"}'));
    stage.handle(message('scale-zz', '{"kind":"weight","value":5,"unit":"kg"}'));
    for (let i = 0; i < 5; i += 1) stage.handle(message('scale-a', '{"kind":"weight","value":18.5,"unit":"t"}'));
    expect(rejected).toEqual(['bad_reading', 'bad_reading', 'bad_unit']);
    expect(stage.snapshot().scales).toEqual([expect.objectContaining({ sensor: 'scale-a', level: 18_500, tare: 500 })]);
  });
});
