import type { StockedLot } from '../../protocol/index.ts';
import type { CommodityId, Look } from './commodities.ts';
import type { Vec3 } from './floor-plan.ts';

/** One tagged unit of goods (a bag, a bundle, a coil) with its SGTIN-96 tag. */
export interface Item {
  readonly epc: string;
  readonly lotId: string;
  readonly commodity: CommodityId;
  kg: number;
  look: Look;
  /** Zone the item is in; null once it has left the site. */
  zone: string | null;
  /** Pallet slot in its zone; -1 while passing through a door. */
  slot: number;
  /** Place in the slot's stack. */
  col: number;
  row: number;
  layer: number;
  pos: Vec3;
  /** 0 as delivered; 1 when restacked by someone other than the warehouse (substitution). */
  arrangement: number;
}

/** A simulated lot as the demo seeds it into the cloud, with how it is packed. */
export interface LotManifest extends StockedLot {
  readonly commodity: CommodityId;
  readonly unit: 'kg';
  readonly itemCount: number;
  readonly itemKg: number;
  readonly packaging: string;
}

/** A tag that does not belong to any lot: another depositor's goods, a forklift's asset tag. */
export interface StrayTag {
  epc: string;
  zone: string;
  pos: Vec3;
  from: number;
  until: number;
  source: string;
}

/** Somebody working in a zone; cameras draw it, scenarios set it. */
export interface Activity {
  kind: 'forklift' | 'workers';
  slot: number;
  from: number;
  until: number;
}

export type SoundLabel = 'engine' | 'cutting' | 'alarm' | 'voices' | 'door-slam';

/** A sound that happens somewhere on site; microphones hear it attenuated by distance. */
export interface SoundEvent {
  id: number;
  zone: string;
  label: SoundLabel;
  startMs: number;
  durationMs: number;
  seed: number;
  /** Level relative to the synthesiser's reference level at 5 m, dB. */
  levelDb: number;
}
