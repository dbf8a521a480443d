import type { Verdict } from './evaluate-rules.ts';

export interface ClearNote {
  eventId: string;
  summary: string;
}

/** The `reason` sentence of a lot state: the rule's description and what was seen, or what cleared it. */
export function reasonFor(verdict: Verdict, clearedBy: readonly ClearNote[]): string {
  if (verdict.rule === undefined) {
    if (clearedBy.length === 0) return 'No active evidence against the lot';
    return `All evidence clear: ${unique(clearedBy.map((c) => c.summary)).join('; ')}`;
  }
  return `${verdict.rule.description}: ${unique(verdict.findings.map((f) => f.summary)).join('; ')}`;
}

export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
