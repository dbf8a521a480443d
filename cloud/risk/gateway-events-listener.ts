import type { FastifyBaseLogger } from 'fastify';
import type { TypedVerificationEvent } from '../../protocol/index.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import type { CloudDomainEvents, DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { createForeignEpcDetector } from './foreign-epcs.ts';
import { createLotConditionHandler } from './lot-condition.ts';
import { recordLotState } from './lot-states.ts';
import { inUnitOfWork } from '../db/unit-of-work.ts';
import { activeReceiptsOfLots, createVerificationHandler } from './verification.ts';

export interface GatewayEventsListenerDeps {
  readonly prisma: PrismaClient;
  readonly bus: DomainEventBus;
  readonly log: Pick<FastifyBaseLogger, 'error'>;
  readonly now?: () => Date;
}

/**
 * What collateral takes from the verified gateway event log (gateway.events):
 * - `lot.state`: the lot's fused verification state, stored and announced as
 *   lot.state_changed when it changes (no other cloud domain announces it; the freeze of
 *   drawings listens to it, and so may alerts and the live dashboard);
 * - `lot.verified`: the verified quantity of the lot's receipt, which revalues it;
 * - `tags.foreign`: a pledged EPC seen at another site (foreign-epcs.ts);
 * - `lot.condition`: the lot's condition from its climate history, which the receipt's
 *   sensor condition factor follows unless a person overrode it (lot-condition.ts).
 * Events are applied in chain order; one that fails is logged and the rest still apply.
 */
export function createGatewayEventsListener(deps: GatewayEventsListenerDeps) {
  const applyLotVerified = createVerificationHandler(deps);
  const detectForeign = createForeignEpcDetector(deps);
  const applyLotCondition = createLotConditionHandler(deps);

  async function onLotState(site: string, event: Extract<TypedVerificationEvent, { type: 'lot.state' }>): Promise<void> {
    const { state } = event.evidence;
    if (event.lotId === undefined) return;
    const lotId = event.lotId;
    const at = new Date(event.ts);
    await inUnitOfWork(deps, async (tx, events) => {
      const change = await recordLotState(tx, { site, lotId, state, eventId: event.id, at });
      if (change === undefined) return;
      const previous = event.evidence.previous;
      events.lotStateChanged({ site, lotId, state, previous, eventId: event.id, at: at.toISOString() });
    });
  }

  async function apply(gatewayId: string, site: string, event: TypedVerificationEvent, receipts: ReadonlyMap<string, string>): Promise<void> {
    switch (event.type) {
      case 'lot.state':
        return onLotState(site, event);
      case 'lot.verified': {
        const receiptId = event.lotId === undefined ? undefined : receipts.get(event.lotId);
        if (receiptId === undefined) return;
        return applyLotVerified({ gatewayId, receiptId, eventId: event.id, at: new Date(event.ts), evidence: event.evidence });
      }
      case 'lot.condition': {
        const receiptId = event.lotId === undefined ? undefined : receipts.get(event.lotId);
        if (receiptId === undefined) return;
        return applyLotCondition({ gatewayId, receiptId, eventId: event.id, at: new Date(event.ts), evidence: event.evidence });
      }
      case 'tags.foreign':
        await detectForeign({ gatewayId, site, eventId: event.id, at: event.ts, evidence: event.evidence });
        return;
      default:
        return;
    }
  }

  return async function onGatewayEvents({ gatewayId, site, events }: CloudDomainEvents['gateway.events']): Promise<void> {
    const verifiedLots = events.flatMap((e) => ((e.type === 'lot.verified' || e.type === 'lot.condition') && e.lotId !== undefined ? [e.lotId] : []));
    let receipts: ReadonlyMap<string, string>;
    try {
      receipts = await activeReceiptsOfLots(deps.prisma, site, verifiedLots);
    } catch (error) {
      deps.log.error({ err: error, gatewayId, lots: verifiedLots.length }, 'collateral could not look up the receipts of verified lots');
      receipts = new Map();
    }
    for (const event of events) {
      try {
        await apply(gatewayId, site, event, receipts);
      } catch (error) {
        deps.log.error({ err: error, eventId: event.id, type: event.type }, 'collateral could not apply a gateway event');
      }
    }
  };
}
