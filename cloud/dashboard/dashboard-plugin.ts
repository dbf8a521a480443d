import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FastifyPluginAsync } from 'fastify';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The lender dashboard: one static page whose script is written in TypeScript like the
 * rest of the code base and bundled by esbuild once, when the cloud starts. It talks to
 * the same public API as any other client (login, REST, Server-Sent Events).
 */
export const dashboardPlugin: FastifyPluginAsync = async (app) => {
  const [html, css, bundle] = await Promise.all([
    readFile(`${here}index.html`, 'utf8'),
    readFile(`${here}dashboard.css`, 'utf8'),
    build({
      entryPoints: [`${here}client/main.ts`],
      bundle: true,
      write: false,
      format: 'esm',
      target: 'es2022',
      minify: true,
      sourcemap: false,
      logLevel: 'silent',
    }),
  ]);
  const script = bundle.outputFiles[0]?.text ?? '';

  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
  app.get('/dashboard/app.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(script),
  );
  app.get('/dashboard/dashboard.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(css),
  );
};
