import { appendAudit, type AuditInput } from '../audit/audit-log.ts';
import type { CloudDomainEvents, DomainEventBus } from '../domain-events/domain-event-bus.ts';
import type { Tx } from './transaction.ts';

type Change = CloudDomainEvents['collateral.changed'];
type LotStateChanged = CloudDomainEvents['lot.state_changed'];

/**
 * What one collateral change leaves behind besides its rows:
 * - audit entries, appended together at the end of its transaction (flushAudit, called
 *   by inChange): the audit head's row lock serialises every audited change in the
 *   cloud, so it is taken just before commit instead of for the whole transaction;
 * - domain events, published only once the transaction committed (domain-event-bus.ts),
 *   so no listener ever sees a change that was rolled back.
 */
export class PostCommit {
  private readonly changes: Change[] = [];
  private readonly lotStates: LotStateChanged[] = [];
  private readonly audits: AuditInput[] = [];

  audit(input: AuditInput): void {
    this.audits.push(input);
  }

  async flushAudit(tx: Tx): Promise<void> {
    for (const input of this.audits.splice(0)) await appendAudit(tx, input);
  }

  collateralChanged(change: Change): void {
    this.changes.push(change);
  }

  lotStateChanged(payload: LotStateChanged): void {
    this.lotStates.push(payload);
  }

  publish(bus: DomainEventBus): void {
    // An entry left here was never written: a change ran outside inChange.
    if (this.audits.length > 0) throw new Error(`${this.audits.length} audit entries were not written before commit`);
    for (const payload of this.lotStates.splice(0)) bus.emit('lot.state_changed', payload);
    for (const change of this.changes.splice(0)) bus.emit('collateral.changed', change);
  }
}
