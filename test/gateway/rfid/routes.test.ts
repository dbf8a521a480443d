import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerRfidRoutes } from '../../../gateway/rfid/rfid-routes.ts';
import { MINUTE, SECOND, T0, compactPayload, epcs, manifestOf, rfidHarness } from './support/rfid-harness.ts';

describe('local RFID endpoints', () => {
  it('serves the lots’ counts and a health that turns 503 while payloads are being dropped', async () => {
    const tags = epcs(1000, 3);
    const h = rfidHarness({ manifest: manifestOf([{ lotId: 'LOT-1', zone: 'bay-a', epcs: tags }]), manualDefer: true, options: { maxQueueBytes: 200 } });
    const app = Fastify();
    registerRfidRoutes(app, { rfid: h.stage });
    for (let t = T0; t < T0 + MINUTE; t += 5 * SECOND) {
      h.send('rd-a', compactPayload(tags.map((epc) => ({ epc, antenna: 1 })).slice(0, 1), t), t);
      h.tick(t);
    }
    const lots = await app.inject({ method: 'GET', url: '/api/v1/rfid/lots' });
    expect(lots.json()).toMatchObject({ items: [{ lotId: 'LOT-1', zone: 'bay-a', expected: 3, present: 1, pending: 2, settled: false }] });
    const healthy = await app.inject({ method: 'GET', url: '/api/v1/rfid/health' });
    expect(healthy.statusCode).toBe(200);
    expect(healthy.json()).toMatchObject({ status: 'ok', lots: 1, queue: { dropped: 0 }, readers: expect.arrayContaining([expect.objectContaining({ reader: 's1/rfid/rd-a' })]) });

    const big = compactPayload(tags.map((epc) => ({ epc, antenna: 1 })), T0 + MINUTE);
    h.send('rd-a', big, T0 + MINUTE);
    h.send('rd-a', big, T0 + MINUTE);
    const degraded = await app.inject({ method: 'GET', url: '/api/v1/rfid/health' });
    expect(degraded.statusCode).toBe(503);
    expect(degraded.json()).toMatchObject({ status: 'degraded', queue: { dropped: 1 } });
    await app.close();
  });
});
