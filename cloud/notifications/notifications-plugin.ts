import { randomBytes, randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLES, tenantScope } from '../auth/principal.ts';
import { CASE_SEVERITIES } from '../alerts/case-sla.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import type { LiveHub } from '../live/live-hub.ts';
import { createEmailChannel, webhookChannel } from './channels.ts';
import { createDeliveryQueue } from './delivery-queue.ts';
import { noticesOf, TOPICS, type Notice } from './notice.ts';
import { createNotificationService, type NotificationService } from './notification-service.ts';

export interface NotificationsPluginOptions {
  prisma: PrismaClient;
  live: LiveHub;
  now: () => Date;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** How often due deliveries (retries) are looked for; 0 turns the timer off. */
  pollMs: number;
}

export interface NotificationsHandle {
  readonly service: NotificationService;
  notify(notice: Notice): Promise<void>;
  /** Sends what is due now (retries included). */
  deliverDue(at?: Date): Promise<void>;
  /** Everything queued so far has been tried. */
  idle(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    notifications: NotificationsHandle;
  }
}

const Subscription = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([Type.String(), Type.Null()]),
  channel: Type.String(),
  target: Type.String(),
  topics: Type.Array(Type.String()),
  minSeverity: Type.String(),
  createdAt: Type.String(),
});

const CreateBody = Type.Object({
  channel: Type.Union([Type.Literal('email'), Type.Literal('webhook')]),
  target: Type.String({ minLength: 3, maxLength: 2048, description: 'an email address, or the https (or http) URL of the webhook' }),
  topics: Type.Array(Type.Enum([...TOPICS]), { minItems: 1, maxItems: TOPICS.length, uniqueItems: true }),
  minSeverity: Type.Optional(Type.Enum([...CASE_SEVERITIES], { description: 'cases below this severity are not sent; default warning' })),
  role: Type.Optional(Type.Enum([...ROLES], { description: "a subscription of everyone in the caller's tenant holding this role (risk officers and administrators); the caller's own without it" })),
});

const DeadLetter = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  channel: Type.String(),
  target: Type.String(),
  topic: Type.String(),
  subject: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;
const MANAGERS = new Set(['risk_officer', 'admin']);

