import type { FastifyInstance } from 'fastify';
import type { DevicePresenceStage } from './device-presence-stage.ts';

/** `GET /api/v1/devices`: each device heard or configured, online or not, and when it was last seen. */
export function registerDeviceRoutes(app: FastifyInstance, deps: { presence: Pick<DevicePresenceStage, 'snapshot'> }): void {
  app.get('/api/v1/devices', async () => ({ items: deps.presence.snapshot() }));
}
