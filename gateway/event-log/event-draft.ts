import type { Severity, VerificationEventType } from '../../protocol/index.ts';

/** What a stage says happened; the event log gives it identity, order and a signature. */
export interface EventDraft {
  type: VerificationEventType;
  severity: Severity;
  lotId?: string | undefined;
  zone?: string | undefined;
  evidence: Record<string, unknown>;
  /** When it happened; defaults to the moment the log seals it. */
  ts?: string | undefined;
}
