import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, loadPrivateKey, sealEvent, type VerificationEvent } from '../../protocol/index.ts';

export type BenchEventType = 'lot.verified' | 'tags.moved' | 'device.online';

/**
 * Routine traffic: movements and device health at info severity, which no listener
 * turns into further database work, so the figure is ingestion's own. `lot.verified`
 * makes collateral revalue (one receipt lookup per batch), measured separately.
 */
export const ROUTINE: readonly BenchEventType[] = ['tags.moved', 'device.online'];
export const WITH_VERIFICATIONS: readonly BenchEventType[] = ['lot.verified', 'tags.moved', 'device.online'];

/** `count` genuinely signed, chained events of one gateway, in batches. */
export function signedBatches(input: { gatewayId: string; site: string; privateKeyPem: string; count: number; batchSize: number; types?: readonly BenchEventType[] }): VerificationEvent[][] {
  const types = input.types ?? ROUTINE;
  const key = loadPrivateKey(input.privateKeyPem);
  const batches: VerificationEvent[][] = [];
  let head = { seq: 0, hash: GENESIS_HASH };
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  let batch: VerificationEvent[] = [];
  for (let i = 0; i < input.count; i++) {
    const type = types[i % types.length] ?? 'device.online';
    const event = sealEvent(
      {
        id: randomUUID(),
        site: input.site,
        gatewayId: input.gatewayId,
        seq: head.seq + 1,
        ts: new Date(start + i * 250).toISOString(),
        type,
        severity: 'info',
        // Lots the bench never pledges: collateral looks them up and finds nothing to revalue.
        ...(type === 'device.online' ? {} : { lotId: `LOT-${i % 500}`, zone: `bay-${i % 20}` }),
        evidence:
          type === 'lot.verified'
            ? { expected: 120, present: 120, missing: 0, foreign: 0 }
            : type === 'tags.moved'
              ? { tags: [{ epc: '3074257BF7194E4000001A85', urn: 'urn:epc:id:sgtin:0614141.812345.6789' }], count: 1, from: 'bay-1', to: 'bay-2' }
              : { device: `${input.site}/rfid/rd-${i % 8}`, reason: 'activity' },
      },
      head.hash,
      key,
    );
    head = { seq: event.seq, hash: event.hash };
    batch.push(event);
    if (batch.length === input.batchSize) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
