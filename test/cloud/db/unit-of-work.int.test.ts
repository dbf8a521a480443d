import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../cloud/db/database.ts';
import { inUnitOfWork } from '../../../cloud/db/unit-of-work.ts';
import { createDomainEventBus, type CloudDomainEvents } from '../../../cloud/domain-events/domain-event-bus.ts';
import { createLogger } from '../../../infra/logger.ts';
import { openTestDatabase } from '../../support/test-database.ts';

describe('unit of work', () => {
  let db: Database;
  const bus = createDomainEventBus(createLogger('test'));
  const heard: CloudDomainEvents['lot.state_changed'][] = [];
  bus.on('lot.state_changed', 'test', (payload) => {
    heard.push(payload);
  });
  const lotState = (lotId: string): CloudDomainEvents['lot.state_changed'] => ({ site: 's1', lotId, state: 'suspect', previous: 'verified', eventId: `e-${lotId}`, at: '2024-03-12T10:00:00.000Z' });

  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it('writes its audit entries with the change, and runs after-commit actions only once the change is visible', async () => {
    const seen: string[] = [];
    let visibleAfterCommit: Promise<unknown> | undefined;
    const result = await inUnitOfWork({ prisma: db.prisma, bus }, async (tx, work) => {
      await tx.tenant.create({ data: { id: 'uow-ok', name: 'Committed', kind: 'bank' } });
      work.audit({ actor: 'system:test', action: 'tenant.created', entityType: 'tenant', entityId: 'uow-ok' });
      work.lotStateChanged(lotState('LOT-OK'));
      work.afterCommit(() => {
        seen.push('action');
        // Outside the transaction: only a committed row can be read here.
        visibleAfterCommit = db.prisma.tenant.findUnique({ where: { id: 'uow-ok' } });
      });
      expect(seen).toEqual([]);
      expect(heard).toEqual([]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(seen).toEqual(['action']);
    expect(heard).toEqual([lotState('LOT-OK')]);
    expect(await visibleAfterCommit).toMatchObject({ id: 'uow-ok' });
    expect(await db.prisma.auditEntry.findMany({ where: { entityId: 'uow-ok' } })).toMatchObject([{ action: 'tenant.created', actor: 'system:test' }]);
  });

  it('on rollback writes nothing, audits nothing and runs nothing it collected', async () => {
    const seen: string[] = [];
    heard.length = 0;
    await expect(
      inUnitOfWork({ prisma: db.prisma, bus }, async (tx, work) => {
        await tx.tenant.create({ data: { id: 'uow-rolled-back', name: 'Rolled back', kind: 'bank' } });
        work.audit({ actor: 'system:test', action: 'tenant.created', entityType: 'tenant', entityId: 'uow-rolled-back' });
        work.lotStateChanged(lotState('LOT-NO'));
        work.afterCommit(() => seen.push('action'));
        throw new Error('refused halfway');
      }),
    ).rejects.toThrow('refused halfway');
    expect(seen).toEqual([]);
    expect(heard).toEqual([]);
    expect(await db.prisma.tenant.findUnique({ where: { id: 'uow-rolled-back' } })).toBeNull();
    expect(await db.prisma.auditEntry.count({ where: { entityId: 'uow-rolled-back' } })).toBe(0);
  });

  it('refuses a domain event in a unit that has no bus to carry it', async () => {
    await expect(inUnitOfWork({ prisma: db.prisma }, async (_tx, work) => work.lotStateChanged(lotState('LOT-X')))).rejects.toThrow(/without a domain event bus/);
  });
});
