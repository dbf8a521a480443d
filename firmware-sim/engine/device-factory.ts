import { topics, type DeviceKind } from '../../protocol/index.ts';
import type { SiteConfig } from '../../protocol/site/site-config.ts';
import { CameraCore } from '../camera/camera-core.ts';
import { FrameRenderer } from '../camera/renderer.ts';
import { MicrophoneCore } from '../audio/microphone-core.ts';
import type { Rng } from '../core/prng.ts';
import type { DeviceLayout } from '../model/device-layout.ts';
import type { Warehouse } from '../model/warehouse.ts';
import { RfidReaderCore, readerModel } from '../rfid/reader-core.ts';
import { SensorCore } from '../sensors/sensor-core.ts';
import type { DeviceFaults } from './faults.ts';
import type { DeviceOptions, ImpinjBatching, RfidFormatName } from './options.ts';
import { willPayload } from './status.ts';
import type { DeviceCore, DeviceInfo } from './types.ts';

export interface FactoryDeps {
  site: SiteConfig;
  layout: DeviceLayout;
  warehouse: Warehouse;
  options: DeviceOptions;
  rng: Rng;
  faults: DeviceFaults;
  renderer?: FrameRenderer;
}

const FORMAT_CYCLE: readonly RfidFormatName[] = ['impinj', 'zebra', 'compact'];

function info(site: string, id: string, kind: DeviceKind, model: string, firmware: string, v5: boolean, format?: string): DeviceInfo {
  return {
    id,
    kind,
    clientId: `wh-sim-${site}-${kind}-${id}`,
    protocolVersion: v5 ? 5 : 4,
    model,
    firmware,
    ...(format ? { format } : {}),
    will: { topic: topics.deviceStatus(site, id), payload: willPayload({ kind }) },
  };
}

/** Builds the device cores the site and options call for, in a stable order. */
export function createDevices(deps: FactoryDeps): DeviceCore[] {
  const { site, layout, warehouse, options, rng, faults } = deps;
  const s = site.site;
  const wanted = (id: string) => !options.only || options.only.includes(id);
  const v5 = options.connection.preferMqtt5;
  const cores: DeviceCore[] = [];
  if (options.rfid.enabled) {
    let impinjCount = 0;
    for (const reader of layout.readers) {
      const format = options.rfid.formats[reader.id] ?? (options.rfid.format === 'mix' ? (FORMAT_CYCLE[reader.index % 3] as RfidFormatName) : options.rfid.format);
      const batching: ImpinjBatching =
        options.rfid.impinjBatching === 'mix' ? (impinjCount % 2 === 0 ? 'ndjson' : 'array') : options.rfid.impinjBatching;
      if (format === 'impinj') impinjCount += 1;
      if (!wanted(reader.id)) continue;
      const m = readerModel(format);
      cores.push(
        new RfidReaderCore({
          site: s,
          layout: reader,
          warehouse,
          options,
          format,
          batching,
          rng: rng.fork(`rfid:${reader.id}`),
          faults,
          info: info(s, reader.id, 'rfid', m.model, m.firmware, false, format),
        }),
      );
    }
  }
  if (options.camera.enabled) {
    const renderer = deps.renderer ?? new FrameRenderer();
    for (const camera of layout.cameras) {
      if (!wanted(camera.id)) continue;
      cores.push(
        new CameraCore({
          site,
          layout: camera,
          warehouse,
          options,
          rng: rng.fork(`camera:${camera.id}`),
          faults,
          renderer,
          info: info(s, camera.id, 'camera', 'fixed IP camera, MQTT snapshot', '5.51.2', v5),
        }),
      );
    }
  }
  if (options.audio.enabled) {
    for (const mic of layout.microphones) {
      if (!wanted(mic.id)) continue;
      cores.push(
        new MicrophoneCore({
          site,
          layout: mic,
          warehouse,
          options,
          rng: rng.fork(`audio:${mic.id}`),
          info: info(s, mic.id, 'audio', 'networked MEMS microphone', '1.8.0', v5),
        }),
      );
    }
  }
  if (options.sensors.enabled) {
    for (const sensor of layout.sensors) {
      if (!wanted(sensor.id)) continue;
      const model = sensor.role === 'scale' ? 'floor scale, load cells' : 'temperature/humidity probe';
      cores.push(
        new SensorCore({
          site,
          layout: sensor,
          warehouse,
          options,
          rng: rng.fork(`sensor:${sensor.id}`),
          info: info(s, sensor.id, 'sensor', model, '2.3.4', false),
        }),
      );
    }
  }
  return cores;
}
