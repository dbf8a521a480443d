import { EVIDENCE_KINDS, type EvidenceItem, type EvidenceKind } from './evidence.ts';
import type { LotStatus } from './lot-decision.ts';
import type { LotState } from './lot-state.ts';
import { unique } from './verdict-reason.ts';

/** One evidence kind's current findings for a lot; `clear` when there are none. */
export type KindSummary = {
  clear: boolean;
  signals: string[];
  notes: string[];
  events: string[];
  /** When the oldest current finding was first observed. */
  since: string | null;
};

/**
 * The retained payload of `wh/{site}/gateway/lots/{lotId}` and an item of the local API's
 * lot list. A type alias (not an interface) so it is a plain JSON record to publishers.
 */
export type LotStateView = {
  lotId: string;
  zone: string;
  state: LotState;
  since: string;
  rule: string;
  reason: string;
  cites: string[];
  kinds: EvidenceKind[];
  updatedAt: string;
  evidence: Record<EvidenceKind, KindSummary>;
};

function summarise(findings: readonly EvidenceItem[]): KindSummary {
  if (findings.length === 0) return { clear: true, signals: [], notes: [], events: [], since: null };
  return {
    clear: false,
    signals: unique(findings.map((f) => f.signal)).sort(),
    notes: unique(findings.map((f) => f.summary)),
    events: unique(findings.flatMap((f) => f.eventIds)),
    since: new Date(Math.min(...findings.map((f) => f.firstAt))).toISOString(),
  };
}

export function buildLotView(lot: { lotId: string; zone: string }, status: LotStatus, findings: readonly EvidenceItem[], updatedAt: Date): LotStateView {
  const evidence = Object.fromEntries(EVIDENCE_KINDS.map((kind) => [kind, summarise(findings.filter((f) => f.kind === kind))])) as Record<
    EvidenceKind,
    KindSummary
  >;
  return {
    lotId: lot.lotId,
    zone: lot.zone,
    state: status.state,
    since: new Date(status.since).toISOString(),
    rule: status.rule,
    reason: status.reason,
    cites: status.cites,
    kinds: status.kinds,
    updatedAt: updatedAt.toISOString(),
    evidence,
  };
}

/** What makes two views different enough to publish again (everything but `updatedAt`). */
export function viewKey(view: LotStateView): string {
  return JSON.stringify({ ...view, updatedAt: undefined });
}
