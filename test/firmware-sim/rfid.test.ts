import { describe, expect, it } from 'vitest';
import { normaliseRfidPayload } from '../../protocol/index.ts';
import { createSimulation, type SimMessage } from '../../firmware-sim/index.ts';
import { collect, NO_MEDIA, siteS1 } from './helpers.ts';

function rfidOf(messages: SimMessage[], id?: string): SimMessage[] {
  return messages.filter((m) => m.channel === 'rfid' && (!id || m.deviceId === id));
}

describe('RFID readers', () => {
  it('publish each vendor format so the gateway normaliser reads every element without error', async () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 3, devices: NO_MEDIA });
    const messages = await collect(sim, sim.startMs + 2 * 60_000);
    const formats = Object.fromEntries(sim.devices.filter((d) => d.kind === 'rfid').map((d) => [d.id, d.format]));
    expect(formats).toEqual({ 'rd-a': 'impinj', 'rd-b': 'zebra', 'rd-dock': 'compact' });
    const lotEpcs = new Set(sim.lots.flatMap((l) => l.epcs));
    for (const id of ['rd-a', 'rd-b']) {
      const batches = rfidOf(messages, id);
      expect(batches.length).toBeGreaterThanOrEqual(20);
      let reads = 0;
      for (const m of batches) {
        expect(m.topic).toBe(`wh/s1/rfid/${id}/events`);
        const n = normaliseRfidPayload(m.payload, id);
        expect(n.errors).toEqual([]);
        reads += n.reads.length;
        for (const r of n.reads) {
          expect(r.rssi).toBeLessThan(-20);
          expect(r.rssi).toBeGreaterThan(-90);
          expect([1, 2, 3, 4]).toContain(r.antenna);
        }
        expect(n.reads.filter((r) => lotEpcs.has(r.epc)).length).toBeGreaterThan(0.9 * n.reads.length);
      }
      expect(reads).toBeGreaterThan(1_000);
    }
    const impinj = rfidOf(messages, 'rd-a')[1]?.payload.toString() ?? '';
    const first = JSON.parse(impinj.split('\n')[0] ?? '{}') as Record<string, unknown>;
    const tag = first['tagInventoryEvent'] as Record<string, unknown>;
    expect(typeof tag['epc']).toBe('string');
    expect(Buffer.from(tag['epc'] as string, 'base64')).toHaveLength(12);
    expect(Number.isInteger(tag['peakRssiCdbm'])).toBe(true);
    expect(tag['frequency']).toBeGreaterThanOrEqual(902_750);
    expect(first['hostname']).toMatch(/^impinj-/);
    const zebra = JSON.parse(rfidOf(messages, 'rd-b')[0]?.payload.toString() ?? '[]') as { timestamp: string; type: string; data: Record<string, unknown> }[];
    expect(zebra[0]?.timestamp).toMatch(/\.\d{3}\+0000$/);
    expect(zebra[0]?.type).toBe('SIMPLE');
    expect(zebra[0]?.data['idHex']).toMatch(/^[0-9a-f]{24}$/);
  });

  it.each(['ndjson', 'array', 'concatenated'] as const)('batch Impinj rounds as %s', async (impinjBatching) => {
    const sim = createSimulation({
      siteConfig: siteS1(),
      scenario: 'quiet-day',
      seed: 4,
      devices: { ...NO_MEDIA, only: ['rd-a'], rfid: { impinjBatching } },
    });
    const [message] = rfidOf(await collect(sim, sim.startMs + 10_000), 'rd-a').slice(1);
    const text = message?.payload.toString() ?? '';
    if (impinjBatching === 'array') expect(text.startsWith('[')).toBe(true);
    if (impinjBatching === 'ndjson') expect(text.split('\n').length).toBeGreaterThan(10);
    if (impinjBatching === 'concatenated') expect(text).toContain('}{');
    const n = normaliseRfidPayload(message?.payload ?? '', 'rd-a');
    expect(n.errors).toEqual([]);
    expect(n.reads.length).toBeGreaterThan(10);
  });

  it('publishes each event as a message of its own, one bare object, when unbatched, with the same reads as batched', async () => {
    const run = async (maxEventsPerMessage: number) => {
      const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 6, devices: { ...NO_MEDIA, rfid: { maxEventsPerMessage } } });
      return rfidOf(await collect(sim, sim.startMs + 60_000));
    };
    const unbatched = await run(1);
    const batched = await run(500);
    const contents = (messages: SimMessage[]) => {
      const reads: string[] = [];
      const health: string[] = [];
      for (const m of messages) {
        const n = normaliseRfidPayload(m.payload, m.deviceId);
        expect(n.errors).toEqual([]);
        for (const r of n.reads) reads.push(`${r.readerId} ${r.epc} ${r.antenna} ${r.rssi} ${r.ts}`);
        for (const h of n.health) health.push(`${h.readerId} ${h.kind} ${h.ts}`);
      }
      return { reads: reads.sort(), health: health.sort() };
    };
    const one = contents(unbatched);
    expect(one.reads.length).toBeGreaterThan(1_000);
    expect(one).toEqual(contents(batched));
    // One message per event: as many messages as reads and health reports together.
    expect(unbatched).toHaveLength(one.reads.length + one.health.length);
    expect(batched.length).toBeLessThan(unbatched.length / 20);
    for (const m of unbatched) {
      const text = m.payload.toString();
      expect(text.startsWith('{') && !text.includes('\n')).toBe(true);
      expect(Array.isArray(JSON.parse(text))).toBe(false);
    }
    // Each vendor writes one event its own way (the dock reader has nothing passing by).
    const first = (id: string) => JSON.parse(unbatched.find((m) => m.deviceId === id)?.payload.toString() ?? 'null') as unknown;
    expect(first('rd-a')).toHaveProperty('hostname');
    expect(first('rd-b')).toMatchObject({ type: 'SIMPLE' });
  });

  it('refuses a number of events per message that is not a whole number of at least 1', () => {
    for (const maxEventsPerMessage of [0, 2.5, -1, Number.NaN]) {
      expect(() => createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 1, devices: { ...NO_MEDIA, rfid: { maxEventsPerMessage } } })).toThrow(
        /maxEventsPerMessage must be a whole number of at least 1/,
      );
    }
  });

  it('reads tags deep in a stack less often than tags on its surface', async () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 5, devices: { ...NO_MEDIA, only: ['rd-b'], rfid: { ghostRate: 0 } } });
    const counts = new Map<string, number>();
    for (const m of rfidOf(await collect(sim, sim.startMs + 20 * 60_000), 'rd-b')) {
      for (const r of normaliseRfidPayload(m.payload, 'rd-b').reads) counts.set(r.epc, (counts.get(r.epc) ?? 0) + 1);
    }
    const copper = sim.lots.find((l) => l.commodity === 'copper');
    const items = (copper?.epcs ?? []).map((epc) => sim.warehouse.item(epc));
    const bottom = items.filter((i) => i.layer === 0).map((i) => counts.get(i.epc) ?? 0);
    const top = items.filter((i) => i.layer === 2).map((i) => counts.get(i.epc) ?? 0);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    expect(top.length).toBeGreaterThan(0);
    expect(mean(bottom)).toBeLessThan(mean(top) * 0.8);
    // Not all reads succeed even for surface tags: read probability is below 1.
    expect(Math.max(...top)).toBeLessThan(240 * 4);
  });

  it('ghost-reads the neighbouring bay on edge antennas, weakly', async () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'quiet-day', seed: 6, devices: { ...NO_MEDIA, only: ['rd-a'], rfid: { ghostRate: 0.01 } } });
    const bayB = new Set(sim.lots.filter((l) => l.zone === 'bay-b').flatMap((l) => l.epcs));
    const ghosts = rfidOf(await collect(sim, sim.startMs + 5 * 60_000), 'rd-a')
      .flatMap((m) => normaliseRfidPayload(m.payload, 'rd-a').reads)
      .filter((r) => bayB.has(r.epc));
    expect(ghosts.length).toBeGreaterThan(5);
    expect(ghosts.every((r) => r.antenna === 4 && r.rssi < -70)).toBe(true);
  });

  it('report a disconnected antenna as Impinj health and read nothing on it meanwhile', async () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'reader-offline', seed: 1, devices: { ...NO_MEDIA, only: ['rd-a'] } });
    const messages = rfidOf(await collect(sim, sim.startMs + 20 * 60_000), 'rd-a');
    const cut = sim.groundTruth().find((g) => g.kind === 'antenna-disconnected');
    const restored = sim.groundTruth().find((g) => g.kind === 'antenna-connected');
    expect(cut?.deviceId).toBe('rd-a');
    const normalised = messages.map((m) => normaliseRfidPayload(m.payload, 'rd-a'));
    expect(normalised.flatMap((n) => n.errors)).toEqual([]);
    const health = normalised.flatMap((n) => n.health);
    const port = cut?.detail['antenna'] as number;
    expect(health.some((h) => h.kind === 'antennaDisconnected' && h.antenna === port)).toBe(true);
    expect(health.some((h) => h.kind === 'antennaConnected' && h.antenna === port)).toBe(true);
    const during = normalised
      .flatMap((n) => n.reads)
      .filter((r) => r.antenna === port && r.ts > (cut?.ts ?? '') && r.ts < (restored?.ts ?? ''));
    expect(during).toEqual([]);
  });

  it('buffers reads while the network is down, flushes them on reconnect and reports the overflow', async () => {
    const sim = createSimulation({ siteConfig: siteS1(), scenario: 'network-cut', seed: 1, devices: { ...NO_MEDIA, only: ['rd-a'] } });
    // The cut comes 15–25 minutes in.
    sim.skipTo(sim.startMs + 14 * 60_000);
    const outputs = [];
    while (!sim.groundTruth().some((g) => g.kind === 'device-online')) outputs.push(...(await sim.advanceBy(5 * 60_000)));
    const cut = sim.groundTruth().find((g) => g.kind === 'network-cut');
    const back = sim.groundTruth().find((g) => g.kind === 'device-online' && g.deviceId === 'rd-a');
    expect(cut && back).toBeTruthy();
    const reconnect = outputs.findIndex((o) => o.type === 'connect' && o.simTs > Date.parse(cut?.ts ?? ''));
    const flushed = outputs.slice(reconnect + 1).find((o) => o.type === 'publish');
    const n = normaliseRfidPayload(flushed?.type === 'publish' ? flushed.message.payload : '', 'rd-a');
    expect(n.errors).toEqual([]);
    const overflow = n.health.find((h) => h.kind === 'overflow');
    expect(overflow?.detail['eventsPurged']).toBeGreaterThan(0);
    // Buffered reads keep the time they were read, inside the outage.
    const all = outputs.slice(reconnect + 1).flatMap((o) => (o.type === 'publish' ? normaliseRfidPayload(o.message.payload, 'rd-a').reads : []));
    expect(all.some((r) => r.ts > (cut?.ts ?? '') && r.ts < (back?.ts ?? ''))).toBe(true);
  });
});
