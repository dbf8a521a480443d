import type { UplinkStatus } from '../uplink/uplink-health.ts';

export interface HealthBounds {
  /** Deliveries failing this long make the gateway not ready and degraded. */
  uplinkFailingMs: number;
  /** The oldest undelivered event waiting this long makes the gateway degraded. */
  outboxOldestMs: number;
}

export interface HealthInputs {
  mqttConnected: boolean;
  uplink: UplinkStatus;
  outbox: { pending: number; oldestTs: number | null };
  now: number;
}

export interface GatewayHealth {
  status: 'ok' | 'degraded';
  /** Whether the gateway does its job now: hears its devices and gets its events to the cloud. */
  ready: boolean;
  reasons: string[];
}

/**
 * What the gateway's /health and /ready say. A gateway that hears no device or whose
 * events no longer reach the cloud is not doing its job, whatever its process says: a
 * broker that is down, a cloud that refuses every batch (a revoked token) and an outbox
 * that only grows each say so, with the reason.
 */
export function judgeHealth(inputs: HealthInputs, bounds: HealthBounds): GatewayHealth {
  const reasons: string[] = [];
  let ready = true;
  if (!inputs.mqttConnected) {
    ready = false;
    reasons.push('MQTT broker unreachable: devices are not heard');
  }
  const { failingSince, lastReason } = inputs.uplink;
  if (failingSince !== undefined && inputs.now - failingSince >= bounds.uplinkFailingMs) {
    ready = false;
    reasons.push(`cloud deliveries failing for ${seconds(inputs.now - failingSince)}: ${lastReason ?? 'unknown reason'}`);
  }
  const { pending, oldestTs } = inputs.outbox;
  if (pending > 0 && oldestTs !== null && inputs.now - oldestTs >= bounds.outboxOldestMs) {
    reasons.push(`outbox: ${pending} event${pending === 1 ? '' : 's'} waiting, the oldest for ${seconds(inputs.now - oldestTs)}`);
  }
  return { status: reasons.length === 0 ? 'ok' : 'degraded', ready, reasons };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
