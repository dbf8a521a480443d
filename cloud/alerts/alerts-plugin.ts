import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Id } from '../../protocol/schemas/common.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { notFound } from '../errors.ts';
import { Cursor, Quantity, Uuid, UuidParams } from '../monitoring/wire.ts';
import { canSeeLot } from '../sites/site-visibility.ts';
import type { TenantDirectory } from '../sites/tenant-directory.ts';
import { userActor } from './case-access.ts';
import { FINDING_KINDS } from './case-finding.ts';
import type { CaseOpener } from './case-opener.ts';
import type { CaseQueries } from './case-queries.ts';
import { CASE_SEVERITIES } from './case-sla.ts';
import { CASE_STATUSES } from './case-state.ts';
import { EVIDENCE_KINDS } from './case-trigger.ts';
import { CaseDetailView, CaseView, CommentView, EvidenceView } from './case-views.ts';
import type { CaseWorkflow } from './case-workflow.ts';

export interface AlertsPluginOptions {
  queries: CaseQueries;
  workflow: CaseWorkflow;
  raise: CaseOpener;
  directory: TenantDirectory;
  now: () => Date;
}

const ListQuery = Type.Object({
  status: Type.Optional(Type.Enum([...CASE_STATUSES, 'active'], { description: "a status, or 'active' for every unresolved case" })),
  severity: Type.Optional(Type.Enum([...CASE_SEVERITIES])),
  kind: Type.Optional(Type.String({ maxLength: 64 })),
  site: Type.Optional(Id),
  lotId: Type.Optional(Id),
  assigneeId: Type.Optional(Uuid),
  overdue: Type.Optional(Type.Boolean()),
  cursor: Type.Optional(Cursor),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});

const OpenBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 500 }),
  severity: Type.Enum([...CASE_SEVERITIES]),
  site: Id,
  lotId: Type.Optional(Id),
  kind: Type.Optional(Type.String({ pattern: '^[a-z0-9_.-]{1,64}$', description: "defaults to 'manual'" })),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
});

const Note = Type.Optional(Type.String({ maxLength: 4000 }));
const ResolveBody = Type.Object({
  finding: Type.Object({
    kind: Type.Enum([...FINDING_KINDS]),
    quantity: Type.Optional(Quantity),
  }, { description: 'confirmed_loss needs the quantity lost; the others carry none' }),
  note: Note,
});

// Head office (risk officers) watches and acknowledges; the branch investigates and
// resolves; warehouse operators report back with comments and evidence; lenders read.
const HEAD_OFFICE = ['risk_officer', 'admin'] as const;
const INVESTIGATORS = ['branch_investigator', 'risk_officer', 'admin'] as const;
const REPORTERS = ['branch_investigator', 'risk_officer', 'warehouse_operator', 'admin'] as const;

export const alertsPlugin: FastifyPluginAsync<AlertsPluginOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { queries, workflow } = options;
  const docs = bearerRouteDocs(['alerts']);

  app.get(
    '/api/v1/alerts',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        'Alert cases the caller may see, newest first',
        { querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(CaseView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } },
        [400],
      ),
    },
    async (request) => queries.list(request.user, request.query),
  );

  app.post(
    '/api/v1/alerts',
    {
      onRequest: fastify.requireRole(...HEAD_OFFICE),
      schema: docs(
        'Raise a warning by hand (head office); joins the open case of the same site, lot and kind if there is one',
        { body: OpenBody, response: { 201: CaseDetailView, 200: CaseDetailView } },
        [400, 403, 404],
      ),
    },
    async (request, reply) => {
      const body = request.body;
      const visibility = await options.directory.visibilityFor(request.user);
      if (!canSeeLot(visibility, body.site, body.lotId ?? null)) throw notFound(body.lotId ? `lot ${body.lotId} at site ${body.site}` : `site ${body.site}`);
      const result = await options.raise(
        {
          kind: body.kind ?? 'manual',
          title: body.title,
          severity: body.severity,
          source: 'manual',
          siteId: body.site,
          lotId: body.lotId ?? null,
          gatewayId: null,
          at: options.now(),
          detail: { description: body.description ?? null, raisedBy: request.user.email },
          evidence: [],
          extraTenants: request.user.role === 'admin' ? [] : [request.user.tenantId],
        },
        userActor(request.user),
      );
      return reply.status(result.opened ? 201 : 200).send(await queries.get(request.user, result.caseId));
    },
  );

  app.get(
    '/api/v1/alerts/:id',
    {
      onRequest: fastify.requireRole(),
      schema: docs('One case with its comments and evidence', { params: UuidParams, response: { 200: CaseDetailView } }, [404]),
    },
    async (request) => queries.get(request.user, request.params.id),
  );

  const transitionRoute = (action: 'acknowledge' | 'investigate', roles: readonly (typeof INVESTIGATORS)[number][], summary: string) =>
    app.post(
      `/api/v1/alerts/:id/${action}`,
      {
        onRequest: fastify.requireRole(...roles),
        schema: docs(
          summary,
          { params: UuidParams, body: Type.Union([Type.Object({ note: Note }), Type.Null()], { description: 'optional: a note for the audit trail' }), response: { 200: CaseView } },
          [403, 404, 409],
        ),
      },
      async (request) => workflow.act(request.user, request.params.id, action, { note: request.body?.note }),
    );
  transitionRoute('acknowledge', HEAD_OFFICE, 'Head office acknowledges an open case (open → acknowledged)');
  transitionRoute('investigate', INVESTIGATORS, 'The branch starts investigating (acknowledged → investigating); an unassigned case is assigned to the investigator');

  app.post(
    '/api/v1/alerts/:id/resolve',
    {
      onRequest: fastify.requireRole(...INVESTIGATORS),
      schema: docs('Resolve with a finding (acknowledged or investigating → resolved)', { params: UuidParams, body: ResolveBody, response: { 200: CaseView } }, [400, 403, 404, 409]),
    },
    async (request) => workflow.act(request.user, request.params.id, 'resolve', request.body),
  );

  app.post(
    '/api/v1/alerts/:id/assign',
    {
      onRequest: fastify.requireRole(...HEAD_OFFICE),
      schema: docs("Assign a branch investigator of the caller's bank", { params: UuidParams, body: Type.Object({ userId: Uuid }), response: { 200: CaseView } }, [400, 403, 404, 409]),
    },
    async (request) => workflow.assign(request.user, request.params.id, request.body.userId),
  );

  app.post(
    '/api/v1/alerts/:id/comments',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        'Comment on a case (anyone who sees it; the branch reports back here)',
        { params: UuidParams, body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) }), response: { 201: CommentView } },
        [400, 404],
      ),
    },
    async (request, reply) => reply.status(201).send(await workflow.comment(request.user, request.params.id, request.body.body)),
  );

  app.post(
    '/api/v1/alerts/:id/evidence',
    {
      onRequest: fastify.requireRole(...REPORTERS),
      schema: docs(
        'Link evidence: an event id, a camera crop, an audio clip or a document',
        {
          params: UuidParams,
          body: Type.Object({
            kind: Type.Enum([...EVIDENCE_KINDS]),
            ref: Type.String({ minLength: 1, maxLength: 2048 }),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          }),
          response: { 201: EvidenceView },
        },
        [400, 403, 404, 409],
      ),
    },
    async (request, reply) => reply.status(201).send(await workflow.addEvidence(request.user, request.params.id, request.body)),
  );
};
