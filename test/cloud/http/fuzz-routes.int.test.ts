import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud, type TokenHolder } from '../../support/cloud-app.ts';

/** A JSON Schema node as @fastify/swagger writes it into /docs/json. */
interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
}
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema?: SchemaNode;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: SchemaNode }> };
}

// What an attacker tries first: NUL, lone surrogates, LIKE wildcards, SQL, long text.
const HOSTILE_STRINGS = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '%', '_', "' OR 1=1 --", 'a'.repeat(5_000), '9999-12-31', '', ' ', '../../etc/passwd'];
const HUGE_NUMBERS = [2 ** 31, 2 ** 32, 2 ** 53 + 2, 1e308, -1e308, -1, 0, 0.5, Number.MAX_SAFE_INTEGER];
const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const hostileNumber = fc.oneof(fc.constantFrom(...HUGE_NUMBERS), fc.integer(), fc.double({ noNaN: true }));

/** Values shaped by the schema most of the time, hostile in their leaves. */
function fromSchema(schema: SchemaNode | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (schema === undefined || depth > 4) return fc.oneof(hostileString, hostileNumber, fc.constant(null));
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), hostileString);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(s, depth + 1)));
  if (schema.allOf?.[0]) return fromSchema(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return hostileString;
    case 'integer':
    case 'number':
      return hostileNumber;
    case 'boolean':
      return fc.oneof(fc.boolean(), hostileString);
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 3 });
    case 'object': {
      const entries = Object.entries(schema.properties ?? {});
      return fc.record(Object.fromEntries(entries.map(([key, child]) => [key, fromSchema(child, depth + 1)])), { requiredKeys: [] });
    }
    default:
      return fc.oneof(hostileString, hostileNumber);
  }
}

const asQueryValue = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

/**
 * Issue 17: every route of the OpenAPI document, with path, query and body generated from
 * its own schema and hostile leaves (NUL, lone surrogates, huge numbers, deep nesting),
 * called as an administrator so handlers run: never a 5xx.
 */
describe('fuzzing every HTTP route from its schema', () => {
  let cloud: TestCloud;
  let admin: TokenHolder;
  beforeAll(async () => {
    cloud = await startTestCloud({ tenants: [{ id: 'platform', kind: 'platform' }] });
    admin = cloud.tokenHolder('platform', 'admin');
    await admin.ready();
  });
  afterAll(() => cloud.close());

  it('answers every generated request without a server error', async () => {
    const doc = (await cloud.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, Operation>> };
    const routes = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        // The live stream never ends by design; logins hash a password each (tested on their own).
        .filter(([, op]) => typeof op === 'object' && path !== '/api/v1/live' && path !== '/api/v1/auth/login')
        .map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    expect(routes.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const [index, route] of routes.entries()) {
      const params = route.op.parameters ?? [];
      const bodySchema = Object.values(route.op.requestBody?.content ?? {})[0]?.schema;
      const contentType = Object.keys(route.op.requestBody?.content ?? {})[0] ?? 'application/json';
      const request = fc.record({
        path: fc.record(Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, fromSchema(p.schema)]))),
        query: fc.record(Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, fromSchema(p.schema)])), { requiredKeys: [] }),
        body: fc.oneof({ weight: 4, arbitrary: fromSchema(bodySchema).map((b) => JSON.stringify(b) ?? 'null') }, { weight: 1, arbitrary: fc.constantFrom(deepJson(5_000), '{"a":', '\u0000', '[]') }),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ path, query, body }) => {
          const url = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(asQueryValue(path[name]) || 'x'));
          const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, asQueryValue(v)])).toString();
          const res = await cloud.app.inject({
            method: route.method as 'GET',
            url: search ? `${url}?${search}` : url,
            headers: { authorization: `Bearer ${admin.token}`, ...(route.op.requestBody ? { 'content-type': contentType } : {}) },
            ...(route.op.requestBody ? { payload: body } : {}),
          });
          if (res.statusCode >= 500) failures.push(`${route.method} ${url}?${search} ${body.slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
          return res.statusCode < 500;
        }),
        { seed: 17_000 + index, numRuns: 6, endOnFailure: true },
      ).catch(() => undefined);
    }
    expect(failures).toEqual([]);
  });
});
