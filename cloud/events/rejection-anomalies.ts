import type { IngestOutcome } from './event-repository.ts';
import type { RejectionClass } from './ingest-plan.ts';

/**
 * The refusals of one batch as chain anomalies of kind 'rejected', one per class
 * (forgery, replay, foreign), with the ids of the refused events and of the rows in
 * ingest_rejection that keep them. The alerts domain turns each into a case.
 */
export function rejectionAnomalies(outcome: Pick<IngestOutcome, 'rejected' | 'storedRejections'>): Record<string, unknown>[] {
  const classes = [...new Set(outcome.rejected.map((r) => r.class))].sort();
  return classes.map((cls: RejectionClass) => {
    const rejected = outcome.rejected.filter((r) => r.class === cls);
    return {
      kind: 'rejected',
      class: cls,
      count: rejected.length,
      events: rejected.slice(0, 20).map((r) => ({ id: r.id, seq: r.seq, reason: r.reason })),
      rejectionIds: outcome.storedRejections.filter((r) => r.class === cls).map((r) => r.recordId),
    };
  });
}
