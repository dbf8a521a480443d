// The outbox's public surface, for the composition root.
export type { OutboxStore } from './outbox-store.ts';
export type {
  AppendListener,
  AppendNotice,
  CorruptionReport,
  EvictionReport,
  OutboxRecord,
  OutboxStats,
  SerialisedRecord,
  Severity,
  StoredRecord,
} from './types.ts';
export { FileOutboxStore } from './file-outbox-store.ts';
export type { FileOutboxStoreOptions } from './file-outbox-store.ts';
export { MemoryOutboxStore } from './memory-outbox-store.ts';
export type { MemoryOutboxStoreOptions } from './memory-outbox-store.ts';
export {
  DiskFullError,
  InvalidRecordError,
  OutboxClosedError,
  OutboxError,
  OutboxFullError,
  OutboxSequenceError,
} from './errors.ts';
export type { OutboxFs, WritableFile } from './fs-layer.ts';
export { createSender, SenderStoppedError } from './sender.ts';
export type {
  Clock,
  Deliver,
  DeliverContext,
  DeliverResult,
  EventRejection,
  Sender,
  SenderHooks,
  SenderOptions,
  Timers,
} from './sender-types.ts';
export type { BackoffOptions } from './backoff.ts';
export { createOutboxMetrics } from './metrics.ts';
export type { OutboxMetrics, OutboxMetricsOptions } from './metrics.ts';
export type { OutboxLogger } from './logger.ts';
