import { describe, expect, it } from 'vitest';
import { judgeHealth, type HealthInputs } from '../../../gateway/health/gateway-health.ts';
import { createUplinkHealth } from '../../../gateway/uplink/uplink-health.ts';

const bounds = { uplinkFailingMs: 60_000, outboxOldestMs: 600_000 };
const fine: HealthInputs = {
  mqttConnected: true,
  uplink: { failingSince: undefined, lastReason: undefined, lastDeliveredAt: 0 },
  outbox: { pending: 0, oldestTs: null },
  now: 1_000_000,
};

describe('gateway health', () => {
  it('is ok and ready when devices are heard and events reach the cloud', () => {
    expect(judgeHealth(fine, bounds)).toEqual({ status: 'ok', ready: true, reasons: [] });
  });

  it('is not ready while the broker is unreachable', () => {
    expect(judgeHealth({ ...fine, mqttConnected: false }, bounds)).toEqual({
      status: 'degraded',
      ready: false,
      reasons: ['MQTT broker unreachable: devices are not heard'],
    });
  });

  it('tolerates failed deliveries up to the bound, then says why it is not ready', () => {
    const failing = (ms: number): HealthInputs => ({ ...fine, uplink: { failingSince: fine.now - ms, lastReason: 'HTTP 401', lastDeliveredAt: 0 } });
    expect(judgeHealth(failing(59_999), bounds).ready).toBe(true);
    expect(judgeHealth(failing(60_000), bounds)).toEqual({ status: 'degraded', ready: false, reasons: ['cloud deliveries failing for 60 s: HTTP 401'] });
  });

  it('is degraded, still ready, when events wait in the outbox too long', () => {
    const waiting = (ms: number): HealthInputs => ({ ...fine, outbox: { pending: 3, oldestTs: fine.now - ms } });
    expect(judgeHealth(waiting(599_999), bounds).status).toBe('ok');
    expect(judgeHealth(waiting(600_000), bounds)).toEqual({ status: 'degraded', ready: true, reasons: ['outbox: 3 events waiting, the oldest for 600 s'] });
  });

  it('follows the sender: a failing run starts at the first retry and ends with the next delivery', () => {
    let t = 0;
    const uplink = createUplinkHealth(() => t);
    t = 10;
    uplink.hooks.onRetry?.({ attempt: 1, delayMs: 500, reason: 'HTTP 503' });
    t = 20;
    uplink.hooks.onRetry?.({ attempt: 2, delayMs: 900, reason: 'HTTP 401' });
    expect(uplink.status()).toEqual({ failingSince: 10, lastReason: 'HTTP 401', lastDeliveredAt: undefined });
    t = 30;
    uplink.hooks.onDelivered?.({ count: 1, bytes: 10, latencyMs: 1, lastSeq: 1 });
    expect(uplink.status()).toEqual({ failingSince: undefined, lastReason: undefined, lastDeliveredAt: 30 });
  });
});
