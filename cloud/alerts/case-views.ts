import { Type, type Static } from 'typebox';
import type { AlertCase, CaseComment, CaseEvidence } from '../db/generated/client.ts';
import { NullableString, NullableTimestamp, Quantity, Timestamp, Uuid } from '../monitoring/wire.ts';
import { CASE_SEVERITIES, isOverdue } from './case-sla.ts';
import { CASE_STATUSES } from './case-state.ts';
import { FINDING_KINDS, type FindingKind } from './case-finding.ts';
import { CASE_SOURCES, EVIDENCE_KINDS } from './case-trigger.ts';

export const FindingView = Type.Object({ kind: Type.Enum([...FINDING_KINDS]), quantity: Type.Optional(Quantity) });

export const CaseView = Type.Object({
  id: Uuid,
  reference: Type.String({ description: 'short reference, C-<number>' }),
  kind: Type.String({ description: 'what triggered it, e.g. tags.missing, lot.state, chain.gap, ingest.forgery, inspection.variance' }),
  title: Type.String(),
  severity: Type.Enum([...CASE_SEVERITIES]),
  status: Type.Enum([...CASE_STATUSES]),
  source: Type.Enum([...CASE_SOURCES]),
  site: NullableString,
  lotId: NullableString,
  gatewayId: NullableString,
  detail: Type.Record(Type.String(), Type.Unknown()),
  occurrences: Type.Integer({ description: 'triggers this case absorbed (one open case per site, lot and kind)' }),
  assigneeId: Type.Union([Uuid, Type.Null()]),
  finding: Type.Union([FindingView, Type.Null()]),
  resolutionNote: NullableString,
  escalationLevel: Type.Integer(),
  overdue: Type.Boolean(),
  dueAt: NullableTimestamp,
  openedAt: Timestamp,
  openedBy: Type.String(),
  lastEventAt: NullableTimestamp,
  acknowledgedAt: NullableTimestamp,
  investigatingAt: NullableTimestamp,
  resolvedAt: NullableTimestamp,
  resolvedBy: NullableString,
  escalatedAt: NullableTimestamp,
  updatedAt: Timestamp,
  version: Type.Integer(),
});
export type CaseView = Static<typeof CaseView>;

export const PhotoView = Type.Object({
  id: Uuid,
  mediaType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  at: Timestamp,
  url: Type.String({ description: 'GET with the bearer token; 404 to whoever may not see the case' }),
});
export type PhotoView = Static<typeof PhotoView>;
export const CommentView = Type.Object({ id: Uuid, author: Type.String(), authorEmail: NullableString, body: Type.String(), at: Timestamp, photos: Type.Array(PhotoView) });
export const EvidenceView = Type.Object({ id: Uuid, kind: Type.Enum([...EVIDENCE_KINDS]), ref: Type.String(), note: NullableString, addedBy: Type.String(), at: Timestamp });

export const CaseDetailView = Type.Intersect([
  CaseView,
  Type.Object({ comments: Type.Array(CommentView), evidence: Type.Array(EvidenceView) }),
]);
export type CaseDetailView = Static<typeof CaseDetailView>;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function caseView(row: AlertCase, now: Date): CaseView {
  return {
    id: row.id,
    reference: `C-${row.number}`,
    kind: row.kind,
    title: row.title,
    severity: row.severity as CaseView['severity'],
    status: row.status as CaseView['status'],
    source: row.source as CaseView['source'],
    site: row.siteId,
    lotId: row.lotId,
    gatewayId: row.gatewayId,
    detail: (row.detail ?? {}) as Record<string, unknown>,
    occurrences: row.occurrences,
    assigneeId: row.assigneeId,
    finding:
      row.finding === null
        ? null
        : row.finding === 'confirmed_loss' && row.lossQuantity !== null && row.lossUnit !== null
          ? { kind: 'confirmed_loss', quantity: { value: row.lossQuantity.toFixed(), unit: row.lossUnit } }
          : { kind: row.finding as FindingKind },
    resolutionNote: row.resolutionNote,
    escalationLevel: row.escalationLevel,
    overdue: row.status !== 'resolved' && isOverdue(row.dueAt, now),
    dueAt: iso(row.dueAt),
    openedAt: row.openedAt.toISOString(),
    openedBy: row.openedBy,
    lastEventAt: iso(row.lastEventAt),
    acknowledgedAt: iso(row.acknowledgedAt),
    investigatingAt: iso(row.investigatingAt),
    resolvedAt: iso(row.resolvedAt),
    resolvedBy: row.resolvedBy,
    escalatedAt: iso(row.escalatedAt),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

export function photoView(photo: { id: string; mediaType: string; sizeBytes: number; sha256: string; at: string }): PhotoView {
  return { id: photo.id, mediaType: photo.mediaType, sizeBytes: photo.sizeBytes, sha256: photo.sha256, at: photo.at, url: `/api/v1/case-photos/${photo.id}` };
}

export function commentView(row: CaseComment, photos: readonly PhotoView[] = []): Static<typeof CommentView> {
  return { id: row.id, author: row.author, authorEmail: row.authorEmail, body: row.body, at: row.at.toISOString(), photos: [...photos] };
}

export function evidenceView(row: CaseEvidence): Static<typeof EvidenceView> {
  return { id: row.id, kind: row.kind as (typeof EVIDENCE_KINDS)[number], ref: row.ref, note: row.note, addedBy: row.addedBy, at: row.at.toISOString() };
}

/** The fields an audit entry records before and after a change of a case. */
export function caseSnapshot(row: AlertCase): Record<string, unknown> {
  return {
    status: row.status,
    severity: row.severity,
    assigneeId: row.assigneeId,
    finding: row.finding,
    lossQuantity: row.lossQuantity?.toFixed() ?? null,
    lossUnit: row.lossUnit,
    escalationLevel: row.escalationLevel,
    dueAt: iso(row.dueAt),
    occurrences: row.occurrences,
  };
}
