// Verification events shaped like the real ones (PROTOCOL.md), about 600 bytes of JSON.
import { createHash, randomUUID } from 'node:crypto';
import type { Severity } from '../../gateway/outbox/types.ts';

export interface BenchEvent {
  readonly id: string;
  readonly site: string;
  readonly gatewayId: string;
  readonly seq: number;
  readonly ts: string;
  readonly type: string;
  readonly severity: Severity;
  readonly lotId: string;
  readonly zone: string;
  readonly evidence: { readonly tags: readonly { readonly urn: string; readonly epc: string }[]; readonly device: string };
  readonly prevHash: string;
  readonly hash: string;
  readonly sig: string;
}

const HASH = createHash('sha256').update('bench').digest('hex');
const SIG = Buffer.alloc(64, 7).toString('base64');

export function makeBenchEvent(seq: number): BenchEvent {
  return {
    id: randomUUID(),
    site: 's1',
    gatewayId: 'gw-s1',
    seq,
    ts: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    type: seq % 50 === 0 ? 'camera.tamper' : 'tags.missing',
    severity: seq % 50 === 0 ? 'critical' : seq % 10 === 0 ? 'warning' : 'info',
    lotId: 'lot-42',
    zone: 'bay-3',
    evidence: {
      tags: [
        { urn: `urn:epc:id:sgtin:0614141.812345.${seq}`, epc: '3074257BF7194E4000001A85' },
        { urn: `urn:epc:id:sgtin:0614141.812345.${seq + 1}`, epc: '3074257BF7194E4000001A86' },
      ],
      device: 's1/rfid/door-1',
    },
    prevHash: HASH,
    hash: HASH,
    sig: SIG,
  };
}

export function makeBenchBatch(firstSeq: number, count: number): BenchEvent[] {
  return Array.from({ length: count }, (_, index) => makeBenchEvent(firstSeq + index));
}
