import { Counter, type Registry } from 'prom-client';

export function createPipelineMetrics(registry: Registry) {
  return {
    received: new Counter({
      name: 'gateway_messages_received_total',
      help: 'Device messages received from MQTT, by channel',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    dropped: new Counter({
      name: 'gateway_messages_dropped_total',
      help: 'Device messages dropped as bad input, by channel and reason',
      labelNames: ['channel', 'reason'] as const,
      registers: [registry],
    }),
    stageErrors: new Counter({
      name: 'gateway_stage_errors_total',
      help: 'Exceptions thrown by a stage while handling a message (the message is skipped, the stage keeps running)',
      labelNames: ['stage'] as const,
      registers: [registry],
    }),
    events: new Counter({
      name: 'gateway_events_total',
      help: 'Verification events made durable, by type and severity',
      labelNames: ['type', 'severity'] as const,
      registers: [registry],
    }),
    eventsLost: new Counter({
      name: 'gateway_events_lost_total',
      help: 'Verification events that could not be made durable (outbox full or disk error), by type and severity',
      labelNames: ['type', 'severity'] as const,
      registers: [registry],
    }),
  };
}

export type PipelineMetrics = ReturnType<typeof createPipelineMetrics>;
