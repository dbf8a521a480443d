import type { FastifyBaseLogger } from 'fastify';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import type { CaseOpener } from './case-opener.ts';
import type { GapFillNoter } from './gap-fill.ts';
import { mergeByCase, type CaseTrigger } from './case-trigger.ts';
import { triggerFromAnomaly } from './integrity-rules.ts';
import { triggerFromCollateralChange } from './pledged-elsewhere-rule.ts';
import { triggerFromEvent } from './special-monitoring-rules.ts';

const OWNER = 'alerts';
const ACTOR = 'system:special-monitoring';

/**
 * Special monitoring: turns what other domains announce on the bus into cases. Each
 * trigger is raised on its own, so one that fails is logged and the rest still open.
 */
export function startSpecialMonitoring(deps: { bus: DomainEventBus; raise: CaseOpener; noteGapFill: GapFillNoter; log: Pick<FastifyBaseLogger, 'error'>; now: () => Date }): () => void {
  const raiseAll = async (triggers: (CaseTrigger | null)[]): Promise<void> => {
    for (const trigger of triggers) {
      if (trigger === null) continue;
      try {
        await deps.raise(trigger, ACTOR);
      } catch (error) {
        deps.log.error({ err: error, kind: trigger.kind, site: trigger.siteId, lotId: trigger.lotId }, 'could not open or update a case');
      }
    }
  };
  deps.bus.on('gateway.events', OWNER, ({ events }) => raiseAll(mergeByCase(events.map(triggerFromEvent).filter((t) => t !== null))));
  deps.bus.on('gateway.chain_anomaly', OWNER, async ({ gatewayId, site, anomaly }) => {
    if (anomaly.kind === 'gap_filled' && typeof anomaly.seq === 'number' && typeof anomaly.id === 'string') {
      try {
        await deps.noteGapFill({ gatewayId, site, seq: anomaly.seq, id: anomaly.id, linked: anomaly.linked === true }, ACTOR);
      } catch (error) {
        deps.log.error({ err: error, gatewayId, seq: anomaly.seq }, 'could not note a filled gap on its case');
      }
    }
    await raiseAll([triggerFromAnomaly({ gatewayId, site, anomaly, at: deps.now() })]);
  });
  deps.bus.on('collateral.changed', OWNER, (change) => raiseAll([triggerFromCollateralChange(change, deps.now())]));
  return () => deps.bus.removeOwner(OWNER);
}
