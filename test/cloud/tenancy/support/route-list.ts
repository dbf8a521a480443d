import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  method: string;
  /** fastify's path, e.g. /api/v1/alerts/:id */
  path: string;
}

/**
 * Every route the app registered, from fastify's own route tree (printRoutes), so
 * routes without an OpenAPI entry (hidden ones) are not missed. Each printed line is a
 * node whose full path is its ancestors' segments joined: `├── /:id (GET, HEAD)`.
 */
export function listRoutes(app: FastifyInstance): RouteEntry[] {
  const lines = app.printRoutes({ commonPrefix: false }).split('\n').filter((l) => l.trim().length > 0);
  const stack: string[] = [];
  const routes: RouteEntry[] = [];
  for (const line of lines) {
    const marker = Math.max(line.indexOf('├── '), line.indexOf('└── '));
    if (marker < 0) throw new Error(`unexpected printRoutes line: ${line}`);
    const depth = marker / 4;
    const rest = line.slice(marker + 4);
    const m = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(rest);
    if (!m) throw new Error(`unexpected printRoutes line: ${line}`);
    const segment = m[1] ?? '';
    stack.length = depth;
    const parent = stack.join('');
    const path = depth === 0 ? segment : `${parent}${parent.endsWith('/') || segment.startsWith('/') ? '' : '/'}${segment}`;
    stack.push(depth === 0 ? segment : path.slice(parent.length));
    for (const method of (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) routes.push({ method, path });
  }
  return routes;
}

/** fastify's `:id` as OpenAPI's `{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
