import type { Registry } from 'prom-client';
import type { DeviceChannel, IsNight, SiteConfig } from '../../protocol/index.ts';
import type { Logger } from '../../infra/logger.ts';
import type { EventDraft } from '../event-log/event-draft.ts';
import type { Backlog } from './backlog.ts';
import type { DeviceMessage } from './device-message.ts';

/** What every stage gets from the pipeline; nothing else is shared between stages. */
export interface StageContext {
  site: SiteConfig;
  /** Hands evidence to fusion and the event log; never throws, never blocks. */
  emit(draft: EventDraft): void;
  now(): Date;
  /** Whether a gateway instant (epoch ms) falls in the site's night hours, on the warehouse's clock. */
  isNight: IsNight;
  log: Logger;
  metrics: Registry;
  /**
   * Drops a bad message: counted by channel and reason, logged at most once per device
   * and reason per minute (devices can send garbage at line rate). Never throws.
   */
  reject(message: DeviceMessage, reason: string, detail?: string): void;
}

/**
 * One sensor kind's verification: a new kind of device is one new folder with a factory
 * returning this. `handle` runs for every message on the stage's channels; `tick` runs
 * on the pipeline's clock for time-driven decisions (silence, grace periods).
 */
export interface Stage {
  readonly name: string;
  readonly channels: readonly DeviceChannel[];
  handle(message: DeviceMessage): void;
  /** A stage that queues work says when its queue is past its mark (flow control, backlog.ts). */
  readonly backlog?: Backlog;
  tick?(now: Date): void;
  stop?(): Promise<void> | void;
}

export type StageFactory = (context: StageContext) => Stage | Promise<Stage>;
