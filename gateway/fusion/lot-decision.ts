import type { EvidenceKind } from './evidence.ts';
import { ruleIdOf, type Verdict } from './evaluate-rules.ts';
import { STATE_RANK, type LotState } from './lot-state.ts';
import { reasonFor, unique, type ClearNote } from './verdict-reason.ts';

/** What fusion holds about one lot between events. Plain data; `decide` is its only writer. */
export interface LotStatus {
  state: LotState;
  since: number;
  rule: string;
  reason: string;
  cites: string[];
  kinds: EvidenceKind[];
  /** When the evidence first pointed to a better state; the dwell runs from here. */
  betterSince: number | null;
  /** Findings this verdict keeps from expiring (FusionRule.holdUntilCleared). */
  held: ReadonlySet<string>;
  /** Clearing events since the last change, which a move to a better state cites. */
  clearedBy: ClearNote[];
}

export interface StateChange {
  previous: LotState;
  state: LotState;
}

export interface Decision {
  status: LotStatus;
  change: StateChange | undefined;
}

export function initialStatus(at: number): LotStatus {
  return {
    state: 'verified',
    since: at,
    rule: 'all-clear',
    reason: 'No active evidence against the lot',
    cites: [],
    kinds: [],
    betterSince: null,
    held: new Set(),
    clearedBy: [],
  };
}

export function withClearing(status: LotStatus, note: ClearNote): LotStatus {
  if (status.clearedBy.some((c) => c.eventId === note.eventId)) return status;
  return { ...status, clearedBy: [...status.clearedBy, note] };
}

function citesOf(verdict: Verdict): string[] {
  return unique(verdict.findings.flatMap((f) => f.eventIds));
}

function heldBy(verdict: Verdict): string[] {
  return verdict.rule?.holdUntilCleared === true ? verdict.findings.map((f) => f.id) : [];
}

/**
 * The lot's next status given what the evidence says now. A worse state applies at once;
 * a better one only once the evidence has said so for `dwellMs` without a break. The
 * same state keeps its `since` and only refreshes what it cites when there is something
 * new to cite. Pure.
 */
export function decide(current: LotStatus, verdict: Verdict, at: number, dwellMs: number): Decision {
  const target = verdict.state;
  if (target === current.state) {
    const held = new Set([...current.held, ...heldBy(verdict)]);
    const cites = citesOf(verdict);
    // Nothing new to cite: keep what the change said (including what cleared the worse
    // state before it), so repeated findings do not churn the retained view.
    if (ruleIdOf(verdict) === current.rule && cites.every((id) => current.cites.includes(id))) {
      return { status: { ...current, betterSince: null, held }, change: undefined };
    }
    const status: LotStatus = {
      ...current,
      rule: ruleIdOf(verdict),
      reason: reasonFor(verdict, []),
      cites,
      kinds: verdict.kinds,
      betterSince: null,
      held,
    };
    return { status, change: undefined };
  }
  const better = STATE_RANK[target] < STATE_RANK[current.state];
  if (better) {
    const betterSince = current.betterSince ?? at;
    if (at - betterSince < dwellMs) return { status: { ...current, betterSince }, change: undefined };
  }
  // A recovery cites what cleared the old findings as well as what still stands.
  const clearing = better ? current.clearedBy : [];
  const status: LotStatus = {
    state: target,
    since: at,
    rule: ruleIdOf(verdict),
    reason: reasonFor(verdict, clearing),
    cites: unique([...citesOf(verdict), ...clearing.map((c) => c.eventId)]),
    kinds: verdict.kinds,
    betterSince: null,
    held: new Set(heldBy(verdict)),
    clearedBy: [],
  };
  return { status, change: { previous: current.state, state: target } };
}
