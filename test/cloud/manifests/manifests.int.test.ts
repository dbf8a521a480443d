import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSiteManifest } from '../../../protocol/index.ts';
import { matchesIfNoneMatch } from '../../../cloud/manifests/site-manifest.ts';
import { epcsFor, expectStatus, facilityBody, field, receiptBody, startCollateralWorld, text, type CollateralWorld } from '../risk/support/collateral-world.ts';
import { startGatewayFeed, type GatewayFeed } from '../risk/support/gateway-feed.ts';

describe('GET /api/v1/gateways/:id/manifests', () => {
  let w: CollateralWorld;
  let feed: GatewayFeed;
  let other: GatewayFeed;
  const get = (gatewayId: string, token: string, headers: Record<string, string> = {}) =>
    w.app.inject({ method: 'GET', url: `/api/v1/gateways/${gatewayId}/manifests`, headers: { authorization: `Bearer ${token}`, ...headers } });

  beforeAll(async () => {
    w = await startCollateralWorld();
    feed = await startGatewayFeed(w, 's-a1');
    other = await startGatewayFeed(w, 's-a2');
  });
  afterAll(() => w.close());

  it('needs the gateway token, and only the gateway’s own', async () => {
    expect((await w.app.inject({ method: 'GET', url: `/api/v1/gateways/${feed.gatewayId}/manifests` })).statusCode).toBe(401);
    expect((await get(feed.gatewayId, other.token)).statusCode).toBe(401);
  });

  it('lists only pledged and called lots of the gateway’s site, with uppercase EPCs, in the gateway’s contract', async () => {
    const facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    const pledged = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ lotId: 'LOT-P', epcs: epcsFor(1, 3).map((e) => e.toLowerCase()) })), 201);
    expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ lotId: 'LOT-I', epcs: epcsFor(2, 2) })), 201);
    expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ siteId: 's-a2', lotId: 'LOT-X', epcs: epcsFor(3, 2) })), 201);
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: pledged.id, facilityId }), 201);

    const res = await get(feed.gatewayId, feed.token);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(parseSiteManifest(body)).toEqual({ ok: true, value: body });
    expect(body).toMatchObject({ site: 's-a1', releaseOrders: [] });
    expect(field(body, 'lots')).toEqual([
      { lotId: 'LOT-P', receiptId: pledged.id, receiptNumber: pledged.number, zone: 'Z1', commodity: 'copper', quantity: { value: '100', unit: 't' }, epcs: epcsFor(1, 3), status: 'pledged' },
    ]);
    expect(field((await get(other.gatewayId, other.token)).json(), 'lots')).toEqual([]);

    // Called receipts stay on the manifest: the goods are still there, now held for sale.
    expectStatus(await w.lender.post(`/api/v1/receipts/${text(pledged, 'id')}/call`, { reason: 'default' }), 200);
    expect(field((await get(feed.gatewayId, feed.token)).json(), 'lots.0.status')).toBe('called');
  });

  it('answers 304 to If-None-Match with the current ETag, and a new ETag once the manifest changes', async () => {
    const first = await get(feed.gatewayId, feed.token);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const again = await get(feed.gatewayId, feed.token, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);

    const facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ lotId: 'LOT-N' })), 201);
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    const changed = await get(feed.gatewayId, feed.token, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('compares entity tags as RFC 9110 says', () => {
    expect(matchesIfNoneMatch('"a", W/"b"', '"b"')).toBe(true);
    expect(matchesIfNoneMatch('*', '"x"')).toBe(true);
    expect(matchesIfNoneMatch('"a"', '"b"')).toBe(false);
    expect(matchesIfNoneMatch(undefined, '"b"')).toBe(false);
  });
});
