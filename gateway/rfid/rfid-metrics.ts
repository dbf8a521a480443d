import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TrackerStats } from './rfid-tracker.ts';

/**
 * Prometheus metrics of RFID ingestion. Reads per second is `rate(gateway_rfid_reads_total[1m])`.
 */
export function createRfidMetrics(registry: Registry, stats: () => TrackerStats & { queueMessages: number; queueBytes: number }) {
  const registers = [registry];
  return {
    payloads: new Counter({ name: 'gateway_rfid_payloads_total', help: 'RFID payloads decoded', registers }),
    reads: new Counter({ name: 'gateway_rfid_reads_total', help: 'Tag reads decoded from RFID payloads', registers }),
    decodeErrors: new Counter({
      name: 'gateway_rfid_decode_errors_total',
      help: 'RFID payload elements dropped as undecodable, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    healthReports: new Counter({
      name: 'gateway_rfid_health_reports_total',
      help: 'Reader health reports received in-band (Impinj antenna, inventory and overflow events, Zebra errors), by kind',
      labelNames: ['kind'] as const,
      registers,
    }),
    unmappedReads: new Counter({
      name: 'gateway_rfid_unmapped_reads_total',
      help: 'Reads from a reader or antenna the site file maps to no zone (ignored)',
      registers,
    }),
    untrackedReads: new Counter({
      name: 'gateway_rfid_untracked_reads_total',
      help: 'Reads of foreign tags not tracked because the foreign-tag bound was reached',
      registers,
    }),
    dropped: new Counter({
      name: 'gateway_rfid_queue_dropped_total',
      help: 'RFID payloads dropped because the decode queue was full (overload)',
      registers,
    }),
    droppedBytes: new Counter({ name: 'gateway_rfid_queue_dropped_bytes_total', help: 'Bytes of RFID payloads dropped for overload', registers }),
    paused: new Counter({
      name: 'gateway_rfid_queue_paused_total',
      help: 'Times the decode queue reached pauseQueueBytes and MQTT reading stopped until it eased (the broker held the burst)',
      registers,
    }),
    lag: new Histogram({
      name: 'gateway_rfid_processing_lag_seconds',
      help: 'Time from a payload arriving over MQTT to its reads reaching the tracker',
      buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    lastLag: new Gauge({ name: 'gateway_rfid_lag_seconds', help: 'Processing lag of the last decoded RFID payload', registers }),
    cycle: new Histogram({
      name: 'gateway_rfid_cycle_close_seconds',
      help: 'Time to close an inventory cycle: presence, reconciliation of every lot, events',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    queue: new Gauge({
      name: 'gateway_rfid_queue',
      help: 'RFID payloads waiting to be decoded, in messages and bytes',
      labelNames: ['unit'] as const,
      registers,
      collect() {
        const s = stats();
        this.set({ unit: 'messages' }, s.queueMessages);
        this.set({ unit: 'bytes' }, s.queueBytes);
      },
    }),
    tracked: new Gauge({
      name: 'gateway_rfid_tracked_tags',
      help: 'Tags tracked, by state (present, absent, unseen) and foreign (of no manifest)',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const s = stats();
        this.set({ state: 'present' }, s.present);
        this.set({ state: 'absent' }, s.absent);
        this.set({ state: 'unseen' }, s.unseen);
        this.set({ state: 'foreign' }, s.foreign);
      },
    }),
  };
}

export type RfidMetrics = ReturnType<typeof createRfidMetrics>;
