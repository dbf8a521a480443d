import type { PrismaClient } from '../db/generated/client.ts';
import { CASE_SEVERITIES } from '../alerts/case-sla.ts';
import type { Channel } from './channels.ts';
import type { DeliveryQueue, Enqueued } from './delivery-queue.ts';
import type { Notice } from './notice.ts';

export interface NotificationDeps {
  readonly prisma: PrismaClient;
  readonly queue: DeliveryQueue;
  readonly channels: { readonly email: Channel | undefined; readonly webhook: Channel };
  readonly log: { warn(obj: unknown, msg: string): void };
}

const rank = (severity: string): number => CASE_SEVERITIES.indexOf(severity as (typeof CASE_SEVERITIES)[number]);
const BATCH = 50;

/**
 * Fans notices out to subscriptions (a user's own, or a role's within a tenant), and for
 * escalations to the next level's people by their account email, as rows of the delivery
 * queue; then sends what is due through email or webhook.
 */
export function createNotificationService(deps: NotificationDeps) {
  async function notify(notice: Notice, now: Date): Promise<number> {
    if (notice.tenants.length === 0) return 0;
    const subscriptions = await deps.prisma.notificationSubscription.findMany({ where: { tenantId: { in: [...notice.tenants] }, topics: { has: notice.topic } } });
    const userIds = subscriptions.flatMap((s) => (s.userId === null ? [] : [s.userId]));
    const users = userIds.length === 0 ? [] : await deps.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, tenantId: true, disabled: true } });
    const active = new Set(users.filter((u) => !u.disabled).map((u) => `${u.tenantId}/${u.id}`));
    const items: Enqueued[] = subscriptions
      .filter((s) => rank(notice.severity) >= rank(s.minSeverity))
      // A user's subscription lapses with the account (disabled, or moved to another tenant).
      .filter((s) => s.userId === null || active.has(`${s.tenantId}/${s.userId}`))
      .map((s) => ({ subscriptionId: s.id, tenantId: s.tenantId, channel: s.channel as 'email' | 'webhook', target: s.target, topic: notice.topic, subject: notice.subject, payload: { text: notice.text, data: notice.data } }));
    if (notice.escalateTo !== undefined && notice.escalateTo.length > 0) {
      const people = await deps.prisma.user.findMany({ where: { tenantId: { in: [...notice.tenants] }, role: { in: [...notice.escalateTo] }, disabled: false }, select: { tenantId: true, email: true } });
      const already = new Set(items.filter((i) => i.channel === 'email').map((i) => i.target.toLowerCase()));
      for (const p of people) {
        if (already.has(p.email.toLowerCase())) continue;
        already.add(p.email.toLowerCase());
        items.push({ subscriptionId: null, tenantId: p.tenantId, channel: 'email', target: p.email, topic: notice.topic, subject: notice.subject, payload: { text: notice.text, data: notice.data } });
      }
    }
    return deps.queue.enqueue(items, now);
  }

  /** Sends every due delivery (in batches); returns how many were delivered. */
  async function deliverDue(now: Date): Promise<{ delivered: number; failed: number; dead: number }> {
    let delivered = 0;
    let failed = 0;
    let dead = 0;
    for (;;) {
      const due = await deps.queue.claimDue(now, BATCH);
      if (due.length === 0) return { delivered, failed, dead };
      const secrets = new Map(
        (await deps.prisma.notificationSubscription.findMany({ where: { id: { in: due.flatMap((d) => (d.subscriptionId === null ? [] : [d.subscriptionId])) } }, select: { id: true, secret: true } })).map((s) => [s.id, s.secret] as const),
      );
      for (const row of due) {
        const attempts = row.attempts + 1;
        const payload = row.payload as { text?: unknown; data?: unknown };
        const channel = row.channel === 'email' ? deps.channels.email : deps.channels.webhook;
        try {
          if (channel === undefined) throw new Error('no SMTP relay configured (SMTP_URL)');
          await channel({ deliveryId: row.id, target: row.target, secret: row.subscriptionId === null ? null : (secrets.get(row.subscriptionId) ?? null), subject: row.subject, text: String(payload.text ?? ''), data: payload.data ?? {}, at: now });
          await deps.queue.delivered(row.id, now, attempts);
          delivered += 1;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const outcome = await deps.queue.failed(row.id, now, attempts, message);
          if (outcome === 'dead') {
            dead += 1;
            deps.log.warn({ deliveryId: row.id, channel: row.channel, attempts, error: message }, 'notification is a dead letter');
          } else {
            failed += 1;
          }
        }
      }
    }
  }

  return { notify, deliverDue };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
