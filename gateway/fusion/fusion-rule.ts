import { EVIDENCE_KINDS, type EvidenceKind } from './evidence.ts';
import { LOT_STATES, STATE_RANK, type LotState } from './lot-state.ts';

/** One signal, several (any of them), or `'any'` (every signal of the kind). */
export type SignalMatch = string | readonly string[];

/**
 * Conditions over the lot's current evidence. Every kind named must have at least one
 * active finding with a matching signal; kinds not named do not matter.
 */
export type RuleConditions = { readonly [K in EvidenceKind]?: SignalMatch } & {
  /** At least one of the matching findings was observed during the site's night hours. */
  readonly atNight?: true;
};

export interface FusionRule {
  readonly id: string;
  /** What a bank's risk officer reads: the situation in one sentence. */
  readonly description: string;
  readonly when: RuleConditions;
  readonly then: Exclude<LotState, 'verified'>;
  /**
   * The findings behind this verdict stop expiring while the lot is in this state: only
   * a clearing event (complete RFID count, camera restored, device back) ends it. A
   * breach must not fade because an engine stopped running.
   */
  readonly holdUntilCleared?: boolean;
}

export class FusionRuleError extends Error {
  override readonly name = 'FusionRuleError';
}

export function conditionKinds(rule: FusionRule): EvidenceKind[] {
  return EVIDENCE_KINDS.filter((kind) => rule.when[kind] !== undefined);
}

/** Checked once at start: a rule that can never match, or two rules with one id, is a configuration error. */
export function validateRules(rules: readonly FusionRule[]): readonly FusionRule[] {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (!rule.id) throw new FusionRuleError('fusion rule without an id');
    // The id travels in `lot.state` evidence, which bounds it (protocol/evidence).
    if (rule.id.length > 128) throw new FusionRuleError(`fusion rule ${rule.id.slice(0, 40)}…: id longer than 128 characters`);
    if (ids.has(rule.id)) throw new FusionRuleError(`fusion rule ${rule.id} is defined twice`);
    ids.add(rule.id);
    // Rules may come from configuration, where the type does not hold.
    if (!(LOT_STATES as readonly string[]).filter((s) => s !== 'verified').includes(rule.then)) {
      throw new FusionRuleError(`fusion rule ${rule.id}: then must be degraded, suspect or breached`);
    }
    const kinds = conditionKinds(rule);
    if (kinds.length === 0) throw new FusionRuleError(`fusion rule ${rule.id}: names no evidence kind`);
    for (const kind of kinds) {
      const match = rule.when[kind];
      if (Array.isArray(match) && match.length === 0) throw new FusionRuleError(`fusion rule ${rule.id}: ${kind} lists no signal`);
    }
    const unknown = Object.keys(rule.when).filter((k) => k !== 'atNight' && !(EVIDENCE_KINDS as readonly string[]).includes(k));
    if (unknown.length > 0) throw new FusionRuleError(`fusion rule ${rule.id}: unknown evidence kind ${unknown.join(', ')}`);
  }
  return rules;
}

/** Worst state first, the given order within a state: the first rule that matches decides. */
export function orderRules(rules: readonly FusionRule[]): readonly FusionRule[] {
  return [...rules].sort((a, b) => STATE_RANK[b.then] - STATE_RANK[a.then]);
}

export function signalMatches(match: SignalMatch, signal: string): boolean {
  if (match === 'any') return true;
  return typeof match === 'string' ? match === signal : match.includes(signal);
}
