import type { CaseSeverity } from '../alerts/case-sla.ts';

/** Rule ids; each is also the kind of the case it opens. */
export const RULE_IDS = [
  'market.price_move',
  'market.volatility_jump',
  'market.stale_price',
  'facility.ltv',
  'facility.watch_list',
  'watchdog.gateway_silent',
  'watchdog.lot_unverified',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/**
 * What one rule concluded about one subject: its level ('clear' when the condition is
 * absent) and the numbers behind it, which the case carries.
 */
export interface Finding {
  readonly rule: RuleId;
  /** 'series:copper/USD', 'facility:<uuid>'. */
  readonly subject: string;
  readonly level: string;
  readonly severity: CaseSeverity | null;
  readonly title: string;
  readonly numbers: Readonly<Record<string, string | number | null>>;
}

export const CLEAR = 'clear';

export function isRaised(finding: Finding): boolean {
  return finding.level !== CLEAR;
}
