import { citedAttachments, type VerificationEvent } from '../../protocol/index.ts';
import { maxSeverity, type CaseSeverity } from './case-sla.ts';
import type { CaseTrigger, EvidenceLink } from './case-trigger.ts';

/**
 * Special (event-triggered) monitoring: which verified gateway events need a person.
 * Warnings and criticals of these types open (or feed) a case; everything else is
 * routine and shows up in the daily report instead. `tags.foreign` is not here: goods
 * seen at the wrong site matter when they are pledged elsewhere, which collateral
 * announces as 'pledged_epc_elsewhere' (pledged-elsewhere-rule.ts).
 */
const RULES: Readonly<Record<string, (event: VerificationEvent) => Omit<CaseTrigger, 'source' | 'siteId' | 'lotId' | 'gatewayId' | 'at' | 'evidence' | 'detail'> | null>> = {
  'tags.missing': (e) => ({ kind: 'tags.missing', severity: notInfo(e.severity), title: `${countOf(e.evidence) ?? 'Some'} tag(s) missing${lotPart(e)}` }),
  'camera.tamper': (e) => ({ kind: 'camera.tamper', severity: notInfo(e.severity), title: `Camera ${text(e.evidence.device) ?? ''} ${text(e.evidence.kind) ?? 'tampered'}${zonePart(e)}`.replace(/\s+/g, ' ') }),
  'audio.anomaly': (e) => ({ kind: 'audio.anomaly', severity: notInfo(e.severity), title: `Sound of ${text(e.evidence.label) ?? 'something unusual'}${zonePart(e)}` }),
  'device.offline': (e) => ({ kind: 'device.offline', severity: notInfo(e.severity), title: `Device ${text(e.evidence.device) ?? ''} offline`.replace(/\s+/g, ' ') }),
  'lot.state': (e) => {
    const state = e.evidence.state;
    if (state !== 'suspect' && state !== 'breached') return null;
    // The state itself says how bad it is, whatever severity the gateway attached.
    const severity = maxSeverity(notInfo(e.severity), state === 'breached' ? 'critical' : 'warning');
    return { kind: 'lot.state', severity, title: `Lot ${e.lotId ?? ''} ${state}`.replace(/\s+/g, ' ') };
  },
};

export function triggerFromEvent(event: VerificationEvent): CaseTrigger | null {
  const rule = RULES[event.type];
  if (rule === undefined) return null;
  if (event.severity === 'info' && event.type !== 'lot.state') return null;
  const decided = rule(event);
  if (decided === null) return null;
  return {
    ...decided,
    source: 'gateway',
    siteId: event.site,
    lotId: event.lotId ?? null,
    gatewayId: event.gatewayId,
    at: new Date(event.ts),
    detail: { eventType: event.type, zone: event.zone ?? null, evidence: event.evidence },
    evidence: [{ kind: 'event', ref: event.id }, ...mediaLinks(event.evidence)],
  };
}

// An info event of a listed type has nothing to investigate, so only warning and
// critical reach here; this keeps the type narrow.
function notInfo(severity: VerificationEvent['severity']): CaseSeverity {
  return severity === 'info' ? 'warning' : severity;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function countOf(evidence: Record<string, unknown>): number | undefined {
  for (const key of ['count', 'missing']) {
    const value = evidence[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return Array.isArray(evidence.tags) ? evidence.tags.length : undefined;
}

const lotPart = (e: VerificationEvent): string => (e.lotId ? ` from lot ${e.lotId}` : '');
const zonePart = (e: VerificationEvent): string => (e.zone ? ` in zone ${e.zone}` : '');

/**
 * Media the gateway cites: `attachments` (PROTOCOL.md, by hash: `sha256:<hex>`, which the
 * dashboard shows inline from GET /api/v1/attachments/{sha256}), and the older
 * `crop`/`crops` (camera crops) and `clip`/`clips` (audio clips), each a reference string
 * or an object with `ref` or `url`.
 */
export function mediaLinks(evidence: Record<string, unknown>): EvidenceLink[] {
  const refs = (value: unknown): string[] => {
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return list.flatMap((item) => {
      if (typeof item === 'string' && item.length > 0 && item.length <= 2048) return [item];
      const obj = item as { ref?: unknown; url?: unknown } | null;
      const ref = typeof obj?.ref === 'string' ? obj.ref : typeof obj?.url === 'string' ? obj.url : undefined;
      return ref !== undefined && ref.length > 0 && ref.length <= 2048 ? [ref] : [];
    });
  };
  return [
    ...citedAttachments(evidence).map((a) => ({ kind: a.mediaType.startsWith('audio/') ? ('audio_clip' as const) : ('camera_crop' as const), ref: `sha256:${a.sha256}` })),
    ...[...refs(evidence.crop), ...refs(evidence.crops)].map((ref) => ({ kind: 'camera_crop' as const, ref })),
    ...[...refs(evidence.clip), ...refs(evidence.clips)].map((ref) => ({ kind: 'audio_clip' as const, ref })),
  ];
}
