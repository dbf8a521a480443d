// The gateway's manifest sync against the real cloud endpoint (cloud/manifests), so the
// two sides of GET /gateways/{id}/manifests cannot drift apart: schema, ETag, 304.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../infra/logger.ts';
import { createManifestSync } from '../../../gateway/manifests/manifest-sync.ts';
import { epcsFor, expectStatus, facilityBody, receiptBody, startCollateralWorld, text, type CollateralWorld } from '../../cloud/risk/support/collateral-world.ts';
import { startGatewayFeed, type GatewayFeed } from '../../cloud/risk/support/gateway-feed.ts';

describe('manifest sync against the cloud', () => {
  let w: CollateralWorld;
  let feed: GatewayFeed;
  let dir: string;
  const statuses: number[] = [];

  beforeAll(async () => {
    w = await startCollateralWorld();
    feed = await startGatewayFeed(w, 's-a1');
    dir = await mkdtemp(join(tmpdir(), 'manifest-cloud-'));
  });
  afterAll(async () => {
    await w.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** fetch routed into the cloud app without a socket. */
  const fetchImpl: typeof fetch = async (input, init) => {
    const res = await w.app.inject({ method: 'GET', url: new URL(String(input)).pathname, headers: init?.headers as Record<string, string> });
    statuses.push(res.statusCode);
    return new Response(res.statusCode === 304 ? null : res.body, { status: res.statusCode, headers: res.headers as Record<string, string> });
  };

  it('follows pledges and approved release orders, validates them, and polls with 304 in between', async () => {
    const sync = createManifestSync({ cloudUrl: 'http://cloud', gatewayId: feed.gatewayId, token: feed.token, cacheFile: join(dir, 'manifest.json'), log: createLogger('test'), pollMs: 3_600_000, fetchImpl, site: 's-a1' });
    await sync.start();
    expect(sync.current().lots).toEqual([]);

    const facilityId = text(expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201), 'id');
    const epcs = epcsFor(77, 5);
    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ lotId: 'LOT-SYNC', zone: 'bay-a', epcs })), 201);
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId }), 201);
    await sync.refresh();
    expect(sync.current().lots).toMatchObject([{ lotId: 'LOT-SYNC', zone: 'bay-a', epcs, status: 'pledged' }]);
    await sync.refresh();
    expect(statuses.slice(-2)).toEqual([200, 304]);

    const order = expectStatus(await w.operator.post('/api/v1/release-orders', { receiptId: receipt.id, epcs: epcs.slice(0, 2) }), 201);
    expectStatus(await w.lender.post(`/api/v1/release-orders/${text(order, 'id')}/approve`, {}), 200);
    await sync.refresh();
    expect(sync.current().releaseOrders).toMatchObject([{ lotId: 'LOT-SYNC', epcs: epcs.slice(0, 2), status: 'approved' }]);
    expect(sync.status()).toMatchObject({ source: 'cloud', lastError: null });
    sync.stop();
  });
});
