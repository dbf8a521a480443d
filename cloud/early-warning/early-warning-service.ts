import type { CaseOpener } from '../alerts/case-opener.ts';
import type { CloudDomainEvents } from '../domain-events/domain-event-bus.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { evaluateFacility } from './facility-rules.ts';
import type { FacilityWithTenant, MarketFacts } from './market-facts.ts';
import { evaluateSeries, subjectOfSeries } from './series-rules.ts';
import type { ScopedFinding, SinkOutcome, WarningSink } from './warning-sink.ts';
import type { WarningRules } from './warning-rules.ts';

export interface EarlyWarningDeps {
  readonly prisma: PrismaClient;
  readonly facts: MarketFacts;
  readonly sink: WarningSink;
  readonly raise: CaseOpener;
  readonly rules: () => WarningRules;
  /** Tenants besides the bank that see a facility's cases (its borrower). */
  readonly facilityTenants: (facilityIds: readonly string[]) => Promise<Map<string, string[]>>;
}

export interface EvaluationOutcome extends SinkOutcome {
  readonly facilities: number;
  readonly findings: number;
}

const ACTOR = 'system:early-warning';

/**
 * Evaluates the market rules on a price tick (the series, and every facility holding it)
 * and on a facility's own changes (drawings, repayments, pledges), and opens the cases of
 * a margin call running out and of a freeze.
 */
export function createEarlyWarning(deps: EarlyWarningDeps) {
  async function facilityFindings(facilities: readonly FacilityWithTenant[]): Promise<ScopedFinding[]> {
    const extra = await deps.facilityTenants(facilities.map((f) => f.id));
    return facilities.flatMap((facility) => {
      const tenants = [facility.bankTenantId, ...(extra.get(facility.id) ?? [])];
      return evaluateFacility(facility, deps.rules()).map((finding) => ({ finding, scope: { tenants, source: 'collateral' as const } }));
    });
  }

  async function onPriceRecorded(key: { commodity: string; currency: string }, now: Date): Promise<EvaluationOutcome> {
    const series = await deps.facts.seriesFacts(key.commodity, key.currency, now);
    if (series === undefined) return { raised: 0, cleared: 0, facilities: 0, findings: 0 };
    const facilities = await deps.facts.facilityFacts({ series: key });
    // The banks with collateral in the series are the banks of the facilities holding it.
    const banks = [...new Set(facilities.map((f) => f.bankTenantId))].sort();
    const findings: ScopedFinding[] = evaluateSeries(series, deps.rules()).map((finding) => ({ finding, scope: { tenants: banks, source: 'collateral' } }));
    findings.push(...(await facilityFindings(facilities)));
    const outcome = await deps.sink(findings, now);
    return { ...outcome, facilities: facilities.length, findings: findings.length };
  }

  async function onFacilityChanged(facilityIds: readonly string[], now: Date): Promise<SinkOutcome> {
    const facilities = await deps.facts.facilityFacts({ ids: facilityIds });
    return deps.sink(await facilityFindings(facilities), now);
  }

  /** A margin call expired uncured (drawings frozen, collateral eligible for liquidation), or a freeze hold opened. */
  async function onCreditEvent(change: CloudDomainEvents['collateral.changed'], now: Date): Promise<void> {
    if (change.facilityId === null) return;
    const facility = await deps.prisma.facility.findUnique({ where: { id: change.facilityId } });
    if (facility === null) return;
    const tenants = [facility.bankTenantId, ...((await deps.facilityTenants([facility.id])).get(facility.id) ?? [])];
    const numbers = {
      reference: facility.reference,
      currency: facility.currency,
      outstanding: facility.outstanding.toFixed(),
      lendingValue: facility.lendingValue.toFixed(),
      ltv: facility.ltv?.toFixed() ?? null,
      ...change.detail,
    };
    const base = { source: 'collateral' as const, siteId: null, lotId: null, gatewayId: null, at: now, evidence: [], extraTenants: tenants, subject: `facility:${facility.id}` };
    if (change.reason === 'margin_call.expired') {
      await deps.raise(
        {
          ...base,
          kind: 'facility.margin_call_expired',
          severity: 'critical',
          title: `Margin call on facility ${facility.reference} expired uncured: drawings frozen, collateral eligible for liquidation`,
          detail: { subject: base.subject, numbers },
        },
        ACTOR,
      );
    } else if (change.reason === 'facility.frozen') {
      const opened = Array.isArray(change.detail.opened) ? change.detail.opened : [];
      await deps.raise(
        {
          ...base,
          kind: 'facility.frozen',
          severity: 'critical',
          title: `Facility ${facility.reference} frozen: ${opened.length} new hold(s)`,
          detail: { subject: base.subject, numbers },
        },
        ACTOR,
      );
    }
  }

  return { onPriceRecorded, onFacilityChanged, onCreditEvent, subjectOfSeries };
}

export type EarlyWarning = ReturnType<typeof createEarlyWarning>;
