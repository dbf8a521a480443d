import type { VerificationEvent } from '../../protocol/index.ts';
import type { Logger } from '../../infra/logger.ts';
import type { Deliver, DeliverResult, EventRejection } from '../outbox/index.ts';
import type { CloudClient, DeliveryOutcome } from './cloud-client.ts';

// A refusal of the gateway itself (401, 403) is a misconfiguration a person must fix; the
// events stay in the outbox and are retried slowly, so fixing it loses nothing.
const REFUSED_RETRY_MS = 60_000;

// What the cloud answers a batch it can never take as it is (bad shape, too large, an id
// twice): sending it again fails again and holds back every later event. Authentication
// (401, 403) and an unknown key (404) are fixed by a person or a re-registration instead.
const MALFORMED = new Set([400, 409, 413, 422]);

/**
 * Adapts the cloud client to the outbox sender. The signing key is registered lazily
 * before the first batch (and again if the cloud says it does not know it), so a
 * gateway that starts while the cloud is away needs no separate start-up step.
 */
export function createCloudDeliver(deps: { cloud: CloudClient; publicKeyPem: string; log: Logger }): Deliver<VerificationEvent> {
  let keyRegistered = false;
  return async (batch) => {
    if (!keyRegistered) {
      const registration = await deps.cloud.registerKey(deps.publicKeyPem);
      if (registration.kind === 'retry') return { kind: 'retry', reason: `key registration: ${registration.reason}` };
      if (registration.kind === 'refused') {
        deps.log.error({ reason: registration.reason }, 'cloud refused the gateway key; events stay in the outbox');
        return { kind: 'retry', reason: registration.reason, retryAfterMs: REFUSED_RETRY_MS };
      }
      keyRegistered = true;
    }
    return deliverSplitting(batch);
  };

  /**
   * A batch refused as malformed is split in halves until the events at fault stand
   * alone; those come back as `invalid` (the sender quarantines them), the rest are
   * delivered. One poison event in a batch of n costs about 2·log2(n) requests.
   */
  async function deliverSplitting(batch: readonly VerificationEvent[]): Promise<DeliverResult> {
    const outcome = await deps.cloud.deliver(batch);
    if (outcome.kind !== 'refused' || !MALFORMED.has(outcome.status)) return toResult(outcome);
    const only = batch.length === 1 ? batch[0] : undefined;
    if (only !== undefined) {
      deps.log.error({ status: outcome.status, reason: outcome.reason, id: only.id, seq: only.seq }, 'cloud refused an event as malformed; quarantining it');
      return { kind: 'rejected', rejections: [{ id: only.id, reason: 'invalid', message: outcome.reason }] };
    }
    const middle = Math.ceil(batch.length / 2);
    const rejections: EventRejection[] = [];
    for (const half of [batch.slice(0, middle), batch.slice(middle)]) {
      const result = await deliverSplitting(half);
      // Nothing can be assumed of the rest: the whole batch goes again (the cloud dedupes what it stored).
      if (result.kind === 'retry') return result;
      if (result.kind === 'rejected') rejections.push(...result.rejections);
    }
    return rejections.length === 0 ? { kind: 'ok' } : { kind: 'rejected', rejections };
  }

  function toResult(outcome: DeliveryOutcome): DeliverResult {
    switch (outcome.kind) {
      case 'retry':
        if (outcome.malformedReply) deps.log.error({ reason: outcome.reason }, 'cloud replied to an event batch with a body that does not fit the protocol; the batch will be sent again');
        return { kind: 'retry', reason: outcome.reason, ...(outcome.retryAfterMs ? { retryAfterMs: outcome.retryAfterMs } : {}) };
      case 'refused':
        if (outcome.status === 404) keyRegistered = false;
        deps.log.error({ status: outcome.status, reason: outcome.reason }, 'cloud refused an event batch; events stay in the outbox');
        return { kind: 'retry', reason: outcome.reason, retryAfterMs: REFUSED_RETRY_MS };
      case 'delivered':
        for (const anomaly of outcome.anomalies) deps.log.warn({ anomaly }, 'cloud reported a chain anomaly');
        // Stored in the chain but applied to nothing: a drafting bug in this gateway, for a person to fix.
        if (outcome.invalidEvidence.length > 0) {
          deps.log.error({ count: outcome.invalidEvidence.length, first: outcome.invalidEvidence[0] }, 'cloud stored events whose evidence does not fit their type');
        }
        if (outcome.rejected.length === 0) return { kind: 'ok' };
        return {
          kind: 'rejected',
          rejections: outcome.rejected.map((r) => ({ id: r.id, reason: 'invalid' as const, message: r.reason })),
        };
    }
  }
}
