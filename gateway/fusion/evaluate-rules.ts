import type { EvidenceItem, EvidenceKind } from './evidence.ts';
import { conditionKinds, signalMatches, type FusionRule } from './fusion-rule.ts';
import type { LotState } from './lot-state.ts';

/** What the evidence says about a lot now: the first matching rule, or verified when none matches. */
export interface Verdict {
  state: LotState;
  rule: FusionRule | undefined;
  /** The findings that satisfy the rule's conditions (all of them, not one per kind). */
  findings: EvidenceItem[];
  /** The evidence kinds that agree. */
  kinds: EvidenceKind[];
}

export const ALL_CLEAR = 'all-clear';

export function ruleIdOf(verdict: Verdict): string {
  return verdict.rule?.id ?? ALL_CLEAR;
}

function match(rule: FusionRule, findings: readonly EvidenceItem[]): EvidenceItem[] | undefined {
  const matched: EvidenceItem[] = [];
  for (const kind of conditionKinds(rule)) {
    const wanted = rule.when[kind];
    const ofKind = findings.filter((f) => f.kind === kind && wanted !== undefined && signalMatches(wanted, f.signal));
    if (ofKind.length === 0) return undefined;
    matched.push(...ofKind);
  }
  if (rule.when.atNight === true && !matched.some((f) => f.atNight)) return undefined;
  return matched;
}

/** `rules` ordered worst state first (orderRules). Pure. */
export function evaluateRules(rules: readonly FusionRule[], findings: readonly EvidenceItem[]): Verdict {
  for (const rule of rules) {
    const matched = match(rule, findings);
    if (matched !== undefined) return { state: rule.then, rule, findings: matched, kinds: conditionKinds(rule) };
  }
  return { state: 'verified', rule: undefined, findings: [], kinds: [] };
}
