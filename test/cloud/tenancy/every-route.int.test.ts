import { evidenceOf } from '../../support/evidence-examples.ts';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../cloud/alerts/case-views.ts';
import type { Role } from '../../../cloud/auth/principal.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld } from '../alerts/support/monitoring-world.ts';
import { listRoutes, openApiPath, type RouteEntry } from './support/route-list.ts';
import { exampleFor, substitute, type JsonSchema } from './support/schema-example.ts';

/**
 * Every route the app registers (including those other domains add later), checked
 * for tenant isolation: without a token nothing but the documented public routes
 * answers; a user of another tenant gets 404 (or 403 for a role that may not) for
 * this tenant's resources, never a success or a conflict that reveals them, and lists
 * without any of this tenant's data in them.
 */

// PROTOCOL.md and README: what answers without a user token. Gateway-token routes are
// not here: they need the gateway's token, which the test checks too.
const PUBLIC: readonly RegExp[] = [
  /^GET \/$/, // the dashboard page: static, no data
  /^GET \/dashboard\//, // its script and style sheet
  /^GET \/(health|ready|metrics)$/,
  /^GET \/docs(\/.*)?$/,
  /^POST \/api\/v1\/auth\/login$/,
  /^GET \/api\/v1\/gateways\/:id\/key$/, // public keys are public
];

// Sign-out ends every session of the caller: sent as another tenant's user it would
// leave that user's token refused for every route after it. Checked in test/cloud/auth.
const ENDS_SESSION: readonly RegExp[] = [/^POST \/api\/v1\/auth\/logout$/];

// Market reference data every tenant shares: checked for leaks, not for 404s.
const SHARED: readonly RegExp[] = [/^\/api\/v1\/(prices|commodities)(\/|$)/];

const OTHER_ROLES: readonly [string, Role][] = [
  ['bank-b', 'lender'],
  ['bank-b', 'risk_officer'],
  ['bank-b', 'branch_investigator'],
  ['wh-b', 'warehouse_operator'],
  ['borrower-b', 'borrower'],
];

