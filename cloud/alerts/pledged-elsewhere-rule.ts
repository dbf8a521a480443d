import type { CloudDomainEvents } from '../domain-events/domain-event-bus.ts';
import type { CaseTrigger, EvidenceLink } from './case-trigger.ts';

/**
 * Goods pledged at one warehouse seen at another (collateral.changed with reason
 * 'pledged_epc_elsewhere', one per receipt): moved without the bank's consent, or the
 * same goods pledged twice under another identity. The case is about the lot the
 * receipt stands for, and the bank holding it sees it even before the lookup would.
 */
export function triggerFromCollateralChange(change: CloudDomainEvents['collateral.changed'], now: Date): CaseTrigger | null {
  if (change.reason !== 'pledged_epc_elsewhere') return null;
  const d = change.detail;
  const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
  const site = str(d.receiptSite);
  const seenAt = str(d.seenAtSite) ?? 'another site';
  const epcs = Array.isArray(d.epcs) ? d.epcs.filter((e): e is string => typeof e === 'string') : [];
  const eventId = str(d.eventId);
  const evidence: EvidenceLink[] = eventId ? [{ kind: 'event', ref: eventId, note: `seen at ${seenAt}` }] : [];
  const at = str(d.at);
  return {
    kind: 'pledged_epc_elsewhere',
    title: `${epcs.length} item(s) of receipt ${str(d.receiptNumber) ?? change.receiptId ?? ''} seen at ${seenAt}`.replace(/\s+/g, ' '),
    severity: 'critical',
    source: 'collateral',
    siteId: site,
    lotId: str(d.lotId),
    gatewayId: str(d.gatewayId),
    at: at !== null && !Number.isNaN(Date.parse(at)) ? new Date(at) : now,
    detail: { receiptId: change.receiptId, facilityId: change.facilityId, ...d },
    evidence,
    extraTenants: [change.tenantId],
  };
}
