import type { EvidenceOf, Severity, VerificationEventType } from '../../protocol/index.ts';

/** A draft of one event type: its evidence has that type's shape (protocol/evidence). */
export interface DraftOf<T extends VerificationEventType> {
  type: T;
  severity: Severity;
  lotId?: string | undefined;
  zone?: string | undefined;
  evidence: EvidenceOf<T>;
  /** When it happened; defaults to the moment the log seals it. */
  ts?: string | undefined;
}

/** What a stage says happened; the event log gives it identity, order and a signature. */
export type EventDraft = { [T in VerificationEventType]: DraftOf<T> }[VerificationEventType];
