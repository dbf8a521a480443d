import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../infra/logger.ts';
import { buildGatewayApi, type GatewayApiDeps } from '../../../gateway/api/gateway-api.ts';
import type { LotStateView } from '../../../gateway/fusion/lot-view.ts';
import type { StageOffers } from '../../../gateway/pipeline/stage.ts';

const lot = (lotId: string): LotStateView =>
  ({ lotId, zone: 'bay-a', state: 'verified', since: '2026-01-01T00:00:00.000Z', rule: 'r', reason: 'ok', cites: [], kinds: [], updatedAt: '2026-01-01T00:00:00.000Z', evidence: {} }) as unknown as LotStateView;

function deps(stages: readonly StageOffers[]): GatewayApiDeps {
  return {
    log: createLogger('test', { level: 'silent' }),
    metrics: new Registry(),
    health: () => ({ status: 'ok', ready: true, reasons: [], detail: { gatewayId: 'gw-1', manifest: { source: 'cloud' } } }),
    lots: () => [lot('LOT-B'), lot('LOT-A')],
    outbox: () => ({ pending: 0 }),
    stages,
  };
}

describe('the local API wires what stages offer, alike for every stage', () => {
  it('serves each stage’s routes, its health facets in /health and /ready, and its lot facets in /api/v1/lots', async () => {
    const weights: StageOffers = {
      routes: (app) => void app.get('/api/v1/weights', async () => ({ items: [] })),
      healthFacets: { weights: () => ({ ok: true, scales: 2 }) },
      lotFacets: { weight: () => new Map([['LOT-A', { kg: 1200 }]]) },
    };
    const doors: StageOffers = { lotFacets: { door: () => new Map([['LOT-B', { open: false }]]) } };
    const app = await buildGatewayApi(deps([weights, doors]));
    expect((await app.inject({ url: '/api/v1/weights' })).json()).toEqual({ items: [] });
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok', reasons: [], gatewayId: 'gw-1', manifest: { source: 'cloud' }, weights: { ok: true, scales: 2 } });
    expect((await app.inject({ url: '/ready' })).json()).toMatchObject({ status: 'ready', weights: { ok: true, scales: 2 } });
    const lots = (await app.inject({ url: '/api/v1/lots' })).json() as { items: Record<string, unknown>[] };
    expect(lots.items.map((l) => [l['lotId'], l['weight'], l['door']])).toEqual([
      ['LOT-A', { kg: 1200 }, null],
      ['LOT-B', null, { open: false }],
    ]);
    await app.close();
  });

  it('refuses at start a facet whose key the gateway or another stage already uses', async () => {
    await expect(buildGatewayApi(deps([{ healthFacets: { manifest: () => 'mine' } }]))).rejects.toThrow('health facet "manifest"');
    await expect(buildGatewayApi(deps([{ lotFacets: { rfid: () => new Map() } }, { lotFacets: { rfid: () => new Map() } }]))).rejects.toThrow('lot facet "rfid"');
    await expect(buildGatewayApi(deps([{ lotFacets: { state: () => new Map() } }]))).rejects.toThrow('lot facet "state"');
  });
});
