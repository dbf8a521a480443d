import { topics } from '../../protocol/index.ts';
import type { Rng } from '../core/prng.ts';
import type { DeviceFaults } from '../engine/faults.ts';
import type { DeviceOptions, ImpinjBatching, RfidFormatName } from '../engine/options.ts';
import type { DeviceCore, DeviceInfo, TickContext } from '../engine/types.ts';
import type { ReaderLayout } from '../model/device-layout.ts';
import type { Warehouse } from '../model/warehouse.ts';
import { compactEncoder, impinjEncoder, zebraEncoder, type HealthEvent, type RfidEncoder } from './formats.ts';
import { ReadModel } from './read-model.ts';

export interface ReaderDeps {
  site: string;
  layout: ReaderLayout;
  warehouse: Warehouse;
  options: DeviceOptions;
  format: RfidFormatName;
  batching: ImpinjBatching;
  rng: Rng;
  faults: DeviceFaults;
  info: DeviceInfo;
}

interface Buffered {
  ts: number;
  element: object;
}

const MODELS: Record<RfidFormatName, { model: string; firmware: string }> = {
  impinj: { model: 'Impinj R700', firmware: '8.4.1.240' },
  zebra: { model: 'Zebra FX9600', firmware: '3.27.12' },
  compact: { model: 'generic UHF reader, compact JSON', firmware: '2.1.0' },
};

export function readerModel(format: RfidFormatName): { model: string; firmware: string } {
  return MODELS[format];
}

/**
 * A fixed UHF reader. Each round it inventories the tags its antennas can reach and
 * publishes the events in its vendor's format, batched (`maxEventsPerMessage`) or one per
 * message. Cut off from the broker it keeps reading
 * into a bounded buffer (oldest events purged) and flushes on reconnect, as R700 and
 * FX-series readers do; Impinj readers also report antenna changes, inventory status and
 * buffer overflows in-band.
 */
export class RfidReaderCore implements DeviceCore {
  readonly info: DeviceInfo;
  private readonly deps: ReaderDeps;
  private readonly model: ReadModel;
  private readonly encoder: RfidEncoder;
  private readonly periodMs: number;
  private eventNum = 0;
  private reads = 0;
  private buffer: Buffered[] = [];
  private purged = { count: 0, first: 0, last: 0 };
  private knownDown = new Set<number>();
  private pendingHealth: HealthEvent[] = [];

  constructor(deps: ReaderDeps) {
    this.deps = deps;
    this.info = deps.info;
    this.model = new ReadModel(deps.layout, deps.warehouse, deps.options.rfid.transmitPowerCdbm);
    this.periodMs = deps.layout.door ? deps.options.rfid.doorRoundMs : deps.options.rfid.roundMs;
    const rng = deps.rng.fork('quirks');
    this.encoder =
      deps.format === 'impinj'
        ? impinjEncoder({
            hostname: `impinj-14-2d-${hex2(rng)}-${hex2(rng)}-${hex2(rng)}`,
            transmitPowerCdbm: deps.options.rfid.transmitPowerCdbm,
            // Older R700 firmware leaves eventType out; the member name still says what it is.
            omitEventType: rng.chance(0.5),
            includeEpcHex: rng.chance(0.5),
            batching: deps.batching,
          })
        : deps.format === 'zebra'
          ? zebraEncoder()
          : compactEncoder();
    this.onBoot(0);
  }

  get readsPublished(): number {
    return this.reads;
  }

  onBoot(t: number): void {
    this.buffer = [];
    this.purged = { count: 0, first: 0, last: 0 };
    this.eventNum = 0;
    this.knownDown = new Set();
    this.pendingHealth = [{ kind: 'inventoryStatus', ts: t, status: 'running' }];
  }

  tick(t: number, ctx: TickContext): number {
    const { rng, faults, layout } = this.deps;
    const down = faults.antennasDown(layout.id);
    for (const port of down) if (!this.knownDown.has(port)) this.pendingHealth.push({ kind: 'antennaDisconnected', ts: t, antenna: port });
    for (const port of this.knownDown) if (!down.has(port)) this.pendingHealth.push({ kind: 'antennaConnected', ts: t, antenna: port });
    this.knownDown = new Set(down);
    // One inventory round of a few hundred tags takes about a quarter of a second.
    const spanMs = Math.min(this.periodMs, 250);
    const reads = this.model.round(t, spanMs, rng, { ghostRate: this.deps.options.rfid.ghostRate, down });
    const elements: Buffered[] = [];
    if (ctx.linked) this.reads += reads.length;
    for (const h of this.pendingHealth) {
      const e = this.encoder.health({ ...h, ts: Math.max(h.ts, t) });
      if (e) elements.push({ ts: t, element: e });
    }
    this.pendingHealth = [];
    for (const r of reads) elements.push({ ts: r.ts, element: this.encoder.read(r, ++this.eventNum) });
    if (ctx.linked) this.publish(elements, t, ctx);
    else this.store(elements);
    return t + this.periodMs;
  }

  onLink(up: boolean, t: number, ctx: TickContext): void {
    if (!up) return;
    const backlog = this.buffer;
    this.buffer = [];
    if (this.purged.count > 0) {
      const overflow = this.encoder.health({
        kind: 'overflow',
        ts: t,
        firstEventTs: this.purged.first,
        lastEventTs: this.purged.last,
        purged: this.purged.count,
        remaining: backlog.length,
      });
      if (overflow) backlog.unshift({ ts: t, element: overflow });
      this.purged = { count: 0, first: 0, last: 0 };
    }
    this.publish(backlog, t, ctx);
  }

  private store(elements: Buffered[]): void {
    this.buffer.push(...elements);
    const excess = this.buffer.length - this.deps.options.rfid.bufferEvents;
    if (excess <= 0) return;
    const dropped = this.buffer.splice(0, excess);
    if (this.purged.count === 0) this.purged.first = dropped[0]?.ts ?? 0;
    this.purged.last = dropped[dropped.length - 1]?.ts ?? this.purged.last;
    this.purged.count += dropped.length;
  }

  private publish(elements: Buffered[], t: number, ctx: TickContext): void {
    const max = this.deps.options.rfid.maxEventsPerMessage;
    const topic = topics.rfidEvents(this.deps.site, this.info.id);
    const emit = (payload: string) =>
      ctx.emit({ deviceId: this.info.id, channel: 'rfid', topic, payload: Buffer.from(payload), qos: 1, retain: false, simTs: t });
    // Unbatched, each event is a message of its own, a bare object: what Impinj's and Zebra's MQTT outputs send by default.
    if (max === 1) {
      for (const b of elements) emit(JSON.stringify(b.element));
      return;
    }
    for (let i = 0; i < elements.length; i += max) emit(this.encoder.serialise(elements.slice(i, i + max).map((b) => b.element)));
  }
}

function hex2(rng: Rng): string {
  return rng.int(0, 255).toString(16).padStart(2, '0');
}
