import type { FastifyInstance } from 'fastify';
import type { SensorStage } from './sensor-stage.ts';

/** `GET /api/v1/sensors`: each scale's level, reference and tare, each probe range's state, each lot's condition. */
export function registerSensorRoutes(app: FastifyInstance, deps: { sensors: Pick<SensorStage, 'snapshot'> }): void {
  app.get('/api/v1/sensors', async () => deps.sensors.snapshot());
}
