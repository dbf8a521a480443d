import { DeviceStatus, deviceRef, parseJsonPayload, type DeviceChannel, type DeviceKind } from '../../protocol/index.ts';
import type { Stage, StageContext } from '../pipeline/stage.ts';
import type { DeviceMessage } from '../pipeline/device-message.ts';
import { buildDeviceDirectory } from './device-directory.ts';
import { registerDeviceRoutes } from './device-routes.ts';
import { createPresenceTracker, type PresenceChange } from './presence-tracker.ts';

const KIND_OF_CHANNEL: Partial<Record<DeviceChannel, DeviceKind>> = {
  'rfid.events': 'rfid',
  'camera.frame': 'camera',
  'audio.pcm': 'audio',
  'sensor.reading': 'sensor',
};

export type DevicePresenceStage = Stage & { snapshot: ReturnType<typeof createPresenceTracker>['snapshot'] };

/**
 * `device.online` / `device.offline` from status topics (last wills) and from silence.
 * Offers `GET /api/v1/devices`.
 */
export function createDevicePresenceStage(ctx: StageContext, options: { silenceMs: number }): DevicePresenceStage {
  const directory = buildDeviceDirectory(ctx.site);
  const tracker = createPresenceTracker(options.silenceMs);

  const emit = (c: PresenceChange | undefined) => {
    if (!c) return;
    const info = directory.get(c.deviceId);
    const kind = c.kind ?? info?.kind;
    ctx.emit({
      type: c.state === 'online' ? 'device.online' : 'device.offline',
      // A dark device is a hole in the evidence; fusion decides how bad it is.
      severity: c.state === 'online' ? 'info' : 'warning',
      zone: info?.zones.length === 1 ? info.zones[0] : undefined,
      ts: c.at.toISOString(),
      evidence: {
        device: kind ? deviceRef(ctx.site.site, kind, c.deviceId) : `${ctx.site.site}/device/${c.deviceId}`,
        reason: c.reason,
        lastSeen: c.lastSeen?.toISOString() ?? null,
        zones: info?.zones ?? [],
        configured: info !== undefined,
      },
    });
  };

  const stage: DevicePresenceStage = {
    name: 'device-presence',
    channels: ['rfid.events', 'camera.frame', 'audio.pcm', 'sensor.reading', 'device.status'],
    handle(message: DeviceMessage) {
      const at = message.receivedAt;
      if (message.channel !== 'device.status') {
        const kind = KIND_OF_CHANNEL[message.channel];
        if (kind) emit(tracker.activity(message.deviceId, kind, at));
        return;
      }
      const status = parseJsonPayload(DeviceStatus, message.payload);
      if (!status.ok) {
        ctx.reject(message, 'bad_status', status.error);
        return;
      }
      emit(tracker.status(message.deviceId, status.value.state, at, directory.get(message.deviceId)?.kind));
    },
    tick(now: Date) {
      for (const change of tracker.tick(now)) emit(change);
    },
    snapshot: tracker.snapshot,
    routes(app) {
      registerDeviceRoutes(app, { presence: { snapshot: tracker.snapshot } });
    },
  };
  return stage;
}
