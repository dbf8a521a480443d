import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '../../support/cloud-app.ts';

interface OpenApiOperation {
  security?: Array<Record<string, unknown>>;
  requestBody?: { content?: Record<string, unknown> };
}

/**
 * Every protected route refuses a caller without credentials before reading the body:
 * a 60 MiB upload from a stranger is answered 401 after its first chunk, never buffered.
 * The body here never ends, so a route that authenticated after reading it would never answer.
 */
describe('authentication before the body is read', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
  });
  afterAll(() => cloud.close());

  it('answers 401 to an unauthenticated, endless upload on every protected route that takes a body', async () => {
    const doc = (await cloud.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, OpenApiOperation>> };
    const routes: Array<{ method: string; url: string; contentType: string }> = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operation.security?.length || operation.requestBody === undefined) continue;
        const contentType = Object.keys(operation.requestBody.content ?? {})[0] ?? 'application/json';
        // Path parameters get a well-formed value, so only authentication can refuse.
        routes.push({ method: method.toUpperCase(), url: path.replace(/\{[^}]+\}/g, 'x1'), contentType });
      }
    }
    expect(routes.length).toBeGreaterThan(20);
    const outcomes = await Promise.all(
      routes.map(async (route) => {
        const body = new PassThrough();
        body.write(Buffer.alloc(64 * 1024, 0x20));
        const answered = cloud.app.inject({
          method: route.method as 'POST',
          url: route.url,
          headers: { 'content-type': route.contentType, 'content-length': String(60 * 1024 * 1024) },
          payload: body,
        });
        const timeout = new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), 5_000).unref());
        const outcome = await Promise.race([answered.then((r) => r.statusCode), timeout]);
        body.destroy();
        return `${route.method} ${route.url} ${String(outcome)}`;
      }),
    );
    expect(outcomes.filter((o) => !o.endsWith(' 401'))).toEqual([]);
  });
});
