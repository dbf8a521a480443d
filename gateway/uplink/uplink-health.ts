import type { SenderHooks } from '../outbox/index.ts';

/** How deliveries to the cloud are going, as the sender's hooks see them. */
export interface UplinkStatus {
  /** When the current run of failed attempts began; undefined while deliveries succeed. */
  failingSince: number | undefined;
  lastReason: string | undefined;
  lastDeliveredAt: number | undefined;
}

/**
 * Watches the outbox sender: the first retry after a success starts a failing run, the
 * next delivery ends it. A refusal (401, a key the cloud does not know) is retried too,
 * slowly, so it shows here as a run that does not end.
 */
export function createUplinkHealth(now: () => number = Date.now): { hooks: SenderHooks; status(): UplinkStatus } {
  const state: UplinkStatus = { failingSince: undefined, lastReason: undefined, lastDeliveredAt: undefined };
  return {
    hooks: {
      onRetry: ({ reason }) => {
        state.failingSince ??= now();
        state.lastReason = reason;
      },
      onDelivered: () => {
        state.failingSince = undefined;
        state.lastReason = undefined;
        state.lastDeliveredAt = now();
      },
    },
    status: () => ({ ...state }),
  };
}
