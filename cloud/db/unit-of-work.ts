import type { Prisma, PrismaClient } from './generated/client.ts';
import { appendAudit, type AuditInput } from '../audit/audit-log.ts';
import type { CloudDomainEvents, DomainEventBus } from '../domain-events/domain-event-bus.ts';

/** The client of the transaction a unit of work runs in. */
export type Tx = Prisma.TransactionClient;

export interface UnitOfWorkDeps {
  prisma: PrismaClient;
  /** Where the unit's domain events go once it committed; needed only by units that record some. */
  bus?: DomainEventBus | undefined;
}

// Every audited change takes the audit head's row lock, and a burst of concurrent changes
// queues behind the pool (and, on PGlite, behind its single connection) for longer than
// Prisma's defaults of 2 s to start and 5 s to finish, while each transaction stays short.
// The row locks taken inside still serialise what must be serialised.
const OPTIONS = { maxWait: 60_000, timeout: 60_000 } as const;

/**
 * What one unit of work leaves behind besides its rows, collected while it runs:
 * - audit entries, appended together at the end of its transaction: the audit head's row
 *   lock serialises every audited change in the cloud, so it is taken just before commit
 *   instead of for the whole transaction;
 * - actions for after the commit (domain events, notifications, live pushes), run only
 *   once the transaction committed, so nobody ever hears of a change that was rolled back.
 */
export class UnitOfWork {
  private readonly audits: AuditInput[] = [];
  private readonly lotStates: CloudDomainEvents['lot.state_changed'][] = [];
  private readonly changes: CloudDomainEvents['collateral.changed'][] = [];
  private readonly actions: (() => void)[] = [];

  constructor(private readonly bus: DomainEventBus | undefined) {}

  audit(input: AuditInput): void {
    this.audits.push(input);
  }

  /** Runs `action` after the commit; never if the unit rolls back. */
  afterCommit(action: () => void): void {
    this.actions.push(action);
  }

  collateralChanged(change: CloudDomainEvents['collateral.changed']): void {
    this.requireBus('collateral.changed');
    this.changes.push(change);
  }

  lotStateChanged(payload: CloudDomainEvents['lot.state_changed']): void {
    this.requireBus('lot.state_changed');
    this.lotStates.push(payload);
  }

  /** @internal Called by inUnitOfWork inside the transaction, as its last statements. */
  async writeAudit(tx: Tx): Promise<void> {
    for (const input of this.audits.splice(0)) await appendAudit(tx, input);
  }

  /** @internal Called by inUnitOfWork once the transaction committed. */
  runAfterCommit(): void {
    const bus = this.bus;
    // Lot states first: a collateral change is often what a lot's new state led to.
    const actions = [
      ...this.lotStates.splice(0).map((payload) => () => bus?.emit('lot.state_changed', payload)),
      ...this.changes.splice(0).map((change) => () => bus?.emit('collateral.changed', change)),
      ...this.actions.splice(0),
    ];
    // Each action runs even if one before it failed: the change is committed either way.
    const errors: unknown[] = [];
    for (const action of actions) {
      try {
        action();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} after-commit actions failed`);
  }

  private requireBus(event: string): void {
    if (this.bus === undefined) throw new Error(`a unit of work without a domain event bus cannot record ${event}`);
  }
}

/**
 * Runs `fn` in one interactive transaction with a fresh UnitOfWork: the audit entries it
 * collected are written at the end of the transaction, and its after-commit actions run
 * only once the transaction committed. On rollback (fn or the commit throws) the unit
 * is dropped: nothing it collected is written or run.
 */
export async function inUnitOfWork<T>(deps: UnitOfWorkDeps, fn: (tx: Tx, work: UnitOfWork) => Promise<T>): Promise<T> {
  const work = new UnitOfWork(deps.bus);
  const result = await deps.prisma.$transaction(async (tx) => {
    const value = await fn(tx, work);
    await work.writeAudit(tx);
    return value;
  }, OPTIONS);
  work.runAfterCommit();
  return result;
}
