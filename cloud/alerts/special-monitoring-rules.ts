import type { AttachmentRef, TypedVerificationEvent } from '../../protocol/index.ts';
import { maxSeverity, type CaseSeverity } from './case-sla.ts';
import type { CaseTrigger, EvidenceLink } from './case-trigger.ts';

/**
 * Special (event-triggered) monitoring: which verified gateway events need a person.
 * Warnings and criticals of these types open (or feed) a case; everything else is
 * routine and shows up in the daily report instead. `tags.foreign` is not here: goods
 * seen at the wrong site matter when they are pledged elsewhere, which collateral
 * announces as 'pledged_epc_elsewhere' (pledged-elsewhere-rule.ts).
 */
type EventOf<T extends TypedVerificationEvent['type']> = Extract<TypedVerificationEvent, { type: T }>;
type Decided = Omit<CaseTrigger, 'source' | 'siteId' | 'lotId' | 'gatewayId' | 'at' | 'evidence' | 'detail'> | null;
type CaseRules = { readonly [T in TypedVerificationEvent['type']]?: (event: EventOf<T>) => Decided };

const RULES: CaseRules = {
  'tags.missing': (e) => ({ kind: 'tags.missing', severity: notInfo(e.severity), title: `${e.evidence.count} tag(s) missing${lotPart(e)}` }),
  'camera.tamper': (e) => ({ kind: 'camera.tamper', severity: notInfo(e.severity), title: `Camera ${e.evidence.device} ${e.evidence.kind}${zonePart(e)}` }),
  'audio.anomaly': (e) => ({ kind: 'audio.anomaly', severity: notInfo(e.severity), title: `Sound of ${e.evidence.label === 'unknown' ? 'something unusual' : e.evidence.label}${zonePart(e)}` }),
  'device.offline': (e) => ({ kind: 'device.offline', severity: notInfo(e.severity), title: `Device ${e.evidence.device} offline` }),
  'lot.state': (e) => {
    const state = e.evidence.state;
    if (state !== 'suspect' && state !== 'breached') return null;
    // The state itself says how bad it is, whatever severity the gateway attached.
    const severity = maxSeverity(notInfo(e.severity), state === 'breached' ? 'critical' : 'warning');
    return { kind: 'lot.state', severity, title: `Lot ${e.lotId ?? ''} ${state}`.replace(/\s+/g, ' ') };
  },
};

function decide<T extends TypedVerificationEvent['type']>(event: EventOf<T>): Decided | undefined {
  const rule = RULES[event.type as T] as ((event: EventOf<T>) => Decided) | undefined;
  return rule?.(event);
}

export function triggerFromEvent(event: TypedVerificationEvent): CaseTrigger | null {
  if (event.severity === 'info' && event.type !== 'lot.state') return null;
  const decided = decide(event);
  if (decided === undefined) return null;
  if (decided === null) return null;
  return {
    ...decided,
    source: 'gateway',
    siteId: event.site,
    lotId: event.lotId ?? null,
    gatewayId: event.gatewayId,
    at: new Date(event.ts),
    detail: { eventType: event.type, zone: event.zone ?? null, evidence: event.evidence },
    evidence: [{ kind: 'event', ref: event.id }, ...mediaLinks(event)],
  };
}

// An info event of a listed type has nothing to investigate, so only warning and
// critical reach here; this keeps the type narrow.
function notInfo(severity: TypedVerificationEvent['severity']): CaseSeverity {
  return severity === 'info' ? 'warning' : severity;
}

const lotPart = (e: TypedVerificationEvent): string => (e.lotId ? ` from lot ${e.lotId}` : '');
const zonePart = (e: TypedVerificationEvent): string => (e.zone ? ` in zone ${e.zone}` : '');

/**
 * Binary evidence the event cites (`evidence.attachments`, PROTOCOL.md): camera crops
 * and audio clips, linked by their SHA-256 (served at GET /api/v1/attachments/{sha256}).
 */
export function mediaLinks(event: TypedVerificationEvent): EvidenceLink[] {
  const attachments: readonly AttachmentRef[] =
    event.type === 'camera.tamper' || event.type === 'camera.change' || event.type === 'audio.anomaly' ? (event.evidence.attachments ?? []) : [];
  return attachments.map((a) => ({ kind: a.mediaType.startsWith('audio/') ? ('audio_clip' as const) : ('camera_crop' as const), ref: a.sha256 }));
}
