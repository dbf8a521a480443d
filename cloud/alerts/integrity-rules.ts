import type { CaseTrigger, EvidenceLink } from './case-trigger.ts';

/**
 * A gateway's chain telling on itself: events that never arrived (gap), a history that
 * forked (break), or events refused at ingestion (forged signature or hash, a replayed
 * seq, another gateway's identity). Each is an alert of its own (issue 8), critical,
 * because it is exactly what someone hiding a removal would produce. The anomaly comes
 * from ingestion on the bus ('gateway.chain_anomaly'), as loosely typed data.
 */
export function triggerFromAnomaly(input: { gatewayId: string; site: string; anomaly: Record<string, unknown>; at: Date }): CaseTrigger | null {
  const { anomaly, gatewayId, site } = input;
  const base = { source: 'ingestion' as const, severity: 'critical' as const, siteId: site, lotId: null, gatewayId, at: input.at, detail: { gatewayId, anomaly } };
  switch (anomaly.kind) {
    case 'gap': {
      const evidence: EvidenceLink[] = typeof anomaly.resumedAt === 'string' ? [{ kind: 'event', ref: anomaly.resumedAt, note: `first event after missing ${String(anomaly.from)}–${String(anomaly.to)}` }] : [];
      return { ...base, kind: 'chain.gap', title: `Events ${String(anomaly.from)}–${String(anomaly.to)} of gateway ${gatewayId} never arrived`, evidence };
    }
    case 'break': {
      const evidence: EvidenceLink[] = typeof anomaly.id === 'string' ? [{ kind: 'event', ref: anomaly.id, note: `seq ${String(anomaly.seq)} does not continue the chain` }] : [];
      return { ...base, kind: 'chain.break', title: `Event chain of gateway ${gatewayId} broken at seq ${String(anomaly.seq)}`, evidence };
    }
    case 'gap_filled': {
      // A late event that links both ways only narrows a gap (noted on its case, gap-fill.ts);
      // one that does not link is a second history for a seq, as serious as a break.
      if (anomaly.linked === true) return null;
      const evidence: EvidenceLink[] = typeof anomaly.id === 'string' ? [{ kind: 'event', ref: anomaly.id, note: `late seq ${String(anomaly.seq)} does not link to its stored neighbours` }] : [];
      return { ...base, kind: 'chain.break', title: `Late event seq ${String(anomaly.seq)} of gateway ${gatewayId} does not fit the stored chain`, evidence };
    }
    case 'rejected': {
      const cls = anomaly.class === 'replay' || anomaly.class === 'foreign' ? anomaly.class : 'forgery';
      const ids = Array.isArray(anomaly.rejectionIds) ? anomaly.rejectionIds.filter((id): id is string => typeof id === 'string') : [];
      const count = typeof anomaly.count === 'number' ? anomaly.count : ids.length;
      const what = { forgery: 'forged or altered', replay: 'replayed', foreign: "another gateway's" }[cls];
      return {
        ...base,
        kind: `ingest.${cls}`,
        title: `${count} ${what} event(s) refused from gateway ${gatewayId}`,
        evidence: ids.map((id) => ({ kind: 'document' as const, ref: `ingest-rejection:${id}`, note: 'refused event as received' })),
      };
    }
    case 'attachment_tampered': {
      // The bytes uploaded for a signed event's attachment are not those it names: altered at the gateway or on the way.
      const sha256 = typeof anomaly.sha256 === 'string' ? anomaly.sha256 : 'unknown';
      return {
        ...base,
        kind: 'ingest.forgery',
        title: `Attachment ${sha256.slice(0, 12)}… uploaded by gateway ${gatewayId} does not match its signed hash`,
        evidence: [{ kind: 'document' as const, ref: `attachment:${sha256}`, note: `received bytes hash to ${String(anomaly.received)}` }],
      };
    }
    case 'invalid_evidence': {
      // Authentic, chained events the cloud cannot read: the gateway's drafting is broken
      // and what it saw is lost to the bank until it is fixed. A gateway bug, not an attack.
      const events = Array.isArray(anomaly.events) ? anomaly.events.filter((e): e is { id: string; seq: unknown; message: unknown } => typeof (e as { id?: unknown } | null)?.id === 'string') : [];
      const count = typeof anomaly.count === 'number' ? anomaly.count : events.length;
      return {
        ...base,
        severity: 'warning',
        kind: 'ingest.invalid_evidence',
        title: `${count} event(s) from gateway ${gatewayId} stored with evidence that does not fit their type`,
        evidence: events.map((e) => ({ kind: 'event' as const, ref: e.id, note: String(e.message).slice(0, 500) })),
      };
    }
    default:
      return null;
  }
}
