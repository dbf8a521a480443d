import type { Logger } from '../../infra/logger.ts';
import type { LotState, TypedVerificationEvent } from '../../protocol/index.ts';

export type { LotState } from '../../protocol/index.ts';

/**
 * What one cloud domain tells the others, after its transaction committed. Domains never
 * call into each other's repositories; they publish here and subscribe here.
 */
export interface CloudDomainEvents {
  /**
   * Gateway events just stored by ingestion (accepted, not duplicates) whose evidence
   * fits their type; those whose evidence does not are stored but never announced.
   */
  'gateway.events': { gatewayId: string; site: string; events: TypedVerificationEvent[] };
  /** A gateway's sequence gap or chain break, found at ingestion. */
  'gateway.chain_anomaly': { gatewayId: string; site: string; anomaly: Record<string, unknown> };
  /** A pledged lot's fused verification state changed (from `lot.state` gateway events). */
  'lot.state_changed': { site: string; lotId: string; state: LotState; previous: LotState | null; eventId: string; at: string };
  'case.opened': { caseId: string; tenantId: string; site: string | null; lotId: string | null; kind: string; severity: string };
  /** A case closed with a finding; freezes tied to it may be lifted. */
  'case.resolved': { caseId: string; tenantId: string; site: string | null; lotId: string | null; finding: string };
  /** A price tick was stored (not a duplicate) and its series revalued; `source` is the feed it came from. */
  'price.recorded': { commodity: string; currency: string; ts: string; source: string };
  /** Collateral or facility figures changed (revaluation, drawdown, repayment, freeze, margin call). */
  'collateral.changed': { tenantId: string; facilityId: string | null; receiptId: string | null; reason: string; detail: Record<string, unknown> };
}

export type DomainEventName = keyof CloudDomainEvents;
type Listener<K extends DomainEventName> = (payload: CloudDomainEvents[K]) => void | Promise<void>;

/**
 * A typed bus in the manner of zigbee2mqtt's eventBus: listeners are registered by owner
 * so a plugin removes all of its own at close, and each listener is isolated: one that
 * throws or rejects is logged and the others still run.
 */
export function createDomainEventBus(log: Logger) {
  const listeners = new Map<DomainEventName, { owner: string; fn: Listener<DomainEventName> }[]>();
  const pending = new Set<Promise<void>>();
  return {
    on<K extends DomainEventName>(name: K, owner: string, fn: Listener<K>): void {
      const list = listeners.get(name) ?? [];
      list.push({ owner, fn: fn as Listener<DomainEventName> });
      listeners.set(name, list);
    },
    removeOwner(owner: string): void {
      for (const [name, list] of listeners) listeners.set(name, list.filter((l) => l.owner !== owner));
    },
    emit<K extends DomainEventName>(name: K, payload: CloudDomainEvents[K]): void {
      for (const { owner, fn } of listeners.get(name) ?? []) {
        try {
          const result = fn(payload);
          if (result instanceof Promise) {
            const tracked = result
              .catch((error: unknown) => log.error({ err: error, event: name, owner }, 'domain event listener failed'))
              .finally(() => pending.delete(tracked));
            pending.add(tracked);
          }
        } catch (error) {
          log.error({ err: error, event: name, owner }, 'domain event listener failed');
        }
      }
    },
    /** Resolves when every asynchronous listener started so far has finished (tests, shutdown). */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

export type DomainEventBus = ReturnType<typeof createDomainEventBus>;
