import type { Prisma } from '../db/generated/client.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { FreezeHold } from './freeze.ts';

/** Findings after which goods and devices are as pledged; a confirmed loss keeps the hold. */
export const LIFTING_FINDINGS: readonly string[] = ['false_alarm', 'goods_restored', 'device_fault'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The case a person cites to lift a hold must exist, be shared with the facility's bank,
 * be resolved with a finding that allows it, and, for a lot's hold, be about that lot.
 * Answers for another bank's case are the same as for a missing one (404).
 */
export async function checkLiftingCase(tx: Prisma.TransactionClient, input: { bankTenantId: string; hold: FreezeHold; caseId: string }): Promise<void> {
  if (!UUID.test(input.caseId)) throw badRequest('caseId must be the id (UUID) of an alert case');
  const found = await tx.alertCase.findFirst({
    where: { id: input.caseId, tenants: { some: { tenantId: input.bankTenantId } } },
    select: { status: true, finding: true, lotId: true },
  });
  if (found === null) throw notFound(`case ${input.caseId}`);
  if (found.status !== 'resolved') throw conflict(`case ${input.caseId} is ${found.status}: only a resolved case lifts a hold`);
  if (found.finding === null || !LIFTING_FINDINGS.includes(found.finding)) {
    throw conflict(`case ${input.caseId} found ${found.finding ?? 'nothing'}: only ${LIFTING_FINDINGS.join(', ')} lifts a hold`);
  }
  if (input.hold.trigger.kind === 'lot' && found.lotId !== input.hold.trigger.lotId) {
    throw conflict(`case ${input.caseId} is not about lot ${input.hold.trigger.lotId}`);
  }
}