/** Notifications (issue 22): subscriptions, the delivery queue and its dead letters. */
const plugin: FastifyPluginAsync<NotificationsPluginOptions> = async (fastify, options) => {
  const { prisma, now } = options;
  const email = createEmailChannel(options.smtpUrl, options.mailFrom);
  const queue = createDeliveryQueue(prisma);
  const service = createNotificationService({ prisma, queue, channels: { email, webhook: webhookChannel }, log: fastify.log });
  let tail: Promise<void> = Promise.resolve();
  const serial = (task: () => Promise<unknown>): Promise<void> =>
    (tail = tail.then(task).then(
      () => undefined,
      (error: unknown) => fastify.log.error({ err: error }, 'notification delivery failed'),
    ));
  const notify = (notice: Notice): Promise<void> =>
    serial(async () => {
      const at = now();
      if ((await service.notify(notice, at)) > 0) await service.deliverDue(at);
    });
  const deliverDue = (at?: Date): Promise<void> => serial(() => service.deliverDue(at ?? now()));

  // This process's publications only: with several replicas each streams every message,
  // but the one that published it notifies, once.
  const unsubscribe = options.live.onPublish((event, data, tenants) => {
    for (const notice of noticesOf(event, data, tenants)) void notify(notice);
  });
  const timer = options.pollMs > 0 ? setInterval(() => void deliverDue(), options.pollMs) : undefined;
  timer?.unref();
  fastify.addHook('onClose', async () => {
    unsubscribe();
    if (timer !== undefined) clearInterval(timer);
    await tail;
    email?.close();
  });
  fastify.decorate('notifications', { service, notify, deliverDue, idle: () => tail } satisfies NotificationsHandle);

  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['notifications']);
  const view = (s: { id: string; tenantId: string; userId: string | null; role: string | null; channel: string; target: string; topics: string[]; minSeverity: string; createdAt: Date }) => ({ ...s, createdAt: s.createdAt.toISOString() });

  app.post(
    '/api/v1/notifications/subscriptions',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        'Subscribe to case severities, margin calls, reports or escalations, by email or webhook',
        {
          description:
            'Webhooks receive a JSON POST signed with HMAC-SHA256 over `<X-Timestamp>.<body>` (header X-Signature: sha256=<hex>); ' +
            'the secret is returned once, in this response. Failed deliveries are retried with backoff (30 s doubling to 1 h), ' +
            'eight attempts, then kept as dead letters for administrators.',
          body: CreateBody,
          response: { 201: Type.Object({ subscription: Subscription, secret: Type.Union([Type.String(), Type.Null()]) }) },
        },
        [400, 403],
      ),
    },
    async (request, reply) => {
      const body = request.body;
      if (body.role !== undefined && !MANAGERS.has(request.user.role)) throw new AppError('forbidden', 'only risk officers and administrators subscribe a whole role');
      if (body.channel === 'email' && !EMAIL.test(body.target)) throw badRequest('target must be an email address');
      if (body.channel === 'webhook' && !/^https?:\/\/[^\s]+$/.test(body.target)) throw badRequest('target must be an http or https URL');
      const secret = body.channel === 'webhook' ? randomBytes(32).toString('base64url') : null;
      const row = await prisma.notificationSubscription.create({
        data: {
          id: randomUUID(),
          tenantId: request.user.tenantId,
          userId: body.role === undefined ? request.user.userId : null,
          role: body.role ?? null,
          channel: body.channel,
          target: body.target,
          secret,
          topics: body.topics,
          minSeverity: body.minSeverity ?? 'warning',
          createdAt: now(),
        },
      });
      return reply.status(201).send({ subscription: view(row), secret });
    },
  );

  app.get(
    '/api/v1/notifications/subscriptions',
    {
      onRequest: fastify.requireRole(),
      schema: docs("The caller's subscriptions; risk officers and administrators also see their tenant's role subscriptions", { response: { 200: Type.Object({ items: Type.Array(Subscription) }) } }),
    },
    async (request) => {
      const manager = MANAGERS.has(request.user.role);
      const rows = await prisma.notificationSubscription.findMany({
        where: { tenantId: request.user.tenantId, ...(manager ? {} : { userId: request.user.userId }) },
        orderBy: { createdAt: 'asc' },
      });
      return { items: rows.map(view) };
    },
  );

  app.delete(
    '/api/v1/notifications/subscriptions/:id',
    {
      onRequest: fastify.requireRole(),
      schema: docs('End a subscription (its queued messages go with it)', { params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 204: Type.Null() } }, [404]),
    },
    async (request, reply) => {
      const row = await prisma.notificationSubscription.findUnique({ where: { id: request.params.id } });
      const mine = row !== null && row.tenantId === request.user.tenantId && (row.userId === request.user.userId || MANAGERS.has(request.user.role));
      if (!mine) throw notFound(`subscription ${request.params.id}`);
      await prisma.notificationSubscription.delete({ where: { id: row.id } });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/notifications/dead-letters',
    {
      onRequest: fastify.requireRole('admin'),
      schema: docs('Messages that could not be delivered after every retry', { querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }), response: { 200: Type.Object({ items: Type.Array(DeadLetter) }) } }, [400, 403]),
    },
    async (request) => {
      const tenant = tenantScope(request.user);
      const rows = await prisma.notificationDelivery.findMany({ where: { status: 'dead', ...(tenant === undefined ? {} : { tenantId: tenant }) }, orderBy: { createdAt: 'desc' }, take: request.query.limit });
      return { items: rows.map((r) => ({ id: r.id, tenantId: r.tenantId, channel: r.channel, target: r.target, topic: r.topic, subject: r.subject, attempts: r.attempts, lastError: r.lastError, createdAt: r.createdAt.toISOString() })) };
    },
  );

  app.post(
    '/api/v1/notifications/dead-letters/:id/retry',
    {
      onRequest: fastify.requireRole('admin'),
      schema: docs('Queue a dead letter again (after the receiver was fixed)', { params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 202: Type.Object({ queued: Type.Boolean() }) } }, [403, 404]),
    },
    async (request, reply) => {
      if (!(await queue.retry(request.params.id, now(), tenantScope(request.user)))) throw notFound(`dead letter ${request.params.id}`);
      void deliverDue();
      return reply.status(202).send({ queued: true });
    },
  );
};

export const notificationsPlugin = fp(plugin, { name: 'notifications', dependencies: ['auth'] });
