import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { Uuid, UuidParams } from '../monitoring/wire.ts';
import type { CasePhotos } from './case-photos.ts';
import { photoView, PhotoView } from './case-views.ts';
import { checkPhoto, MAX_PHOTO_BYTES, PHOTO_MEDIA_TYPES } from './photo-format.ts';

/** A refusal with its HTTP status (413, 415), rendered by the one error handler. */
const refusal = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

/**
 * Photos on case comments. Uploaded as the raw image (Content-Type image/jpeg or
 * image/png; a phone's camera output as it is), one per request, so no multipart
 * parser is needed and the size bound is the route's body limit.
 */
export const casePhotosPlugin: FastifyPluginAsync<{ photos: CasePhotos }> = async (fastify, { photos }) => {
  // Encapsulated: only this plugin's routes accept image bodies.
  fastify.addContentTypeParser([...PHOTO_MEDIA_TYPES], { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_request, body, done) => done(null, body));
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['alerts']);

  app.post(
    '/api/v1/alerts/:id/comments/:commentId/photos',
    {
      onRequest: fastify.requireRole(),
      bodyLimit: MAX_PHOTO_BYTES,
      schema: docs(
        "Attach a photo (JPEG or PNG, at most 8 MiB, typed by its magic bytes) to one's own comment on a case",
        { consumes: [...PHOTO_MEDIA_TYPES], params: Type.Object({ id: Uuid, commentId: Uuid }), response: { 201: PhotoView } },
        [400, 404, 409, 413, 415],
      ),
    },
    async (request, reply) => {
      const body: unknown = request.body;
      if (!Buffer.isBuffer(body)) throw refusal(415, 'send the photo as the body, with Content-Type image/jpeg or image/png');
      const checked = checkPhoto(body, request.headers['content-type']);
      if (!checked.ok) throw refusal(checked.status, checked.reason);
      const meta = await photos.attach(request.user, request.params.id, request.params.commentId, { bytes: body, mediaType: checked.mediaType });
      return reply.status(201).send(photoView(meta));
    },
  );

  // Without the type provider: the reply is the image's bytes, which the JSON-typed replies cannot express.
  fastify.get<{ Params: { id: string } }>(
    '/api/v1/case-photos/:id',
    {
      onRequest: fastify.requireRole(),
      schema: docs(
        'A photo of a case comment, to whoever may see the case (404 to anyone else)',
        {
          params: UuidParams,
          response: { 200: { description: 'the image as stored', content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } }, 'image/png': { schema: { type: 'string', format: 'binary' } } } } },
        },
        [400, 404],
      ),
    },
    async (request, reply) => {
      const photo = await photos.read(request.user, request.params.id);
      // Served as the type its bytes are, never sniffed into something else, never framed
      // into a page; cached only by the viewer's browser (the photo is the bank's evidence).
      return reply
        .type(photo.mediaType)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .header('etag', `"${photo.sha256}"`)
        .send(Buffer.from(photo.bytes));
    },
  );
};
