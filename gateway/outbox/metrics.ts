// Prometheus metrics of the outbox, registered on an injected Registry (never the
// global one, so two gateways in one test process do not collide). Gauges are read
// from the store's stats at scrape time; counters are fed by the store's callbacks
// and the sender's hooks.
import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { OutboxStore } from './outbox-store.ts';
import type { Clock, SenderHooks } from './sender-types.ts';
import { systemClock } from './sender-types.ts';
import type { CorruptionReport, EvictionReport } from './types.ts';

export interface OutboxMetricsOptions {
  readonly registry: Registry;
  /** Default 'gateway_outbox_'. */
  readonly prefix?: string;
  readonly clock?: Clock;
}

export type ObservedStore = Pick<OutboxStore, 'stats' | 'onAppended'>;

export interface OutboxMetrics {
  readonly senderHooks: SenderHooks;
  /** Pass as the file store's onCorruption (alongside the alarm). */
  onCorruption(report: CorruptionReport): void;
  /** Pass as the store's onEviction. */
  onEviction(report: EvictionReport): void;
  /** Reads this store at scrape time and counts its appends; returns a detach function. */
  observe(store: ObservedStore): () => void;
}

export function createOutboxMetrics(options: OutboxMetricsOptions): OutboxMetrics {
  const prefix = options.prefix ?? 'gateway_outbox_';
  const clock = options.clock ?? systemClock;
  const registers = [options.registry];
  let observed: ObservedStore | null = null;

  const fromStats = (name: string, help: string, read: (store: ObservedStore) => number): Gauge =>
    new Gauge({
      name: prefix + name,
      help,
      registers,
      collect() {
        this.set(observed === null ? 0 : read(observed));
      },
    });
  fromStats('backlog_records', 'Records waiting for delivery', (store) => store.stats().pending);
  fromStats('backlog_bytes', 'Framed bytes waiting for delivery', (store) => store.stats().pendingBytes);
  fromStats('oldest_pending_age_seconds', 'Age of the oldest undelivered record', (store) => {
    const oldest = store.stats().oldestTs;
    return oldest === null ? 0 : Math.max(0, (clock.now() - oldest) / 1000);
  });
  fromStats('disk_bytes', 'Bytes of segment files on disk', (store) => store.stats().diskBytes);
  fromStats('segments', 'Segment files on disk', (store) => store.stats().segments);

  const counter = (name: string, help: string): Counter => new Counter({ name: prefix + name, help, registers });
  const appended = counter('appended_records_total', 'Records made durable in the outbox');
  const delivered = counter('delivered_records_total', 'Records the cloud accepted (duplicates included)');
  const retries = counter('delivery_retries_total', 'Failed delivery attempts that will be retried');
  const duplicates = counter('duplicate_records_total', 'Records the cloud already had (409)');
  const deadLettered = counter('dead_lettered_records_total', 'Records the cloud refused for good');
  const corrupt = counter('corrupt_records_total', 'Corrupted records skipped');
  const evicted = counter('evicted_records_total', 'Pending info records evicted by the size bound');
  const latency = new Histogram({
    name: `${prefix}delivery_batch_seconds`,
    help: 'Time to deliver one batch, successful attempts only',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });

  return {
    senderHooks: {
      onDelivered: ({ count, latencyMs }) => {
        delivered.inc(count);
        latency.observe(latencyMs / 1000);
      },
      onRetry: () => retries.inc(),
      onDuplicates: (count) => duplicates.inc(count),
      onDeadLettered: ({ records }) => deadLettered.inc(records.length),
    },
    onCorruption: () => corrupt.inc(),
    onEviction: ({ seqs }) => evicted.inc(seqs.length),
    observe(store) {
      observed = store;
      const unsubscribe = store.onAppended(({ count }) => appended.inc(count));
      return () => {
        unsubscribe();
        if (observed === store) observed = null;
      };
    },
  };
}
