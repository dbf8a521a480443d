import { describe, expect, it } from 'vitest';
import { normaliseRfidPayload } from '../../protocol/index.ts';
import { createSimulation, SCENARIOS, UnknownScenarioError, type GroundTruthKind, type SimMessage } from '../../firmware-sim/index.ts';
import { collect, NO_MEDIA, siteS1 } from './helpers.ts';
import { changedBlocks, grey } from './image-metrics.ts';

const INCIDENTS: GroundTruthKind[] = ['removal', 'substitution', 'tamper', 'device-offline', 'antenna-disconnected', 'network-cut', 'double-pledge'];

describe('scenarios', () => {
  it.each(SCENARIOS.map((s) => s.name))('%s runs, starts with its own ground truth and publishes valid RFID', async (name) => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: name, seed: 2, devices: NO_MEDIA });
    const messages = await collect(sim, sim.startMs + 2 * 60_000);
    expect(sim.groundTruth()[0]).toMatchObject({ kind: 'scenario', detail: { name, phase: 'start' } });
    const rfid = messages.filter((m) => m.channel === 'rfid');
    expect(rfid.length).toBeGreaterThan(0);
    for (const m of rfid) expect(normaliseRfidPayload(m.payload, m.deviceId).errors).toEqual([]);
  });

  it('refuses an unknown scenario by name', () => {
    expect(() => createSimulation({ siteConfig: siteS1(), scenario: 'heist', seed: 1 })).toThrow(UnknownScenarioError);
  });

  it('quiet-day has a working day and nothing suspicious', () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 3 });
    sim.skipTo(sim.endMs);
    const kinds = sim.groundTruth().map((g) => g.kind);
    expect(kinds.filter((k) => INCIDENTS.includes(k))).toEqual([]);
    expect(kinds).toContain('authorised-move');
    expect(kinds.filter((k) => k === 'activity').length).toBeGreaterThan(3);
    const labels = new Set(sim.groundTruth().filter((g) => g.kind === 'audio-event').map((g) => g.detail['label']));
    expect(labels).toEqual(new Set(['engine', 'voices', 'door-slam']));
    // Work happens in working hours only.
    for (const g of sim.groundTruth().filter((e) => e.kind === 'activity')) {
      const hour = new Date(g.ts).getUTCHours();
      expect(hour >= 7 && hour < 18).toBe(true);
    }
    expect(sim.groundTruth().at(-1)).toMatchObject({ kind: 'scenario', detail: { phase: 'end' } });
  });

  it('substitution keeps every tag reading while the camera sees different goods', async () => {
    const site = siteS1();
    const sim = createSimulation({ siteConfig: site, scenario: 'substitution', seed: 4, devices: { audio: { enabled: false }, sensors: { enabled: false }, camera: { frameMs: 60_000 } } });
    const voices = sim.warehouse.soundsDuring(sim.startMs, sim.endMs).filter((s) => s.label === 'voices');
    const first = Math.min(...voices.map((s) => s.startMs));
    sim.skipTo(first - 10 * 60_000);
    const messages = await collect(sim, first + 40 * 60_000);
    const substitutions = sim.groundTruth().filter((g) => g.kind === 'substitution');
    expect(substitutions).toHaveLength(2);
    const zone = substitutions[0]?.zone ?? '';
    const camera = site.zones.find((z) => z.id === zone)?.cameras[0];
    const reader = site.zones.find((z) => z.id === zone)?.readers[0]?.reader ?? '';
    const swappedAt = Math.max(...substitutions.map((g) => Date.parse(g.ts)));
    const readAfter = new Set(
      messages
        .filter((m) => m.deviceId === reader && m.simTs > swappedAt)
        .flatMap((m) => normaliseRfidPayload(m.payload, reader).reads.map((r) => r.epc)),
    );
    for (const epc of substitutions.flatMap((g) => g.epcs ?? [])) expect(readAfter.has(epc)).toBe(true);
    const frames = messages.filter((m): m is SimMessage => m.channel === 'camera' && m.deviceId === camera?.camera);
    const beforeFrames = frames.filter((f) => f.simTs < first - 2 * 60_000).slice(-2);
    const after = frames.at(-1);
    const [a, b, c] = await Promise.all([...beforeFrames, after].map((f) => grey(f?.payload ?? Buffer.alloc(0))));
    if (!a || !b || !c || !camera) throw new Error('missing frames');
    // Night frames are dark and noisy; compare 16×16 tile means, which noise barely moves.
    const still = changedBlocks(a, b, camera.roi);
    const changed = changedBlocks(b, c, camera.roi);
    expect(still).toBeLessThan(0.01);
    expect(changed).toBeGreaterThan(0.03);
  });

  it('network-cut drops every device and brings them back staggered', async () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'network-cut', seed: 5, devices: { ...NO_MEDIA, rfid: { roundMs: 60_000, doorRoundMs: 60_000 } } });
    const outputs = [];
    while (!sim.finished) outputs.push(...(await sim.advanceBy(10 * 60_000)));
    const drops = outputs.filter((o) => o.type === 'disconnect');
    const returns = outputs.filter((o) => o.type === 'connect').slice(sim.devices.length);
    expect(drops.map((o) => o.deviceId).sort()).toEqual(sim.devices.map((d) => d.id).sort());
    expect(returns.map((o) => o.deviceId).sort()).toEqual(sim.devices.map((d) => d.id).sort());
    const restored = Date.parse(sim.groundTruth().find((g) => g.kind === 'network-restored')?.ts ?? '');
    expect(returns.every((o) => o.simTs >= restored)).toBe(true);
    expect(new Set(returns.map((o) => o.simTs)).size).toBeGreaterThan(1);
  });

  it('double-pledge describes the second presentation of a pledged lot', () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'double-pledge', seed: 6 });
    sim.skipTo(sim.endMs);
    const event = sim.groundTruth().find((g) => g.kind === 'double-pledge');
    const lot = sim.lots.find((l) => l.lotId === event?.lotId);
    expect(event?.epcs).toEqual(lot?.epcs);
    const receipts = event?.detail['receipts'] as { receiptNo: string; lotId: string }[];
    expect(receipts).toHaveLength(2);
    expect(receipts[0]?.receiptNo).not.toBe(receipts[1]?.receiptNo);
    expect(sim.lots.map((l) => l.lotId)).not.toContain(event?.detail['duplicateLotId']);
  });

  it('price-crash emits a price path with a crash of about a fifth', () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'price-crash', seed: 7 });
    sim.skipTo(sim.endMs);
    const prices = sim.groundTruth().filter((g) => g.kind === 'price');
    expect(prices.length).toBe(12 * 4 + 1);
    expect(prices[0]?.detail).toMatchObject({ commodity: 'copper', currency: 'USD', unit: 't' });
    const values = prices.map((p) => Number(p.detail['price']));
    expect(prices.every((p) => /^\d+\.\d{2}$/.test(String(p.detail['price'])))).toBe(true);
    expect(Math.min(...values)).toBeLessThan((values[0] ?? 0) * 0.85);
    expect(prices.some((p) => p.detail['phase'] === 'crash')).toBe(true);
  });
});
