import { createHash } from 'node:crypto';
import { Type, type TSchema } from 'typebox';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import { ATTACHMENT_MEDIA_TYPES, MAX_ATTACHMENT_BYTES } from '../../protocol/index.ts';
import { compileSchema } from '../../protocol/json-payload.ts';
import type { PrismaClient } from '../db/generated/client.ts';
import { badRequest, conflict, limitExceeded, notFound } from '../errors.ts';
import { errorHandler, errorResponses } from '../http/error-response.ts';
import { BEARER_SECURITY } from '../http/route-docs.ts';
import type { GatewayAuthenticator } from '../gateways/gateway-auth.ts';
import type { GatewayRecord } from '../gateways/gateway-repository.ts';
import type { DomainEventBus } from '../domain-events/domain-event-bus.ts';
import { createTenantDirectory } from '../sites/tenant-directory.ts';
import { eventScopeWhere } from '../events/event-scope.ts';
import { createAttachmentRepository } from './attachment-repository.ts';

export interface AttachmentsPluginOptions {
  prisma: PrismaClient;
  authenticate: GatewayAuthenticator;
  registry: Registry;
  bus: DomainEventBus;
  /** Bytes of attachments kept per tenant at most (ATTACHMENT_TENANT_MAX_BYTES). */
  tenantMaxBytes: number;
}

const BODY_TYPES = [...ATTACHMENT_MEDIA_TYPES, 'application/octet-stream'];
const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'lowercase hex SHA-256 of the bytes, as the citing event gives it' });
const Binary = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });
const UploadResult = Type.Object({
  sha256: Type.String(),
  bytes: Type.Integer(),
  mediaType: Type.String(),
  duplicate: Type.Boolean({ description: 'already stored: re-uploading is harmless' }),
});

/** 413 is not a domain error of the catalogue; its message is still the API's error shape. */
const httpError = (statusCode: number, message: string): Error & { statusCode: number } => Object.assign(new Error(message), { statusCode });
const tooLarge = (bytes: number | undefined) =>
  httpError(413, `attachment of ${bytes === undefined ? 'more than' : ''}${bytes ?? MAX_ATTACHMENT_BYTES} bytes refused: at most ${MAX_ATTACHMENT_BYTES} bytes (MAX_ATTACHMENT_BYTES) are accepted`);

/**
 * Evidence attachments (PROTOCOL.md "evidence.attachments"): the gateway uploads the bytes
 * its signed events cite, and users who may see a citing event read them. Raw bodies are
 * parsed in this plugin only, up to the protocol's bound.
 */
