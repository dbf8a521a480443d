import type { VerificationEvent } from '../../protocol/index.ts';
import type { Logger } from '../../infra/logger.ts';
import type { Deliver } from '../outbox/index.ts';
import type { CloudClient } from './cloud-client.ts';

// A refusal (401, 400, ...) is a misconfiguration or a bug that a person must fix; the
// events stay in the outbox and are retried slowly, so fixing it loses nothing.
const REFUSED_RETRY_MS = 60_000;

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
    const outcome = await deps.cloud.deliver(batch);
    switch (outcome.kind) {
      case 'retry':
        return { kind: 'retry', reason: outcome.reason, ...(outcome.retryAfterMs ? { retryAfterMs: outcome.retryAfterMs } : {}) };
      case 'refused':
        if (outcome.status === 404) keyRegistered = false;
        deps.log.error({ status: outcome.status, reason: outcome.reason }, 'cloud refused an event batch; events stay in the outbox');
        return { kind: 'retry', reason: outcome.reason, retryAfterMs: REFUSED_RETRY_MS };
      case 'delivered':
        for (const anomaly of outcome.anomalies) deps.log.warn({ anomaly }, 'cloud reported a chain anomaly');
        if (outcome.rejected.length === 0) return { kind: 'ok' };
        return {
          kind: 'rejected',
          rejections: outcome.rejected.map((r) => ({ id: r.id, reason: 'invalid' as const, message: r.reason })),
        };
    }
  };
}
