import { typedOrThrow } from '../../support/evidence-examples.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, generateGatewayKeys, loadPrivateKey, sealEvent, type VerificationEvent } from '../../../protocol/index.ts';
import type { PrismaClient } from '../../../cloud/db/generated/client.ts';
import { createGatewayEventsListener } from '../../../cloud/risk/gateway-events-listener.ts';
import { expectStatus, field, receiptBody, startCollateralWorld, text, type CollateralWorld } from './support/collateral-world.ts';

/** The database client with its receipt reads counted (queries inside transactions are not). */
function countingReceiptReads(prisma: PrismaClient): { prisma: PrismaClient; reads: () => number } {
  let reads = 0;
  const receipt = new Proxy(prisma.receipt, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (typeof prop === 'string' && prop.startsWith('find')) {
        return (...args: unknown[]) => {
          reads += 1;
          return fn.apply(target, args);
        };
      }
      return fn.bind(target);
    },
  });
  // Bound to the real client: Prisma's methods are not written for a Proxy as `this`.
  const counted = new Proxy(prisma, {
    get(target, prop) {
      if (prop === 'receipt') return receipt;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { prisma: counted, reads: () => reads };
}

describe('collateral follows a batch of lot.verified events with one receipt lookup', () => {
  let w: CollateralWorld;
  const lots = ['LOT-V1', 'LOT-V2', 'LOT-V3'];
  const receipts = new Map<string, string>();

  beforeAll(async () => {
    w = await startCollateralWorld();
    for (const lotId of lots) receipts.set(lotId, text(expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ lotId, quantity: { value: '100', unit: 't' } })), 201), 'id'));
  });
  afterAll(() => w.close());

  it('looks the receipts up once per batch and applies every lot’s latest count', async () => {
    const key = loadPrivateKey(generateGatewayKeys().privateKeyPem);
    let prev = GENESIS_HASH;
    const events: VerificationEvent[] = [];
    for (let i = 0; i < 30; i++) {
      const lotId = lots[i % lots.length] ?? '';
      const e = sealEvent(
        { type: 'lot.verified', severity: 'info', lotId, evidence: { expected: 10, present: 10 - Math.floor(i / 3) % 10, missing: 0 }, id: randomUUID(), site: 's-a1', gatewayId: 'gw-v', seq: i + 1, ts: new Date(Date.UTC(2026, 2, 2, 8, 0, i)).toISOString() },
        prev,
        key,
      );
      events.push(e);
      prev = e.hash;
    }
    const counted = countingReceiptReads(w.db.prisma);
    const listener = createGatewayEventsListener({ prisma: counted.prisma, bus: w.bus, log: { error: (obj: unknown) => void obj } });
    await listener({ gatewayId: 'gw-v', site: 's-a1', events: events.map(typedOrThrow) });
    await w.bus.idle();
    expect(counted.reads()).toBe(1);
    // The last events (i = 27, 28, 29) say 10 − 9 = 1 of 10 items present: 10 t.
    for (const lotId of lots) {
      expect(field(expectStatus(await w.operator.get(`/api/v1/receipts/${receipts.get(lotId) ?? ''}`), 200), 'verifiedQuantity')).toEqual({ value: '10', unit: 't' });
    }
  });

  it('does not let a late, older count undo a newer one', async () => {
    const key = loadPrivateKey(generateGatewayKeys().privateKeyPem);
    const older = sealEvent(
      { type: 'lot.verified', severity: 'info', lotId: 'LOT-V1', evidence: { expected: 10, present: 10, missing: 0 }, id: randomUUID(), site: 's-a1', gatewayId: 'gw-v', seq: 5, ts: '2026-03-02T07:00:00.000Z' },
      GENESIS_HASH,
      key,
    );
    const listener = createGatewayEventsListener({ prisma: w.db.prisma, bus: w.bus, log: { error: (obj: unknown) => void obj } });
    await listener({ gatewayId: 'gw-v', site: 's-a1', events: [older].map(typedOrThrow) });
    expect(field(expectStatus(await w.operator.get(`/api/v1/receipts/${receipts.get('LOT-V1') ?? ''}`), 200), 'verifiedQuantity')).toEqual({ value: '10', unit: 't' });
  });
});
