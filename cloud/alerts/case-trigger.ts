import type { CaseSeverity } from './case-sla.ts';

export const EVIDENCE_KINDS = ['event', 'camera_crop', 'audio_clip', 'document'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface EvidenceLink {
  kind: EvidenceKind;
  /** An event id, a media URL or path, a document reference. */
  ref: string;
  note?: string | undefined;
}

export const CASE_SOURCES = ['gateway', 'ingestion', 'collateral', 'inspection', 'manual', 'credit'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** Whatever asks for a case: a gateway event, a chain anomaly, an inspection, a person. */
export interface CaseTrigger {
  kind: string;
  title: string;
  severity: CaseSeverity;
  source: CaseSource;
  siteId: string | null;
  lotId: string | null;
  gatewayId: string | null;
  /** When the triggering thing happened (event time), not when it reached us. */
  at: Date;
  detail: Record<string, unknown>;
  evidence: EvidenceLink[];
  /** Tenants that see the case besides those with a stake in the site or lot. */
  extraTenants?: readonly string[];
  /**
   * A matter of one tenant only (a bank's own missed inspection): only `extraTenants`
   * see it, and its dedup key is theirs, so other stakeholders learn nothing of it.
   */
  private?: boolean;
  /** How many occurrences this trigger stands for (several events of one batch merged); 1 when absent. */
  occurrences?: number;
  /** What the case is about when it is neither a site nor a lot (a facility, a price series, a gateway): part of the dedup key. */
  subject?: string;
}

/**
 * One unresolved case per site, lot and kind (issue 8): further triggers with the same
 * key attach to it as evidence instead of opening another.
 */
export function dedupKey(trigger: Pick<CaseTrigger, 'siteId' | 'lotId' | 'kind' | 'private' | 'extraTenants' | 'subject'>): string {
  const key = `${trigger.siteId ?? '-'}|${trigger.lotId ?? '-'}|${trigger.kind}${trigger.subject === undefined ? '' : `|${trigger.subject}`}`;
  return trigger.private ? `${key}|${[...(trigger.extraTenants ?? [])].sort().join(',')}` : key;
}

/**
 * Merges the triggers of one batch that would land on the same case: one transaction per
 * case instead of one per event, so a storm of warnings from one lot stays cheap. The
 * first trigger's title and detail win; severity, time, evidence and count accumulate.
 */
export function mergeByCase(triggers: readonly CaseTrigger[]): CaseTrigger[] {
  const merged = new Map<string, CaseTrigger>();
  const rank = { info: 0, warning: 1, critical: 2 } as const;
  for (const t of triggers) {
    const key = dedupKey(t);
    const seen = merged.get(key);
    if (seen === undefined) {
      merged.set(key, { ...t, evidence: [...t.evidence], occurrences: t.occurrences ?? 1 });
      continue;
    }
    merged.set(key, {
      ...seen,
      severity: rank[t.severity] > rank[seen.severity] ? t.severity : seen.severity,
      at: t.at > seen.at ? t.at : seen.at,
      evidence: [...seen.evidence, ...t.evidence],
      extraTenants: [...new Set([...(seen.extraTenants ?? []), ...(t.extraTenants ?? [])])],
      occurrences: (seen.occurrences ?? 1) + (t.occurrences ?? 1),
    });
  }
  return [...merged.values()];
}
