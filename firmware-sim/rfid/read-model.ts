import type { Rng } from '../core/prng.ts';
import type { AntennaLayout, ReaderLayout } from '../model/device-layout.ts';
import type { Warehouse } from '../model/warehouse.ts';
import { clutterDb } from './clutter.ts';
import { linkBudget, READER_SENSITIVITY_DBM, readProbability } from './link-budget.ts';

export interface TagRead {
  epc: string;
  antenna: number;
  rssiDbm: number;
  /** Epoch ms the tag was singulated. */
  ts: number;
  /** Times read in the round (Zebra reports it). */
  reads: number;
  frequencyKhz: number;
  phaseDeg: number;
}

/** Pairs with a mean margin below this are never read, even with a lucky fade. */
const NEVER_DB = -10;
const FADE_SD_DB = 3;
const MEASUREMENT_SD_DB = 1;
/** FCC part 15 hopping plan: 50 channels of 500 kHz from 902.75 MHz. */
const CHANNELS_KHZ = Array.from({ length: 50 }, (_, k) => 902_750 + 500 * k);

interface Candidates {
  key: string;
  epc: string[];
  antenna: Int32Array;
  margin: Float32Array;
  rssi: Float32Array;
}

/**
 * A reader's view of the tags around it. Mean link budgets depend only on where goods
 * are, so they are computed once per state of the covered zones and reused each round;
 * each round then adds fading and draws which tags answered.
 */
export class ReadModel {
  private readonly layout: ReaderLayout;
  private readonly warehouse: Warehouse;
  private readonly txDbm: number;
  private readonly zones: string[];
  private cache: Candidates | undefined;

  constructor(layout: ReaderLayout, warehouse: Warehouse, transmitPowerCdbm: number) {
    this.layout = layout;
    this.warehouse = warehouse;
    this.txDbm = transmitPowerCdbm / 100;
    this.zones = [...new Set(layout.antennas.map((a) => a.zone))];
  }

  private candidates(): Candidates {
    const key = this.zones.map((z) => this.warehouse.version(z)).join(',');
    if (this.cache?.key === key) return this.cache;
    const epc: string[] = [];
    const antenna: number[] = [];
    const margin: number[] = [];
    const rssi: number[] = [];
    for (const zone of this.zones) {
      const items = this.warehouse.itemsIn(zone);
      const topLayer = new Map<number, number>();
      for (const item of items) topLayer.set(item.slot, Math.max(topLayer.get(item.slot) ?? 0, item.layer));
      const antennas = this.layout.antennas.filter((a) => a.zone === zone);
      for (const item of items) {
        for (const a of antennas) {
          const shadow = item.slot < 0 ? 2 : clutterDb(item, topLayer.get(item.slot) ?? 0, a.pos);
          const budget = linkBudget(item.pos, a.pos, shadow, this.txDbm);
          if (budget.marginDb < NEVER_DB) continue;
          epc.push(item.epc);
          antenna.push(a.port);
          margin.push(budget.marginDb);
          rssi.push(budget.rssiDbm);
        }
      }
    }
    this.cache = {
      key,
      epc,
      antenna: Int32Array.from(antenna),
      margin: Float32Array.from(margin),
      rssi: Float32Array.from(rssi),
    };
    return this.cache;
  }

  /**
   * One inventory round starting at `t`: which tags answered on which antenna. Antennas in
   * `down` are disconnected and read nothing.
   */
  round(t: number, spanMs: number, rng: Rng, options: { ghostRate: number; down: ReadonlySet<number> }): TagRead[] {
    const c = this.candidates();
    const reads: TagRead[] = [];
    for (let i = 0; i < c.epc.length; i += 1) {
      const port = c.antenna[i] as number;
      if (options.down.has(port)) continue;
      const fade = FADE_SD_DB * rng.normal();
      const margin = (c.margin[i] as number) + fade;
      if (!rng.chance(readProbability(margin))) continue;
      this.push(reads, this.read(c.epc[i] as string, port, (c.rssi[i] as number) + fade, margin, t, spanMs, rng));
    }
    for (const a of this.layout.antennas) {
      if (options.down.has(a.port)) continue;
      this.ghosts(a, t, spanMs, rng, options.ghostRate, reads);
      this.strays(a, t, spanMs, rng, reads);
    }
    return reads.sort((x, y) => x.ts - y.ts);
  }

  /** A reply below the receiver's sensitivity is not decoded, so never reported. */
  private push(out: TagRead[], read: TagRead): void {
    if (read.rssiDbm >= READER_SENSITIVITY_DBM) out.push(read);
  }

  private read(epc: string, port: number, rssi: number, margin: number, t: number, spanMs: number, rng: Rng): TagRead {
    return {
      epc,
      antenna: port,
      rssiDbm: rssi + MEASUREMENT_SD_DB * rng.normal(),
      ts: t + rng.int(0, Math.max(0, spanMs - 1)),
      reads: 1 + Math.min(7, Math.floor(Math.max(0, margin) * rng.float() * 0.5)),
      frequencyKhz: rng.pick(CHANNELS_KHZ),
      phaseDeg: Math.round(rng.range(0, 360) * 100) / 100,
    };
  }

  /** Side lobes of an edge antenna catch the odd tag of the neighbouring bay, weakly. */
  private ghosts(a: AntennaLayout, t: number, spanMs: number, rng: Rng, rate: number, out: TagRead[]): void {
    if (a.facing === undefined || rate <= 0) return;
    const items = this.warehouse.itemsIn(a.facing);
    const expected = items.length * rate;
    if (expected <= 0) return;
    let k = 0;
    // Poisson by inversion: a few ghosts per round at most.
    for (let p = Math.exp(-expected), s = p, u = rng.float(); u > s && k < 20; ) {
      k += 1;
      p *= expected / k;
      s += p;
    }
    for (let j = 0; j < k; j += 1) {
      const item = rng.pick(items);
      this.push(out, this.read(item.epc, a.port, rng.range(-82, -74), 0, t, spanMs, rng));
    }
  }

  private strays(a: AntennaLayout, t: number, spanMs: number, rng: Rng, out: TagRead[]): void {
    for (const tag of this.warehouse.straysIn(a.zone, t)) {
      const budget = linkBudget(tag.pos, a.pos, 0, this.txDbm);
      const fade = FADE_SD_DB * rng.normal();
      if (!rng.chance(readProbability(budget.marginDb + fade))) continue;
      this.push(out, this.read(tag.epc, a.port, budget.rssiDbm + fade, budget.marginDb + fade, t, spanMs, rng));
    }
  }
}
