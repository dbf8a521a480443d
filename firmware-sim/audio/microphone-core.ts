import { topics } from '../../protocol/index.ts';
import type { SiteConfig } from '../../protocol/site/site-config.ts';
import type { Rng } from '../core/prng.ts';
import type { DeviceOptions } from '../engine/options.ts';
import type { DeviceCore, DeviceInfo, TickContext } from '../engine/types.ts';
import type { MicrophoneLayout } from '../model/device-layout.ts';
import { distance, zoneCentre } from '../model/floor-plan.ts';
import type { Warehouse } from '../model/warehouse.ts';
import { dbToGain, encodeS16le } from './dsp.ts';
import { AmbientVoice, createVoice, REFERENCE_LEVEL_DB } from './synth.ts';
import type { Voice } from './voice.ts';

export interface MicrophoneDeps {
  site: SiteConfig;
  layout: MicrophoneLayout;
  warehouse: Warehouse;
  options: DeviceOptions;
  rng: Rng;
  info: DeviceInfo;
}

/** Spherical spreading: −6 dB per doubling of distance beyond the 5 m reference. */
function attenuationDb(metres: number): number {
  return 20 * Math.log10(Math.max(metres, 5) / 5);
}

/**
 * A networked microphone streaming 16-bit mono PCM in fixed chunks. Room tone runs
 * continuously; each site sound that overlaps a chunk is mixed in from its exact start
 * sample, attenuated by its distance from the microphone.
 */
export class MicrophoneCore implements DeviceCore {
  readonly info: DeviceInfo;
  private readonly deps: MicrophoneDeps;
  private ambient: AmbientVoice;
  private readonly voices = new Map<number, Voice>();
  private seq = 0;

  constructor(deps: MicrophoneDeps) {
    this.deps = deps;
    this.info = deps.info;
    this.ambient = new AmbientVoice(deps.rng.fork('ambient'), deps.options.audio.rate);
  }

  tick(t: number, ctx: TickContext): number {
    const { rate, chunkMs } = this.deps.options.audio;
    const n = Math.round((rate * chunkMs) / 1000);
    const buf = new Float32Array(n);
    this.ambient.addTo(buf, 0, n, 1);
    const end = t + chunkMs;
    const live = new Set<number>();
    for (const sound of this.deps.warehouse.soundsDuring(t, end)) {
      live.add(sound.id);
      let voice = this.voices.get(sound.id);
      if (!voice) {
        voice = createVoice(sound.label, sound.seed, rate, sound.durationMs / 1000);
        this.voices.set(sound.id, voice);
      }
      const offset = Math.max(0, Math.round(((sound.startMs - t) * rate) / 1000));
      const metres = distance(this.deps.layout.pos, zoneCentre(this.deps.warehouse.zone(sound.zone)));
      const gain = dbToGain(REFERENCE_LEVEL_DB[sound.label] + sound.levelDb - attenuationDb(metres));
      voice.addTo(buf, offset, n - offset, gain);
    }
    for (const [id, voice] of this.voices) if (voice.done || !live.has(id)) this.voices.delete(id);
    this.seq += 1;
    if (ctx.linked) {
      ctx.emit({
        deviceId: this.info.id,
        channel: 'audio',
        topic: topics.audioPcm(this.deps.site.site, this.info.id),
        payload: encodeS16le(buf),
        qos: 0,
        retain: false,
        userProperties: { rate: String(rate), ts: new Date(t).toISOString(), seq: String(this.seq) },
        simTs: t,
      });
    }
    return end;
  }
}
