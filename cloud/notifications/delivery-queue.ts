import { randomUUID } from 'node:crypto';
import type { NotificationDelivery, Prisma, PrismaClient } from '../db/generated/client.ts';
import { isDead, retryDelayMs } from './backoff.ts';

export interface Enqueued {
  readonly subscriptionId: string | null;
  readonly tenantId: string;
  readonly channel: 'email' | 'webhook';
  readonly target: string;
  readonly topic: string;
  readonly subject: string;
  readonly payload: { readonly text: string; readonly data: unknown };
}

// A claimed delivery is someone's for this long; one that crashed mid-send is retried after.
const LEASE_MS = 60_000;

/**
 * The notification outbox in PostgreSQL: every message is a row, claimed by one sender
 * with `FOR UPDATE SKIP LOCKED` (several cloud processes share the work without sending
 * twice), retried with backoff, and after the last attempt kept as a dead letter.
 */
export function createDeliveryQueue(prisma: PrismaClient) {
  async function enqueue(items: readonly Enqueued[], now: Date): Promise<number> {
    if (items.length === 0) return 0;
    const { count } = await prisma.notificationDelivery.createMany({
      data: items.map((i) => ({
        id: randomUUID(),
        subscriptionId: i.subscriptionId,
        tenantId: i.tenantId,
        channel: i.channel,
        target: i.target,
        topic: i.topic,
        subject: i.subject.slice(0, 500),
        payload: i.payload as unknown as Prisma.InputJsonValue,
        status: 'pending',
        nextAttemptAt: now,
        createdAt: now,
      })),
    });
    return count;
  }

  /** Claims up to `limit` due deliveries (pushing their next attempt out by a lease). */
  async function claimDue(now: Date, limit: number): Promise<NotificationDelivery[]> {
    const ids = await prisma.$queryRaw<{ id: string }[]>`
      UPDATE notification_delivery SET next_attempt_at = ${new Date(now.getTime() + LEASE_MS)}
      WHERE id IN (
        SELECT id FROM notification_delivery
        WHERE status = 'pending' AND next_attempt_at <= ${now}
        ORDER BY next_attempt_at, id LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id`;
    if (ids.length === 0) return [];
    return prisma.notificationDelivery.findMany({ where: { id: { in: ids.map((r) => r.id) } }, orderBy: { createdAt: 'asc' } });
  }

  async function delivered(id: string, now: Date, attempts: number): Promise<void> {
    await prisma.notificationDelivery.update({ where: { id }, data: { status: 'delivered', attempts, deliveredAt: now, lastError: null } });
  }

  async function failed(id: string, now: Date, attempts: number, error: string): Promise<'retry' | 'dead'> {
    const dead = isDead(attempts);
    await prisma.notificationDelivery.update({
      where: { id },
      data: { status: dead ? 'dead' : 'pending', attempts, lastError: error.slice(0, 1000), nextAttemptAt: dead ? now : new Date(now.getTime() + retryDelayMs(attempts)) },
    });
    return dead ? 'dead' : 'retry';
  }

  /** Puts a dead letter back in the queue, due now, with its attempts reset. */
  async function retry(id: string, now: Date, tenantId?: string): Promise<boolean> {
    const { count } = await prisma.notificationDelivery.updateMany({
      where: { id, status: 'dead', ...(tenantId === undefined ? {} : { tenantId }) },
      data: { status: 'pending', attempts: 0, nextAttemptAt: now },
    });
    return count > 0;
  }

  return { enqueue, claimDue, delivered, failed, retry };
}

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;
