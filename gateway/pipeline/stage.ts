import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { DeviceChannel, IsNight, SiteConfig, VerificationEvent } from '../../protocol/index.ts';
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
  /** The gateway's registry: a stage's metrics are registered here and served on /metrics. */
  metrics: Registry;
  /**
   * Drops a bad message: counted by channel and reason, logged at most once per device
   * and reason per minute (devices can send garbage at line rate). Never throws.
   */
  reject(message: DeviceMessage, reason: string, detail?: string): void;
}

/**
 * What a stage gives the rest of the gateway besides its events. The composition root
 * (start-gateway.ts) wires these for every stage alike and never looks a stage up by name,
 * so a new stage brings its routes and facets with it. Metrics need no entry here: a
 * stage registers them on `ctx.metrics`.
 */
export interface StageOffers {
  /** Adds the stage's read-only routes to the local API before it listens (`/api/v1/<stage>/…`). */
  routes?(app: FastifyInstance): void;
  /**
   * Facets of the detail of /health and /ready, by key (`rfid: { ok }`): small and cheap,
   * monitoring polls them. A key another stage or the gateway already uses is refused at start.
   */
  readonly healthFacets?: Readonly<Record<string, () => unknown>>;
  /**
   * Facets of each lot in /api/v1/lots, by key: the stage's view of the lots it knows, by
   * lot id; a lot the stage does not know gets `null` under the key.
   */
  readonly lotFacets?: Readonly<Record<string, () => ReadonlyMap<string, unknown>>>;
  /** Every sealed event once it is durable, in chain order (a stage that learns from the others' findings). */
  observe?(event: VerificationEvent): void;
}

/**
 * One sensor kind's verification: a new kind of device is one new folder with a factory
 * returning this, and one line in start-gateway.ts's stage list. `handle` runs for every
 * message on the stage's channels; `tick` runs on the pipeline's clock for time-driven
 * decisions (silence, grace periods).
 */
export interface Stage extends StageOffers {
  readonly name: string;
  readonly channels: readonly DeviceChannel[];
  handle(message: DeviceMessage): void;
  /** A stage that queues work says when its queue is past its mark (flow control, backlog.ts). */
  readonly backlog?: Backlog;
  tick?(now: Date): void;
  stop?(): Promise<void> | void;
}

export type StageFactory = (context: StageContext) => Stage | Promise<Stage>;

/**
 * Follows the sealed events without reading any device channel (fusion): it shares the
 * stages' context and clock, so the pipeline ticks it after them and stops it before them.
 */
export interface EventObserver {
  /** Names it in the stage error counter and logs. */
  readonly name: string;
  observe(event: VerificationEvent): void;
  tick?(now: Date): void;
  stop?(): Promise<void> | void;
}
