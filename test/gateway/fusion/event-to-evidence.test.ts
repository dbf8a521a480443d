import { tagOf } from '../../support/evidence-examples.ts';
import { describe, expect, it } from 'vitest';
import { nightHours, parseSiteConfig } from '../../../protocol/index.ts';
import { eventToEvidence } from '../../../gateway/fusion/event-to-evidence.ts';
import { buildFusionIndex } from '../../../gateway/fusion/fusion-index.ts';
import { fusionHarness, lot } from './support/fusion-harness.ts';

// One camera over two bays, each with its own region of interest.
const site = parseSiteConfig(`
site: s1
zones:
  - id: z1
    kind: storage
    cameras: [{ camera: cam-x, roi: { x: 0, y: 0, width: 100, height: 100 } }]
    sensors: [scale-1]
  - id: z2
    kind: storage
    cameras: [{ camera: cam-x, roi: { x: 100, y: 0, width: 100, height: 100 } }]
`);
const manifest = { site: 's1', generatedAt: '2026-03-01T00:00:00.000Z', lots: [lot('L1', 'z1', ['ABCD']), lot('L2', 'z2')], releaseOrders: [] };
const index = buildFusionIndex(site, manifest, nightHours(site));
const { event } = fusionHarness({ start: '2026-03-02T10:00:00.000Z' });
const now = new Date('2026-03-02T10:00:00.000Z');
const scopes = (input: ReturnType<typeof eventToEvidence>) => input.observations.map((o) => o.scope);

describe('event to evidence', () => {
  it('maps a camera change to the zone whose region of interest changed, a tamper to all the camera sees', () => {
    const cam = 's1/camera/cam-x';
    expect(scopes(eventToEvidence(event('camera.change', { evidence: { device: cam, roi: { x: 100, y: 0, width: 100, height: 100 } } }), index, now))).toEqual(['zone:z2']);
    expect(scopes(eventToEvidence(event('camera.change', { evidence: { device: cam, zone: 'z1' } }), index, now))).toEqual(['zone:z1']);
    expect(scopes(eventToEvidence(event('camera.change', { evidence: { device: cam } }), index, now))).toEqual(['zone:z1', 'zone:z2']);
    expect(scopes(eventToEvidence(event('camera.change', { lotId: 'L2', evidence: { device: cam } }), index, now))).toEqual(['lot:L2']);
    expect(scopes(eventToEvidence(event('camera.tamper', { zone: 'z1', evidence: { device: cam, kind: 'moved' } }), index, now))).toEqual(['zone:z1', 'zone:z2']);
  });

  it('names signals in the rules vocabulary', () => {
    const signal = (input: ReturnType<typeof eventToEvidence>) => input.observations.map((o) => `${o.observation.kind}:${o.observation.signal}`);
    expect(signal(eventToEvidence(event('camera.tamper', { evidence: { device: 's1/camera/cam-x', kind: 'frozen' } }), index, now))).toEqual(['video:frozen', 'video:frozen']);
    expect(signal(eventToEvidence(event('device.offline', { evidence: { device: 's1/camera/cam-x' } }), index, now))).toEqual(['devices:camera-offline', 'devices:camera-offline']);
    expect(signal(eventToEvidence(event('sensor.out_of_range', { evidence: { device: 's1/sensor/scale-1', kind: 'weight', value: 812, unit: 'kg' } }), index, now))).toEqual(['sensors:weight']);
    expect(signal(eventToEvidence(event('tags.missing', { evidence: { tags: [tagOf('abcd')], count: 1 } }), index, now))).toEqual(['rfid:missing']);
  });

  it('turns a complete count, a device back and a restored camera into clearings, and a partial count into nothing', () => {
    expect(eventToEvidence(event('lot.verified', { lotId: 'L1', evidence: { expected: 4, present: 4 } }), index, now).clearings).toMatchObject([{ scope: 'lot:L1', kind: 'rfid' }]);
    expect(eventToEvidence(event('lot.verified', { lotId: 'L1', evidence: { expected: 4, present: 3, missing: 1 } }), index, now)).toEqual({ observations: [], clearings: [] });
    expect(eventToEvidence(event('device.online', { evidence: { device: 's1/camera/cam-x' } }), index, now).clearings).toMatchObject([{ kind: 'devices', source: 'cam-x' }]);
    expect(eventToEvidence(event('camera.tamper', { evidence: { device: 's1/camera/cam-x', cleared: true } }), index, now).clearings).toMatchObject([{ kind: 'video', source: 'cam-x' }]);
  });

  it('does not let a device clock ahead of the gateway stretch a finding', () => {
    const input = eventToEvidence(event('audio.anomaly', { ts: '2026-03-02T18:00:00.000Z', zone: 'z1', evidence: { label: 'engine' } }), index, now);
    expect(input.observations[0]?.observation.at).toBe(now.getTime());
  });
});
