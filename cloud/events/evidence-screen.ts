import { typedEvent, type IngestReply, type TypedVerificationEvent, type VerificationEvent } from '../../protocol/index.ts';

export type InvalidEvidence = IngestReply['invalidEvidence'][number];

export interface EvidenceScreen {
  /** Events whose evidence fits their type: the only ones applied to cases, lot states and reports. */
  typed: TypedVerificationEvent[];
  /** The others, in chain order: stored and chained all the same, marked with their error. */
  invalid: Array<InvalidEvidence & { type: VerificationEvent['type'] }>;
}

/**
 * Splits authentic events by whether their evidence fits their type's schema
 * (protocol/evidence). Wrong evidence is a gateway bug, not an attack: the event is
 * signed and chained, so it is kept (the chain must verify over it) but never read.
 */
export function screenEvidence(events: readonly VerificationEvent[]): EvidenceScreen {
  const screen: EvidenceScreen = { typed: [], invalid: [] };
  for (const event of events) {
    const checked = typedEvent(event);
    if (checked.ok) screen.typed.push(checked.value);
    else screen.invalid.push({ id: event.id, seq: event.seq, type: event.type, message: checked.error.slice(0, 1000) });
  }
  return screen;
}
