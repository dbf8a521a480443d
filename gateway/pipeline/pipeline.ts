import type { Registry } from 'prom-client';
import { nightHours, type SiteConfig, type VerificationEvent } from '../../protocol/index.ts';
import { createRateLimitedLog, type Logger } from '../../infra/logger.ts';
import type { EventDraft } from '../event-log/event-draft.ts';
import type { EventLog } from '../event-log/event-log.ts';
import { combinedBacklog, type Backlog } from './backlog.ts';
import type { DeviceMessage } from './device-message.ts';
import type { EventObserver, Stage, StageContext, StageFactory } from './stage.ts';
import { createPipelineMetrics } from './pipeline-metrics.ts';

export interface PipelineDeps {
  site: SiteConfig;
  eventLog: EventLog;
  log: Logger;
  metrics: Registry;
  now?: () => Date;
  /**
   * The warehouse's clock at a gateway instant (epoch ms), for judging day and night: the
   * same instant unless the site runs faster than real time (the demo's simulated warehouse).
   */
  siteTime?: (gatewayMs: number) => number;
  /** Called with each event once it is durable (MQTT publication, local consumers). */
  onEvent?: (event: VerificationEvent) => void;
}

export interface Pipeline {
  dispatch(message: DeviceMessage): void;
  /** Counts and logs (rate-limited) a message whose topic or envelope is not the contract's. */
  rejectTopic(topic: string, reason: string, detail?: string): void;
  /** Drives every stage's time-based decisions; the shell calls it on a timer, tests call it directly. */
  tick(now?: Date): void;
  /** Resolves when every event emitted so far is durable (or reported lost). */
  settled(): Promise<void>;
  stages: readonly Stage[];
  /**
   * Subscribes an observer of sealed events (fusion) made with the stages' context: it
   * gets every durable event after the stages that observe, is ticked after them and
   * stopped before them.
   */
  addObserver<T extends EventObserver>(factory: (context: StageContext) => T): T;
  /** Full while any stage's backlog is: the MQTT session stops reading until it eases. */
  backlog: Backlog;
  stop(): Promise<void>;
}

/**
 * ingest → stages → event log. Each stage is isolated: an exception in one is counted
 * and logged and the message still reaches the others (as zigbee2mqtt wraps each
 * listener of its event bus).
 */
export async function createPipeline(deps: PipelineDeps, factories: readonly StageFactory[]): Promise<Pipeline> {
  const now = deps.now ?? (() => new Date());
  const metrics = createPipelineMetrics(deps.metrics);
  const warnLimited = createRateLimitedLog(deps.log);
  let inFlight = Promise.resolve();
  const stages: Stage[] = [];
  const observers: EventObserver[] = [];

  // An observer that throws must not make the event look lost, nor keep the others from it.
  const deliver = (event: VerificationEvent): void => {
    for (const stage of stages) if (stage.observe) guarded(stage.name, () => stage.observe?.(event));
    for (const observer of observers) guarded(observer.name, () => observer.observe(event));
  };

  const guarded = (name: string, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      metrics.stageErrors.inc({ stage: name });
      warnLimited(`stage:${name}`, 'stage failed on a message', { stage: name, err: error });
    }
  };

  const emit = (draft: EventDraft): void => {
    const appended = deps.eventLog.append([draft]).then(
      (events) => {
        for (const event of events) {
          metrics.events.inc({ type: event.type, severity: event.severity });
          deps.onEvent?.(event);
          deliver(event);
        }
      },
      (error: unknown) => {
        metrics.eventsLost.inc({ type: draft.type, severity: draft.severity });
        deps.log.error({ err: error, type: draft.type, severity: draft.severity, lotId: draft.lotId }, 'event could not be made durable');
      },
    );
    inFlight = inFlight.then(() => appended);
  };

  const night = nightHours(deps.site);
  const siteTime = deps.siteTime;
  const context: StageContext = {
    site: deps.site,
    emit,
    now,
    isNight: siteTime === undefined ? night : (ms) => night(siteTime(ms)),
    log: deps.log,
    metrics: deps.metrics,
    reject(message, reason, detail) {
      metrics.dropped.inc({ channel: message.channel, reason });
      warnLimited(`${message.deviceId}:${reason}`, 'device message dropped', {
        channel: message.channel,
        deviceId: message.deviceId,
        reason,
        detail,
      });
    },
  };

  for (const factory of factories) stages.push(await factory(context));
  const byChannel = new Map<string, Stage[]>();
  for (const stage of stages) {
    for (const channel of stage.channels) byChannel.set(channel, [...(byChannel.get(channel) ?? []), stage]);
  }

  return {
    dispatch(message) {
      metrics.received.inc({ channel: message.channel });
      for (const stage of byChannel.get(message.channel) ?? []) guarded(stage.name, () => stage.handle(message));
    },
    rejectTopic(topic, reason, detail) {
      metrics.dropped.inc({ channel: 'unknown', reason });
      warnLimited(`topic:${reason}:${topic.slice(0, 80)}`, 'MQTT message dropped', { topic: topic.slice(0, 200), reason, detail });
    },
    tick(at = now()) {
      for (const stage of stages) if (stage.tick) guarded(stage.name, () => stage.tick?.(at));
      for (const observer of observers) if (observer.tick) guarded(observer.name, () => observer.tick?.(at));
    },
    settled: () => inFlight,
    stages,
    addObserver(factory) {
      const observer = factory(context);
      observers.push(observer);
      return observer;
    },
    backlog: combinedBacklog(stages.flatMap((s) => (s.backlog ? [s.backlog] : []))),
    async stop() {
      for (const observer of [...observers].reverse()) await observer.stop?.();
      for (const stage of [...stages].reverse()) await stage.stop?.();
      await inFlight;
    },
  };
}
