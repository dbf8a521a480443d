import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);

interface Asset {
  readonly type: string;
  readonly etag: string;
  readonly raw: Buffer;
  readonly gzip: Buffer;
  readonly brotli: Buffer;
}

function asset(type: string, text: string): Asset {
  const raw = Buffer.from(text);
  return {
    type,
    etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`,
    raw,
    gzip: gzipSync(raw, { level: 9 }),
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  };
}

/** Sends the smallest encoding the client accepts; a matching ETag gets 304. */
function send(request: FastifyRequest, reply: FastifyReply, file: Asset, cacheControl: string): FastifyReply {
  reply.header('content-type', file.type).header('cache-control', cacheControl).header('etag', file.etag).header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) return reply.header('content-encoding', 'br').send(file.brotli);
  if (/\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(file.gzip);
  return reply.send(file.raw);
}

/**
 * The dashboard: one static page whose script is written in TypeScript like the rest of
 * the code base and bundled by esbuild once, when the cloud starts (with uPlot, no CDN).
 * Script and styles are compressed once (brotli, gzip) and served under content-hashed
 * URLs that may be cached for a year; the page itself is revalidated by ETag.
 */
export const dashboardPlugin: FastifyPluginAsync = async (app) => {
  const [html, css, uplotCss, bundle] = await Promise.all([
    readFile(`${here}index.html`, 'utf8'),
    readFile(`${here}dashboard.css`, 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    build({ entryPoints: [`${here}client/main.ts`], bundle: true, write: false, format: 'esm', target: 'es2022', minify: true, sourcemap: false, logLevel: 'silent' }),
  ]);
  const script = asset('text/javascript; charset=utf-8', bundle.outputFiles[0]?.text ?? '');
  const styles = asset('text/css; charset=utf-8', `${uplotCss}\n${css}`);
  const tag = (a: Asset) => a.etag.slice(1, 13);
  const scriptUrl = `/dashboard/app.${tag(script)}.js`;
  const stylesUrl = `/dashboard/dashboard.${tag(styles)}.css`;
  const page = asset('text/html; charset=utf-8', html.replace('/dashboard/app.js', scriptUrl).replace('/dashboard/dashboard.css', stylesUrl));
  const immutable = 'public, max-age=31536000, immutable';

  app.get('/', { schema: { hide: true } }, async (request, reply) => send(request, reply, page, 'no-cache'));
  app.get(scriptUrl, { schema: { hide: true } }, async (request, reply) => send(request, reply, script, immutable));
  app.get(stylesUrl, { schema: { hide: true } }, async (request, reply) => send(request, reply, styles, immutable));
};
