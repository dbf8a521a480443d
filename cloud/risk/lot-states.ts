import { isLotState, type LotState } from '../../protocol/index.ts';
import type { Tx } from '../db/unit-of-work.ts';

// The states are the protocol's (protocol/lot-states.ts), decided by the gateway's fusion.
export { LOT_STATES, isLotState } from '../../protocol/index.ts';

/**
 * Records a lot's verification state unless a later report is already stored (events
 * of one gateway arrive in order, but a state may also come from the bus, replayed).
 * Returns the state it replaced, or undefined when nothing changed.
 */
export async function recordLotState(
  tx: Tx,
  input: { site: string; lotId: string; state: LotState; eventId: string; at: Date },
): Promise<{ previous: LotState | null } | undefined> {
  const current = await tx.collateralLotState.findUnique({ where: { siteId_lotId: { siteId: input.site, lotId: input.lotId } } });
  if (current !== null && (current.at.getTime() > input.at.getTime() || current.eventId === input.eventId)) return undefined;
  const data = { state: input.state, previous: current?.state ?? null, eventId: input.eventId, at: input.at, updatedAt: new Date() };
  await tx.collateralLotState.upsert({
    where: { siteId_lotId: { siteId: input.site, lotId: input.lotId } },
    create: { siteId: input.site, lotId: input.lotId, ...data },
    update: data,
  });
  if (current?.state === input.state) return undefined;
  return { previous: isLotState(current?.state) ? current.state : null };
}
