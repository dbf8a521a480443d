import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH, sealEvent, type UnsealedEvent, type VerificationEvent } from '../../protocol/index.ts';

export function draft(seq: number, overrides: Partial<UnsealedEvent> = {}): UnsealedEvent {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    site: 's1',
    gatewayId: 'gw-s1',
    seq,
    ts: new Date(Date.UTC(2024, 0, 1, 0, 0, seq)).toISOString(),
    type: 'tags.missing',
    severity: 'warning',
    lotId: 'LOT-1',
    zone: 'A',
    evidence: { missing: [{ epc: '3074257BF7194E4000001A85', uri: 'urn:epc:id:sgtin:0614141.812345.6789' }], reader: 's1/rfid/r1' },
    ...overrides,
  };
}

/** Seals drafts in order from the genesis hash, as a gateway does. */
export function sealChain(drafts: readonly UnsealedEvent[], key: KeyObject, prevHash = GENESIS_HASH): VerificationEvent[] {
  const out: VerificationEvent[] = [];
  let prev = prevHash;
  for (const d of drafts) {
    const e = sealEvent(d, prev, key);
    out.push(e);
    prev = e.hash;
  }
  return out;
}
