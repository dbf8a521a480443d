import type { FastifyInstance } from 'fastify';
import type { VideoStage } from './video-stage.ts';

/**
 * `GET /api/v1/video/cameras`: per camera, frames analysed and skipped, what is queued,
 * the last frame's time and size, an active tamper and a stream fault. 503 while any
 * camera is tampered or faulty, so monitoring can alert on the status alone.
 */
export function registerVideoRoutes(app: FastifyInstance, video: Pick<VideoStage, 'cameras'>): void {
  app.get('/api/v1/video/cameras', async (_request, reply) => {
    const items = video.cameras();
    const ok = items.every((c) => c.tamper === null && c.fault === null);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', items });
  });
}
