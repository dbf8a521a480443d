import { distance, type Vec3 } from '../model/floor-plan.ts';

/**
 * UHF RFID link budget (Nikitin & Rao, "Performance limitations of passive UHF RFID
 * systems", 2006): a passive tag wakes when the forward link delivers its chip
 * sensitivity, and the reader hears the backscatter after a second trip through the same
 * path. Free-space loss at 915 MHz is 31.7 dB at 1 m plus 20·log10(d).
 */
const READER_ANTENNA_DBI = 6;
const CABLE_DB = 1;
const TAG_DBI = 2;
/** Circular reader antenna to a linear tag dipole. */
const POLARISATION_DB = 3;
/** Monza-class chip read sensitivity. */
const TAG_SENSITIVITY_DBM = -18;
/** Backscatter modulation efficiency. */
const MODULATION_DB = 8;
export const READER_SENSITIVITY_DBM = -84;

export function freeSpaceLossDb(d: number): number {
  return 31.7 + 20 * Math.log10(Math.max(d, 0.3));
}

export interface LinkBudget {
  /** How far the forward link exceeds the chip's wake-up power, dB. */
  marginDb: number;
  /** Expected received backscatter at the reader, dBm. */
  rssiDbm: number;
}

export function linkBudget(tag: Vec3, antenna: Vec3, clutterDb: number, txDbm: number): LinkBudget {
  const path = freeSpaceLossDb(distance(tag, antenna)) + clutterDb;
  const atTag = txDbm - CABLE_DB + READER_ANTENNA_DBI - POLARISATION_DB + TAG_DBI - path;
  const rssi = atTag + TAG_DBI - MODULATION_DB - path + READER_ANTENNA_DBI - POLARISATION_DB - CABLE_DB;
  return { marginDb: Math.min(atTag - TAG_SENSITIVITY_DBM, rssi - READER_SENSITIVITY_DBM), rssiDbm: rssi };
}

/**
 * Per-round read probability: Gen2 anti-collision and small-scale fading make reads at
 * a healthy margin near certain and reads near the threshold a coin toss.
 */
export function readProbability(marginDb: number): number {
  return 0.985 / (1 + Math.exp(-marginDb / 1.5));
}
