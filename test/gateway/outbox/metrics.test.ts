import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MemoryOutboxStore } from '../../../gateway/outbox/memory-outbox-store.ts';
import { createOutboxMetrics } from '../../../gateway/outbox/metrics.ts';
import { createSender } from '../../../gateway/outbox/sender.ts';
import type { TestEvent } from './support/events.ts';
import { makeEvents } from './support/events.ts';
import { FakeCloud, seededRandom } from './support/fake-cloud.ts';
import { ManualTimers } from './support/manual-timers.ts';

async function value(registry: Registry, name: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values[0]?.value;
}

describe('outbox metrics', () => {
  it('reports backlog, age and counters on an injected registry', async () => {
    const registry = new Registry();
    const timers = new ManualTimers(10_000);
    const metrics = createOutboxMetrics({ registry, clock: timers });
    const store = new MemoryOutboxStore<TestEvent>({ now: () => timers.now(), maxBytes: 3 * 1000, onEviction: metrics.onEviction });
    await store.open();
    const detach = metrics.observe(store);

    await store.append(makeEvents(1, 4));
    timers.setTimeout(() => undefined, 90_000);
    timers.fireNext();
    expect(await value(registry, 'gateway_outbox_backlog_records')).toBe(4);
    expect(await value(registry, 'gateway_outbox_oldest_pending_age_seconds')).toBe(90);
    expect(await value(registry, 'gateway_outbox_appended_records_total')).toBe(4);

    await store.append(makeEvents(5, 8));
    expect(await value(registry, 'gateway_outbox_evicted_records_total')).toBeGreaterThan(0);

    const cloud = new FakeCloud();
    cloud.failuresLeft = 2;
    const sender = createSender<TestEvent>({
      store,
      deliver: cloud.deliver,
      batchSize: 100,
      maxBatchBytes: 1_000_000,
      backoff: { initialMs: 10, maxMs: 100 },
      timers,
      clock: timers,
      random: seededRandom(1),
      hooks: [metrics.senderHooks],
    });
    sender.start();
    await timers.runUntil(sender.flush());
    await sender.stop();
    metrics.onCorruption({ segment: 'x.seg', offset: 0, length: 10, reason: 'crc' });

    expect(await value(registry, 'gateway_outbox_delivery_retries_total')).toBe(2);
    expect(await value(registry, 'gateway_outbox_delivered_records_total')).toBe(cloud.stored.length);
    expect(await value(registry, 'gateway_outbox_backlog_records')).toBe(0);
    expect(await value(registry, 'gateway_outbox_oldest_pending_age_seconds')).toBe(0);
    expect(await value(registry, 'gateway_outbox_corrupt_records_total')).toBe(1);
    expect(await registry.metrics()).toContain('gateway_outbox_delivery_batch_seconds_bucket');
    detach();
    await store.close();
  });
});
