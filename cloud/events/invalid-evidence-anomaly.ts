import type { InvalidEvidence } from './evidence-screen.ts';

/** Events named on the case per batch; the count says how many there were. */
const MAX_NAMED = 20;

/**
 * The events of one batch stored with evidence that does not fit their type, as an
 * anomaly of kind 'invalid_evidence' on the gateway; the alerts domain turns it into an
 * `ingest.invalid_evidence` case. Undefined when the batch had none.
 */
export function invalidEvidenceAnomaly(invalid: readonly InvalidEvidence[]): Record<string, unknown> | undefined {
  if (invalid.length === 0) return undefined;
  return {
    kind: 'invalid_evidence',
    count: invalid.length,
    events: invalid.slice(0, MAX_NAMED).map(({ id, seq, message }) => ({ id, seq, message })),
  };
}
