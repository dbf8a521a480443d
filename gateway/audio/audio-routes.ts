import type { FastifyInstance } from 'fastify';
import type { AudioStage } from './audio-stage.ts';

/**
 * `GET /api/v1/audio/health`: per microphone its stream accounting (gaps, duplicates,
 * reordered, late, restarts, chunks timed by arrival), level, open findings, baseline
 * hours learned and fault; 200 while every microphone hears, 503 when one is silent or clipping.
 */
export function registerAudioRoutes(app: FastifyInstance, deps: { audio: Pick<AudioStage, 'health'> }): void {
  app.get('/api/v1/audio/health', async (_request, reply) => {
    const health = deps.audio.health();
    return reply.status(health.ok ? 200 : 503).send({ status: health.ok ? 'ok' : 'degraded', ...health });
  });
}
