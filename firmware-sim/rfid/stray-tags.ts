import { encodeSgtin96 } from '../../protocol/index.ts';
import type { Rng } from '../core/prng.ts';

export interface StrayIdentity {
  epc: string;
  source: string;
}

/** Another depositor's goods: SGTIN-96 under a foreign company prefix (400–440 is GS1 Germany). */
export function foreignGoodsTag(rng: Rng): StrayIdentity {
  return {
    epc: encodeSgtin96({ companyPrefix: '4012345', itemReference: '067890', serial: rng.int(1, 2_000_000), filter: 2 }),
    source: "another depositor's pallet",
  };
}

/** A returnable asset (forklift, crate): GID-96, header 0x35, which is not an SGTIN (GS1 TDS §14.5.7). */
export function assetTag(rng: Rng): StrayIdentity {
  const manager = (0x0a1b2c0 + rng.int(0, 15)).toString(16).padStart(7, '0');
  const objectClass = rng.int(1, 40).toString(16).padStart(6, '0');
  const serial = rng.int(1, 9_999).toString(16).padStart(9, '0');
  return { epc: `35${manager}${objectClass}${serial}`.toUpperCase(), source: 'asset tag (GID-96)' };
}

/** A label never encoded, still carrying the chip maker's default EPC: a raw identity to the gateway. */
export function factoryDefaultTag(rng: Rng): StrayIdentity {
  let hex = 'E2801170';
  while (hex.length < 24) hex += rng.int(0, 15).toString(16);
  return { epc: hex.toUpperCase(), source: 'unencoded label with factory-default EPC' };
}

export function strayTag(rng: Rng): StrayIdentity {
  const roll = rng.float();
  if (roll < 0.5) return foreignGoodsTag(rng);
  if (roll < 0.8) return assetTag(rng);
  return factoryDefaultTag(rng);
}
