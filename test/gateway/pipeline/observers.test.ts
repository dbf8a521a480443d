import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseSiteConfig, type VerificationEvent } from '../../../protocol/index.ts';
import { createLogger } from '../../../infra/logger.ts';
import { createPipeline } from '../../../gateway/pipeline/pipeline.ts';
import type { Stage } from '../../../gateway/pipeline/stage.ts';
import { evidenceOf } from '../../support/evidence-examples.ts';
import { recordingEventLog } from '../../support/recording-event-log.ts';

const site = parseSiteConfig(`
site: s1
zones:
  - id: bay-a
    kind: storage
    readers: [{ reader: rd-a, antennas: [1] }]
`);

describe('observers of sealed events', () => {
  it('get every durable event after the stages that observe, are ticked after them and stopped before them', async () => {
    const calls: string[] = [];
    const stage: Stage = {
      name: 'echo',
      channels: [],
      handle: () => {},
      observe: (event) => void calls.push(`stage saw ${event.type}`),
      tick: () => void calls.push('stage tick'),
      stop: () => void calls.push('stage stop'),
    };
    const metrics = new Registry();
    let emitOnline = (): void => {};
    const pipeline = await createPipeline({ site, eventLog: recordingEventLog(), log: createLogger('test', { level: 'silent' }), metrics }, [
      (ctx) => {
        emitOnline = () => ctx.emit({ type: 'device.online', severity: 'info', evidence: evidenceOf('device.online') });
        return stage;
      },
    ]);
    const observer = pipeline.addObserver((ctx) => ({
      name: 'watcher',
      observe(event: VerificationEvent) {
        calls.push(`observer saw ${event.type} #${event.seq}`);
        // An observer may emit in turn (fusion's lot.state), with the stages' context.
        if (event.type === 'device.online') ctx.emit({ type: 'lot.state', severity: 'info', evidence: evidenceOf('lot.state') });
      },
      tick: () => void calls.push('observer tick'),
      stop: () => void calls.push('observer stop'),
    }));
    expect(observer.name).toBe('watcher');
    const broken = pipeline.addObserver(() => ({
      name: 'broken',
      observe: () => {
        throw new Error('boom');
      },
    }));
    expect(broken.name).toBe('broken');

    emitOnline();
    await pipeline.settled();
    // The observer's own lot.state was emitted while the first event was delivered.
    await pipeline.settled();
    pipeline.tick(new Date());
    await pipeline.stop();

    expect(calls).toEqual([
      'stage saw device.online',
      'observer saw device.online #1',
      'stage saw lot.state',
      'observer saw lot.state #2',
      'stage tick',
      'observer tick',
      'observer stop',
      'stage stop',
    ]);
    // The broken observer was counted under its name and kept nobody from the events.
    const errors = (await metrics.getSingleMetric('gateway_stage_errors_total')?.get())?.values ?? [];
    expect(errors).toEqual([expect.objectContaining({ labels: { stage: 'broken' }, value: 2 })]);
  });
});
