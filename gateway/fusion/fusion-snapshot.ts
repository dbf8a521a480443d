import { Type, type Static } from 'typebox';
import { compileSchema } from '../../protocol/index.ts';
import { EVIDENCE_KINDS, type EvidenceItem, type Scope } from './evidence.ts';
import type { LotStatus } from './lot-decision.ts';
import { LOT_STATES } from './lot-state.ts';

/**
 * What fusion knows, as plain JSON, so a restarted gateway resumes where it stopped: a
 * breached lot whose finding holds until cleared stays breached, instead of reading
 * verified until the stages report again. Pure; fusion-state-file.ts keeps it on disk.
 */
const LotStatusRecord = Type.Object({
  state: Type.Enum([...LOT_STATES]),
  since: Type.Number(),
  rule: Type.String(),
  reason: Type.String(),
  cites: Type.Array(Type.String()),
  kinds: Type.Array(Type.Enum([...EVIDENCE_KINDS])),
  betterSince: Type.Union([Type.Number(), Type.Null()]),
  held: Type.Array(Type.String()),
  clearedBy: Type.Array(Type.Object({ eventId: Type.String(), summary: Type.String() })),
});

const EvidenceRecord = Type.Object({
  id: Type.String(),
  scope: Type.String({ pattern: '^(lot|zone):' }),
  kind: Type.Enum([...EVIDENCE_KINDS]),
  source: Type.String(),
  signal: Type.String(),
  summary: Type.String(),
  eventIds: Type.Array(Type.String()),
  firstAt: Type.Number(),
  lastAt: Type.Number(),
  expiresAt: Type.Union([Type.Number(), Type.Null()]),
  atNight: Type.Boolean(),
});

export const FusionSnapshot = Type.Object({
  version: Type.Literal(1),
  /** A data directory moved to another site's gateway must not hand it this site's findings. */
  site: Type.String(),
  lots: Type.Array(Type.Object({ lotId: Type.String(), zone: Type.String(), status: LotStatusRecord })),
  evidence: Type.Array(EvidenceRecord),
});
export type FusionSnapshot = Static<typeof FusionSnapshot>;

export const checkFusionSnapshot = compileSchema(FusionSnapshot);

export interface SnapshotLot {
  lotId: string;
  zone: string;
  status: LotStatus;
}

export function takeSnapshot(site: string, lots: Iterable<SnapshotLot>, evidence: Iterable<EvidenceItem>): FusionSnapshot {
  return {
    version: 1,
    site,
    lots: [...lots].map(({ lotId, zone, status }) => ({
      lotId,
      zone,
      status: {
        state: status.state,
        since: status.since,
        rule: status.rule,
        reason: status.reason,
        cites: status.cites,
        kinds: status.kinds,
        betterSince: status.betterSince,
        held: [...status.held].sort(),
        clearedBy: status.clearedBy,
      },
    })),
    evidence: [...evidence],
  };
}

export function restoreSnapshot(snapshot: FusionSnapshot): { lots: SnapshotLot[]; evidence: EvidenceItem[] } {
  return {
    lots: snapshot.lots.map(({ lotId, zone, status }) => ({ lotId, zone, status: { ...status, held: new Set(status.held) } })),
    // The schema checked the `lot:`/`zone:` prefix.
    evidence: snapshot.evidence.map((item) => ({ ...item, scope: item.scope as Scope })),
  };
}
