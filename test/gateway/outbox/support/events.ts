// Verification-event-shaped records for outbox tests. Each one serialises to exactly
// `jsonBytes` bytes (padding in evidence.note), so size bounds can be set in records.
import { randomUUID } from 'node:crypto';
import type { Severity } from '../../../../gateway/outbox/types.ts';

export interface TestEvent {
  readonly id: string;
  readonly seq: number;
  readonly severity: Severity;
  readonly type: string;
  readonly site: string;
  readonly evidence: { readonly tags: readonly string[]; readonly note: string };
}

export const TEST_EVENT_BYTES = 256;

export function makeEvent(seq: number, severity: Severity = 'info', jsonBytes = TEST_EVENT_BYTES): TestEvent {
  const base: TestEvent = {
    id: randomUUID(),
    seq,
    severity,
    type: severity === 'critical' ? 'camera.tamper' : 'tags.missing',
    site: 's1',
    evidence: { tags: [`urn:epc:id:sgtin:0614141.812345.${seq}`], note: '' },
  };
  const padding = jsonBytes - Buffer.byteLength(JSON.stringify(base));
  if (padding < 0) throw new RangeError(`event ${seq} needs more than ${jsonBytes} bytes`);
  return { ...base, evidence: { ...base.evidence, note: 'x'.repeat(padding) } };
}

export function makeEvents(fromSeq: number, count: number, severity: Severity = 'info'): TestEvent[] {
  return Array.from({ length: count }, (_, index) => makeEvent(fromSeq + index, severity));
}

export function seqsOf(records: readonly { readonly record: { readonly seq: number } }[]): number[] {
  return records.map(({ record }) => record.seq);
}
