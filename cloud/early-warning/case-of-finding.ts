import type { CaseSource, CaseTrigger } from '../alerts/case-trigger.ts';
import type { Finding } from './finding.ts';

/** Where a finding's case belongs besides its subject. */
export interface FindingScope {
  readonly tenants: readonly string[];
  readonly source: CaseSource;
  readonly siteId?: string | null;
  readonly lotId?: string | null;
  readonly gatewayId?: string | null;
  /** The case resolves by itself when the condition clears (a gateway back, a price arriving again). */
  readonly clearsItself?: boolean;
}

// Each LTV level is a case of its own kind: the margin call is a different conversation
// with the borrower than the warning that came before it.
const LTV_KIND: Readonly<Record<string, string>> = { warning: 'facility.ltv_warning', 'margin-call': 'facility.margin_call', liquidation: 'facility.liquidation' };

export function caseKindOf(finding: Finding): string {
  return finding.rule === 'facility.ltv' ? (LTV_KIND[finding.level] ?? 'facility.ltv') : finding.rule;
}

/** The case a raised finding opens (or joins), carrying the numbers that triggered it. */
export function triggerOf(finding: Finding, scope: FindingScope, at: Date): CaseTrigger {
  return {
    kind: caseKindOf(finding),
    title: finding.title,
    severity: finding.severity ?? 'warning',
    source: scope.source,
    siteId: scope.siteId ?? null,
    lotId: scope.lotId ?? null,
    gatewayId: scope.gatewayId ?? null,
    at,
    detail: { subject: finding.subject, rule: finding.rule, level: finding.level, numbers: finding.numbers },
    evidence: [],
    extraTenants: scope.tenants,
    subject: finding.subject,
  };
}
