import type { AlertCase } from '../db/generated/client.ts';
import type { Principal } from '../auth/principal.ts';
import type { Tx } from '../db/unit-of-work.ts';
import { notFound } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `user:<uuid>` as the audit trail names people. */
export function userActor(principal: Principal): string {
  return `user:${principal.userId}`;
}

/**
 * Locks a case for a change, if the caller may see it. A case another tenant's is
 * simply not found (404), exactly like one that does not exist.
 */
export async function lockVisibleCase(tx: Tx, principal: Principal, caseId: string): Promise<{ row: AlertCase; tenants: string[] }> {
  if (!UUID.test(caseId)) throw notFound('case');
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM alert_case WHERE id = ${caseId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw notFound('case');
  const tenants = (await tx.caseTenant.findMany({ where: { caseId }, select: { tenantId: true } })).map((t) => t.tenantId).sort();
  if (principal.role !== 'admin' && !tenants.includes(principal.tenantId)) throw notFound('case');
  const row = await tx.alertCase.findUnique({ where: { id: caseId } });
  if (row === null) throw notFound('case');
  return { row, tenants };
}
