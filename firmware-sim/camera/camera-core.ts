import { topics } from '../../protocol/index.ts';
import type { SiteConfig } from '../../protocol/site/site-config.ts';
import type { Rng } from '../core/prng.ts';
import type { DeviceFaults } from '../engine/faults.ts';
import type { DeviceOptions } from '../engine/options.ts';
import type { DeviceCore, DeviceInfo, TickContext } from '../engine/types.ts';
import type { CameraLayout } from '../model/device-layout.ts';
import type { Warehouse } from '../model/warehouse.ts';
import { lightingAt } from './lighting.ts';
import { NOISE_SLACK, type CameraLook, type FrameRenderer } from './renderer.ts';
import { sceneOf } from './scene.ts';

export interface CameraDeps {
  site: SiteConfig;
  layout: CameraLayout;
  warehouse: Warehouse;
  options: DeviceOptions;
  rng: Rng;
  faults: DeviceFaults;
  renderer: FrameRenderer;
  info: DeviceInfo;
}

/**
 * A fixed IP camera publishing JPEG snapshots. A frozen camera (hung encoder, or a loop
 * fed in by an intruder) repeats its last frame byte for byte; the other tamper modes
 * change what the lens sees.
 */
export class CameraCore implements DeviceCore {
  readonly info: DeviceInfo;
  private readonly deps: CameraDeps;
  private readonly look: CameraLook;
  private seq = 0;
  private last: Promise<Buffer> | undefined;

  constructor(deps: CameraDeps) {
    this.deps = deps;
    this.info = deps.info;
    this.look = cameraLook(deps.rng.fork('look'), deps.options.camera.width, deps.options.camera.height);
  }

  onBoot(): void {
    this.seq = 0;
    this.last = undefined;
  }

  tick(t: number, ctx: TickContext): number {
    const { options, faults, rng, warehouse, site, layout, renderer } = this.deps;
    const { width, height, quality, frameMs } = options.camera;
    const tamper = faults.tamperOf(this.info.id);
    const noiseOffset = rng.int(0, NOISE_SLACK - 1);
    this.seq += 1;
    const ts = new Date(t).toISOString();
    if (!ctx.linked) return t + frameMs;
    let payload: Promise<Buffer>;
    if (tamper === 'frozen' && this.last) payload = this.last;
    else {
      payload = renderer.render({
        cameraId: this.info.id,
        width,
        height,
        quality,
        look: this.look,
        scene: sceneOf(layout, warehouse, t, width, height),
        lighting: lightingAt(t, site),
        tamper: tamper === 'frozen' ? undefined : tamper,
        noiseOffset,
        comment: `ts=${ts};seq=${this.seq};camera=${this.info.id}`,
      });
      this.last = payload;
    }
    ctx.emit({
      deviceId: this.info.id,
      channel: 'camera',
      topic: topics.cameraFrame(site.site, this.info.id),
      payload,
      qos: 0,
      retain: false,
      userProperties: { ts, seq: String(this.seq) },
      simTs: t,
    });
    return t + frameMs;
  }
}

function cameraLook(rng: Rng, width: number, height: number): CameraLook {
  const sign = () => (rng.chance(0.5) ? 1 : -1);
  return {
    style: {
      rack: rng.pick(['#2b4a8b', '#d9692b', '#2f6b3a']),
      beam: rng.pick(['#e8871e', '#f2b705', '#c0392b']),
      wall: rng.pick<[string, string]>([
        ['#c4c0b6', '#a29d92'],
        ['#b8bec4', '#959ca3'],
        ['#cbbfa8', '#a89b84'],
      ]),
      floor: rng.pick<[string, string]>([
        ['#8f8c86', '#6d6a64'],
        ['#8a8f8d', '#676c6a'],
      ]),
      lamps: [0.2, 0.5, 0.8].map((x) => x + rng.range(-0.05, 0.05)),
      doorOnLeft: rng.chance(0.5),
    },
    turn: {
      angleRad: (sign() * rng.range(6, 11) * Math.PI) / 180,
      dx: sign() * rng.range(0.12, 0.2) * width,
      dy: sign() * rng.range(0.04, 0.08) * height,
    },
  };
}
