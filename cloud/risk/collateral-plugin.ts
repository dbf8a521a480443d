import type { FastifyPluginAsync } from 'fastify';
import { badRequest } from '../errors.ts';
import { numberWhereStringExpected } from '../valuation/strict-decimal-strings.ts';
import type { Database } from '../db/database.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { createFacilityService } from '../facilities/facility-service.ts';
import { facilitiesPlugin } from '../facilities/facilities-plugin.ts';
import { borrowerPlugin } from '../borrower/borrower-plugin.ts';
import type { GatewayAuthenticator } from '../gateways/gateway-auth.ts';
import { manifestsPlugin } from '../manifests/manifests-plugin.ts';
import { createPledgeService } from '../pledges/pledge-service.ts';
import { pledgesPlugin } from '../pledges/pledges-plugin.ts';
import { createPriceImporter } from '../prices/price-import.ts';
import { createPriceService } from '../prices/price-service.ts';
import { pricesPlugin } from '../prices/prices-plugin.ts';
import { createReceiptService } from '../receipts/receipt-service.ts';
import { receiptsPlugin } from '../receipts/receipts-plugin.ts';
import { createReleaseOrderService } from '../release-orders/release-order-service.ts';
import { releaseOrdersPlugin } from '../release-orders/release-orders-plugin.ts';
import { commoditiesPlugin } from '../valuation/commodities-plugin.ts';
import { createFreezeService } from './freeze-service.ts';
import { createGatewayEventsListener } from './gateway-events-listener.ts';
import { revalueSeries } from './revalue-series.ts';
import { riskPlugin } from './risk-plugin.ts';
import { createRiskSweep } from './risk-sweep.ts';

export interface CollateralPluginOptions {
  db: Database;
  bus: DomainEventBus;
  authenticate: GatewayAuthenticator;
  /** How often the time-driven checks run (receipt expiry, margin-call due times); 0 turns the timer off. */
  sweepIntervalMs?: number;
  now?: () => Date;
}

const BUS_OWNER = 'collateral';
const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/**
 * The collateral side of the cloud (issue 7): receipts, pledges, release orders,
 * facilities, prices, valuation and the risk triggers tying them together, wired from
 * one place so the composition root registers one plugin.
 */
export const collateralPlugin: FastifyPluginAsync<CollateralPluginOptions> = async (fastify, options) => {
  const { db, bus, now } = options;
  const prisma = db.prisma;
  const deps = { prisma, bus, ...(now === undefined ? {} : { now }) };
  const prices = createPriceService({ ...deps, revalue: revalueSeries });
  const sweep = createRiskSweep(deps);
  const freeze = createFreezeService(deps);

  bus.on('gateway.events', BUS_OWNER, createGatewayEventsListener({ ...deps, log: fastify.log }));
  bus.on('lot.state_changed', BUS_OWNER, (payload) => freeze.onLotStateChanged(payload));
  bus.on('case.resolved', BUS_OWNER, (payload) => freeze.onCaseResolved(payload));

  const interval = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  let sweeping: Promise<unknown> | undefined;
  const timer =
    interval > 0
      ? setInterval(() => {
          // One sweep at a time: a slow one is not stacked on.
          sweeping ??= sweep()
            .catch((error: unknown) => fastify.log.error({ err: error }, 'risk sweep failed'))
            .finally(() => (sweeping = undefined));
        }, interval)
      : undefined;
  timer?.unref();
  fastify.addHook('onClose', async () => {
    if (timer !== undefined) clearInterval(timer);
    bus.removeOwner(BUS_OWNER);
    await sweeping;
  });

  // Applies to every route registered below (and only to them).
  fastify.addHook('preValidation', async (request) => {
    const path = numberWhereStringExpected(request.routeOptions.schema?.body, request.body);
    if (path !== undefined) throw badRequest(`${path} must be a string (decimals are sent as text), not a JSON number`);
  });

  await fastify.register(receiptsPlugin, { prisma, receipts: createReceiptService(deps) });
  await fastify.register(pledgesPlugin, { prisma, pledges: createPledgeService(deps) });
  await fastify.register(releaseOrdersPlugin, { prisma, releaseOrders: createReleaseOrderService(deps) });
  const facilities = createFacilityService(deps);
  await fastify.register(facilitiesPlugin, { prisma, facilities, ...(now === undefined ? {} : { now }) });
  await fastify.register(borrowerPlugin, { prisma, facilities, ...(now === undefined ? {} : { now }) });
  await fastify.register(pricesPlugin, { prisma, prices, importer: createPriceImporter({ ...deps, revalue: revalueSeries }) });
  await fastify.register(commoditiesPlugin, { prisma, prices });
  await fastify.register(riskPlugin, { prisma, sweep });
  await fastify.register(manifestsPlugin, { prisma, authenticate: options.authenticate, ...(now === undefined ? {} : { now }) });
};
