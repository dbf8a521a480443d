import { Counter, type Registry } from 'prom-client';
import { normaliseRfidPayload, type ReaderHealth, type RfidRead } from '../../protocol/index.ts';
import type { Stage, StageContext } from '../pipeline/stage.ts';

export interface RfidDecodeListener {
  reads(readerId: string, reads: readonly RfidRead[]): void;
  health(readerId: string, health: readonly ReaderHealth[]): void;
}

/**
 * The edge of RFID ingestion: every payload on `wh/{site}/rfid/+/events`, in any of the
 * three formats, becomes compact reads and reader-health events. Bad elements (broken
 * JSON, invalid base64, wrong EPC length, unknown shape) are counted by reason and
 * logged once per reader per minute; the good elements of the same payload are kept.
 */
export function createRfidDecodeStage(ctx: StageContext, listeners: readonly RfidDecodeListener[] = []): Stage {
  const metrics = createRfidDecodeMetrics(ctx.metrics);
  return {
    name: 'rfid-decode',
    channels: ['rfid.events'],
    handle(message) {
      const result = normaliseRfidPayload(message.payload, message.deviceId, message.receivedAt);
      metrics.payloads.inc();
      if (result.reads.length > 0) metrics.reads.inc(result.reads.length);
      if (result.errors.length > 0) {
        for (const error of result.errors) metrics.decodeErrors.inc({ reason: reasonOf(error) });
        ctx.reject(message, 'rfid_decode', `${result.errors.length} bad element(s): ${result.errors[0]}`);
      }
      for (const listener of listeners) {
        if (result.reads.length > 0) listener.reads(message.deviceId, result.reads);
        if (result.health.length > 0) listener.health(message.deviceId, result.health);
      }
    },
  };
}

/** A stable, low-cardinality label from the normaliser's message. */
function reasonOf(error: string): string {
  const e = error.toLowerCase();
  if (e.includes('json')) return 'bad_json';
  if (e.includes('base64')) return 'bad_base64';
  if (e.includes('epc') || e.includes('hex')) return 'bad_epc';
  if (e.includes('date-time') || e.includes('timestamp')) return 'bad_timestamp';
  if (e.includes('not an impinj, zebra or compact')) return 'unknown_format';
  if (e.includes('utf-8') || e.includes('bytes exceeds')) return 'bad_payload';
  return 'bad_shape';
}

function createRfidDecodeMetrics(registry: Registry) {
  return {
    payloads: new Counter({ name: 'gateway_rfid_payloads_total', help: 'RFID payloads received', registers: [registry] }),
    reads: new Counter({ name: 'gateway_rfid_reads_total', help: 'Tag reads decoded from RFID payloads', registers: [registry] }),
    decodeErrors: new Counter({
      name: 'gateway_rfid_decode_errors_total',
      help: 'RFID payload elements dropped as undecodable, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}