interface OpenApiOperation {
  security?: Record<string, unknown>[];
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

interface DocOperation {
  tags?: string[];
  summary?: string;
  security?: unknown[];
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

describe('tenancy on every route', () => {
  let w: MonitoringWorld;
  let routes: RouteEntry[];
  let operations: Record<string, Record<string, OpenApiOperation>>;
  let components: Record<string, JsonSchema>;
  let admin: Caller;
  let others: Caller[];
  const markers: string[] = [];
  let fixtures: Record<string, string>;
  let bodyRefs: Record<string, string>;

  beforeAll(async () => {
    w = await startMonitoringWorld();
    // Tenant A: bank-a lends against LOT-A1 at wh-a's site s-a, watched by gateway gw-s-a.
    const pledged = await w.pledgeLot({ site: 's-a', lotId: 'LOT-A1', bank: 'bank-a', operator: 'wh-a' });
    const risk = await w.as('bank-a', 'risk_officer', { email: 'risk@bank-a.secret' });
    const branch = await w.as('bank-a', 'branch_investigator', { email: 'branch@bank-a.secret' });
    admin = await w.as('platform', 'admin');
    const gw = await w.gateway('s-a');
    await gw.send([
      { type: 'lot.verified', severity: 'info', lotId: 'LOT-A1', zone: 'bay-secret', evidence: { expected: 10, present: 9, missing: 1 } },
      { type: 'tags.missing', severity: 'critical', lotId: 'LOT-A1', zone: 'bay-secret', evidence: evidenceOf('tags.missing', { count: 1 }) },
    ]);
    const caseId = ((expectStatus(await risk.get('/api/v1/alerts'), 200).items as CaseView[])[0] as CaseView).id;
    expectStatus(await risk.post(`/api/v1/alerts/${caseId}/comments`, { body: 'comment-secret' }), 201);
    const inspection = expectStatus(await risk.post('/api/v1/inspections', { site: 's-a', scheduledFor: '2031-05-05T10:00:00.000Z' }), 201);
    fixtures = {
      alerts: caseId,
      receipts: pledged.receiptId,
      facilities: pledged.facilityId,
      pledges: pledged.pledgeId,
      inspections: String(inspection.id),
      gateways: gw.id,
      sites: 's-a',
      tenants: 'bank-a',
      users: risk.userId,
      prices: 'copper',
      commodities: 'copper',
    };
    bodyRefs = {
      siteId: 's-a',
      site: 's-a',
      lotId: 'LOT-A1',
      receiptId: pledged.receiptId,
      facilityId: pledged.facilityId,
      pledgeId: pledged.pledgeId,
      caseId,
      userId: branch.userId,
      tenantId: 'bank-a',
      gatewayId: gw.id,
      inspectionId: String(inspection.id),
    };
    markers.push(...['bank-a', 'wh-a', 's-a', 'gw-s-a', 'LOT-A1', 'bay-secret'].map((m) => JSON.stringify(m)));
    markers.push(caseId, pledged.receiptId, pledged.facilityId, pledged.pledgeId, String(inspection.id), risk.userId, branch.userId, 'risk@bank-a.secret', 'comment-secret');
    others = await Promise.all(OTHER_ROLES.map(([tenant, role]) => w.as(tenant, role)));
    routes = listRoutes(w.app).filter((r) => r.method !== 'HEAD');
    const doc = w.app.swagger() as unknown as { paths: Record<string, Record<string, OpenApiOperation>>; components?: { schemas?: Record<string, JsonSchema> } };
    operations = doc.paths;
    components = doc.components?.schemas ?? {};
  });
  afterAll(() => w.close());

  const key = (r: RouteEntry) => `${r.method} ${r.path}`;
  const isPublic = (r: RouteEntry) => PUBLIC.some((p) => p.test(key(r)));
  const isShared = (r: RouteEntry) => SHARED.some((p) => p.test(r.path));
  const operation = (r: RouteEntry): OpenApiOperation | undefined => operations[openApiPath(r.path)]?.[r.method.toLowerCase()];
  const isStream = (r: RouteEntry) => Object.keys(operation(r)?.responses?.['200']?.content ?? {}).includes('text/event-stream');
  const usesGatewayToken = (r: RouteEntry) => (operation(r)?.security ?? []).some((s) => 'gatewayToken' in s);

  /** The route's URL with this tenant's ids in its parameters, and whether all came from fixtures. */
  const urlFor = (r: RouteEntry): { url: string; fromFixtures: boolean } => {
    let fromFixtures = true;
    const segments = r.path.split('/');
    const url = segments
      .map((segment, i) => {
        if (!segment.startsWith(':')) return segment;
        const name = segment.slice(1);
        const known = name === 'commodity' ? 'copper' : name === 'id' ? fixtures[segments[i - 1] ?? ''] : undefined;
        if (known === undefined) fromFixtures = false;
        return encodeURIComponent(known ?? randomUUID());
      })
      .join('/');
    return { url, fromFixtures: fromFixtures && r.path.includes(':') };
  };

  /** A valid body (JSON, or text for routes taking e.g. CSV), with tenant A's ids in fields that name resources. */
  const bodyFor = (r: RouteEntry): { body: unknown; contentType: string; refersToA: boolean } | undefined => {
    if (r.method === 'GET' || r.method === 'DELETE') return undefined;
    const content = operation(r)?.requestBody?.content ?? {};
    const contentType = 'application/json' in content ? 'application/json' : (Object.keys(content)[0] ?? 'application/json');
    const example = exampleFor(content[contentType]?.schema, components);
    if (contentType !== 'application/json') return { body: typeof example === 'string' ? example : '', contentType, refersToA: false };
    const { value, replaced } = substitute(example, bodyRefs);
    return { body: value ?? {}, contentType, refersToA: replaced };
  };

  /** Required query parameters, so validation passes and the route's own checks run. */
  const queryFor = (r: RouteEntry): string => {
    const required = (operation(r)?.parameters ?? []).filter((p) => p.in === 'query' && p.required === true);
    const params = new URLSearchParams(required.map((p) => [p.name, String(exampleFor(p.schema, components))]));
    return required.length > 0 ? `?${params.toString()}` : '';
  };

  const send = (r: RouteEntry, headers: Record<string, string>): Promise<LightMyRequestResponse> => {
    const body = bodyFor(r);
    return w.app.inject({
      method: r.method as 'GET',
      url: `${urlFor(r).url}${queryFor(r)}`,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': body.contentType }) },
      ...(body === undefined ? {} : { payload: typeof body.body === 'string' ? body.body : (body.body as object) }),
    });
  };

  const leaks = (res: LightMyRequestResponse): string[] => markers.filter((m) => res.body.includes(m));

  it('finds the routes of every domain', () => {
    const paths = new Set(routes.map((r) => r.path));
    for (const p of ['/api/v1/alerts/:id', '/api/v1/events', '/api/v1/live', '/api/v1/audit', '/api/v1/sites/:id', '/api/v1/gateways/:id/events']) expect(paths).toContain(p);
    expect(routes.length).toBeGreaterThan(40);
  });

  it("shows this tenant's resources to its side (the fixtures are real, so the 404s below mean something)", async () => {
    const failures: string[] = [];
    for (const r of routes.filter((route) => route.method === 'GET' && !isPublic(route) && !isShared(route) && !isStream(route) && !usesGatewayToken(route))) {
      const { url, fromFixtures } = urlFor(r);
      if (!fromFixtures) continue;
      const res = await w.app.inject({ method: 'GET', url: `${url}${queryFor(r)}`, headers: { authorization: `Bearer ${admin.token}` } });
      if (res.statusCode !== 200) failures.push(`${key(r)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    for (const url of ['/api/v1/alerts', '/api/v1/events', '/api/v1/sites', '/api/v1/gateways', '/api/v1/inspections', '/api/v1/audit', '/api/v1/tenants', '/api/v1/users']) {
      const res = await admin.get(url);
      expect(leaks(res).length, `${url} shows tenant A's data to an administrator`).toBeGreaterThan(0);
    }
  });

  it('answers nothing but the documented public routes without a token', async () => {
    const failures: string[] = [];
    for (const r of routes) {
      const res = await send(r, {});
      if (isPublic(r)) {
        if (res.statusCode >= 500) failures.push(`${key(r)} (public) → ${res.statusCode}`);
        continue;
      }
      if (res.statusCode !== 401) failures.push(`${key(r)} → ${res.statusCode} ${res.body.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
  });

  it("gives another tenant's users 404 (or 403) for this tenant's resources and lists without its data", async () => {
    const failures: string[] = [];
    for (const r of routes.filter((route) => !isPublic(route) && !isStream(route) && !ENDS_SESSION.some((p) => p.test(key(route))))) {
      const { fromFixtures } = urlFor(r);
      const refersToA = fromFixtures || (bodyFor(r)?.refersToA ?? false);
      for (const [i, caller] of others.entries()) {
        const who = OTHER_ROLES[i]?.join('/') ?? '';
        const res = await send(r, { authorization: `Bearer ${caller.token}` });
        const status = res.statusCode;
        const found = status < 300 ? leaks(res) : [];
        if (status >= 500) failures.push(`${key(r)} as ${who} → ${status}`);
        else if (found.length > 0) failures.push(`${key(r)} as ${who} → ${status} leaks ${found.join(', ')}`);
        else if (usesGatewayToken(r) && status !== 401) failures.push(`${key(r)} as ${who} (a user token on a gateway route) → ${status}`);
        else if (!isShared(r) && refersToA && status < 300) failures.push(`${key(r)} as ${who} succeeded (${status}) on tenant A's resource`);
        else if (!isShared(r) && refersToA && (status === 409 || status === 422)) failures.push(`${key(r)} as ${who} → ${status}: reveals that tenant A's resource exists`);
      }
    }
    expect(failures).toEqual([]);
  });
  it('describes every API route in the OpenAPI document at /docs with a tag, a summary, its success response and its errors', async () => {
    const res = await w.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, Record<string, DocOperation>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    const errorSchema = Object.entries(doc.components.schemas).find(([, s]) => s.properties !== undefined && 'statusCode' in s.properties && 'error' in s.properties && 'message' in s.properties)?.[0];
    expect(errorSchema, 'the ErrorResponse schema is a component').toBeDefined();
    const problems: string[] = [];
    for (const route of routes.filter((r) => r.path.startsWith('/api/v1/'))) {
      const op = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      const name = `${route.method} ${route.path}`;
      if (op === undefined) {
        problems.push(`${name}: not in the OpenAPI document`);
        continue;
      }
      if (!op.tags?.length) problems.push(`${name}: no tag`);
      if (!op.summary) problems.push(`${name}: no summary`);
      const codes = Object.keys(op.responses ?? {});
      if (!codes.some((c) => c.startsWith('2'))) problems.push(`${name}: no success response`);
      const errors = codes.filter((c) => c.startsWith('4'));
      if (errors.length === 0) problems.push(`${name}: no error responses`);
      for (const code of errors) {
        const ref = op.responses?.[code]?.content?.['application/json']?.schema?.$ref;
        if (ref !== `#/components/schemas/${errorSchema}`) problems.push(`${name}: ${code} is not the ErrorResponse`);
      }
      const isPublic = (route.method === 'POST' && route.path === '/api/v1/auth/login') || (route.method === 'GET' && route.path === '/api/v1/gateways/:id/key');
      if (!isPublic && !op.security?.length) problems.push(`${name}: no security requirement`);
      // Every token is checked against its account on each request, so any secured route can answer 401.
      if (!isPublic && !codes.includes('401')) problems.push(`${name}: secured but 401 is not documented`);
    }
    expect(problems).toEqual([]);
  });
});
