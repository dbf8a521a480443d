import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import type { LiveHub } from '../live/live-hub.ts';
import type { CaseView } from './case-views.ts';

export type CaseChange = 'case.opened' | 'case.updated' | 'case.resolved' | 'case.escalated';

/** Tells the rest of the cloud, after commit, that a case changed. */
export interface CaseNotifier {
  notify(change: CaseChange, view: CaseView, tenants: readonly string[]): void;
}

/**
 * Every change goes to the live stream of the tenants who see the case. Openings and
 * resolutions also go on the domain bus, once per tenant, as the bus payload names one
 * tenant: collateral lifts a bank's freezes on that bank's 'case.resolved'.
 */
export function createCaseNotifier(deps: { bus: DomainEventBus; live: LiveHub }): CaseNotifier {
  return {
    notify(change, view, tenants) {
      deps.live.publish(change, view, tenants);
      for (const tenantId of tenants) {
        if (change === 'case.opened') {
          deps.bus.emit('case.opened', { caseId: view.id, tenantId, site: view.site, lotId: view.lotId, kind: view.kind, severity: view.severity });
        } else if (change === 'case.resolved' && view.finding !== null) {
          deps.bus.emit('case.resolved', { caseId: view.id, tenantId, site: view.site, lotId: view.lotId, finding: view.finding.kind });
        }
      }
    },
  };
}