export const attachmentsPlugin: FastifyPluginAsync<AttachmentsPluginOptions> = async (fastify, options) => {
  const attachments = createAttachmentRepository(options.prisma);
  const directory = createTenantDirectory(options.prisma);
  const uploads = new Counter({
    name: 'cloud_attachment_uploads_total',
    help: 'Attachment uploads by outcome (stored, duplicate, tampered, not_cited, mismatch, tenant_full, too_large)',
    labelNames: ['outcome'] as const,
    registers: [options.registry],
  });

  fastify.addContentTypeParser(BODY_TYPES, { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES }, (_request, body, done) => done(null, body));
  // A body cut off at the bound (no or a false Content-Length) says why, like the early check does.
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      uploads.inc({ outcome: 'too_large' });
      errorHandler(tooLarge(undefined), request, reply);
      return;
    }
    errorHandler(error, request, reply);
  });

  const authenticated = new WeakMap<FastifyRequest, GatewayRecord>();
  fastify.put(
    '/api/v1/gateways/:id/attachments/:sha256',
    {
      bodyLimit: MAX_ATTACHMENT_BYTES,
      // The token first, then the declared size: a stranger's body and an oversized one are never read.
      onRequest: async (request) => {
        authenticated.set(request, await options.authenticate(request, (request.params as { id: string }).id));
        const declared = Number(request.headers['content-length']);
        if (Number.isFinite(declared) && declared > MAX_ATTACHMENT_BYTES) {
          uploads.inc({ outcome: 'too_large' });
          throw tooLarge(declared);
        }
      },
      // The body is raw bytes, checked against its hash below; the rest by TypeBox.
      validatorCompiler: ({ schema, httpPart }) => {
        if (httpPart === 'body') return (data: unknown) => (Buffer.isBuffer(data) ? { value: data } : { error: new Error('body must be the attachment bytes') });
        const check = compileSchema(schema as TSchema);
        return (data: unknown) => {
          const result = check(data);
          return result.ok ? { value: data } : { error: new Error(result.error) };
        };
      },
      schema: {
        tags: ['attachments'],
        summary: 'Upload the bytes of an evidence attachment a stored event of this gateway cites',
        description:
          `The body is the raw bytes (at most ${MAX_ATTACHMENT_BYTES}), with Content-Type the cited media type or ` +
          'application/octet-stream. They are stored only if their SHA-256 is the one in the path (else 422, counted and ' +
          'reported as tampering) and an event of this gateway already stored cites that hash with this size and media ' +
          'type (else 409 when none cites it, 422 when size or type differ): the signature covers the hash, so no other ' +
          'bytes can take their place. Over the tenant\'s storage bound: 507. Idempotent: a re-upload answers duplicate=true.',
        security: [{ gatewayToken: [] }],
        consumes: BODY_TYPES,
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }), sha256: Sha256 }),
        body: Binary,
        response: { 200: UploadResult, ...errorResponses(400, 401, 409, 413, 415, 422, 507) },
      },
    },
    async (request, reply) => {
      const { id, sha256 } = request.params as { id: string; sha256: string };
      const gateway = authenticated.get(request) ?? (await options.authenticate(request, id));
      const content = request.body as Buffer;
      if (content.byteLength === 0) throw badRequest('attachment body is empty');
      const bodySha256 = createHash('sha256').update(content).digest('hex');
      const contentType = (request.headers['content-type'] ?? 'application/octet-stream').split(';')[0]?.trim().toLowerCase() ?? 'application/octet-stream';
      const verdict = await attachments.upload({ gatewayId: gateway.id, siteId: gateway.siteId, sha256, bodySha256, content, contentType, tenantMaxBytes: options.tenantMaxBytes });
      uploads.inc({ outcome: verdict.kind === 'store' ? 'stored' : verdict.kind });
      switch (verdict.kind) {
        case 'store':
        case 'duplicate':
          return { sha256, bytes: verdict.bytes, mediaType: verdict.mediaType, duplicate: verdict.kind === 'duplicate' };
        case 'tampered':
          request.log.warn({ gatewayId: gateway.id, sha256, received: bodySha256, bytes: content.byteLength }, 'attachment refused: bytes do not match the signed hash');
          options.bus.emit('gateway.chain_anomaly', { gatewayId: gateway.id, site: gateway.siteId, anomaly: { kind: 'attachment_tampered', sha256, received: bodySha256, bytes: content.byteLength } });
          throw limitExceeded(verdict.message);
        case 'mismatch':
          throw limitExceeded(verdict.message);
        case 'not_cited':
          throw conflict(verdict.message);
        case 'tenant_full':
          request.log.warn({ gatewayId: gateway.id, site: gateway.siteId, sha256 }, 'attachment refused: tenant storage bound reached');
          // 507, not 422: the bytes are fine and may be stored once a person raises the bound, so the gateway keeps and retries them.
          return (reply as FastifyReply).code(507).send({ statusCode: 507, error: 'Insufficient Storage', message: verdict.message, code: 'limit_exceeded' });
      }
    },
  );

  fastify.get(
    '/api/v1/attachments/:sha256',
    {
      onRequest: fastify.requireRole(),
      schema: {
        tags: ['attachments'],
        summary: 'The bytes of an evidence attachment, to a user who may see an event citing it',
        description:
          'Served with the cited media type, an ETag (the hash) and Cache-Control: private, immutable. Visibility is the ' +
          'event log\'s: an attachment none of whose citing events the caller may see is 404, as is an unknown one.',
        security: BEARER_SECURITY,
        params: Type.Object({ sha256: Sha256 }),
        response: {
          200: { description: 'the attachment bytes', content: Object.fromEntries(ATTACHMENT_MEDIA_TYPES.map((type) => [type, { schema: Binary }])) },
          304: { description: 'not modified (If-None-Match names this attachment)', type: 'null' },
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { sha256 } = request.params as { sha256: string };
      const scope = eventScopeWhere(await directory.visibilityFor(request.user));
      const copy = scope === undefined ? undefined : await attachments.visibleCopy(sha256, scope);
      if (copy === undefined) throw notFound(`attachment ${sha256}`);
      const etag = `"${sha256}"`;
      // Content-addressed: the bytes behind a hash never change, so a cached copy is always right.
      void reply.header('etag', etag).header('cache-control', 'private, max-age=31536000, immutable');
      if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) return reply.code(304).send();
      const stored = await attachments.content(copy.gatewayId, sha256);
      if (stored === undefined) throw notFound(`attachment ${sha256}`);
      return reply.type(stored.mediaType).header('x-content-type-options', 'nosniff').send(stored.content);
    },
  );
};
