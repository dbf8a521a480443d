/**
 * `npm run soak -- --hours N [--speed S] [--every-ms M]`: a busy simulated site (the demo
 * site with every device on: readers, cameras, microphones, scales, climate probes, a
 * working day's traffic) through the whole system (MQTT → gateway → cloud) for N real
 * hours, printing every minute: memory, event lag, outbox depth and loss. Writes the
 * figures to bench/soak.json at the end (and on Ctrl-C).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startSystemRun } from '../system/system-run.ts';
import { prometheusSum } from './prometheus-sum.ts';

process.env.LOG_LEVEL ??= 'warn';
const { values } = parseArgs({ options: { hours: { type: 'string', default: '1' }, speed: { type: 'string', default: '10' }, 'every-ms': { type: 'string', default: '60000' }, seed: { type: 'string', default: '1' } } });
const hours = Number(values.hours);
const speed = Number(values.speed);
const everyMs = Number(values['every-ms']);
if (!(hours > 0 && speed > 0 && everyMs >= 100)) {
  process.stderr.write('usage: npm run soak -- --hours N [--speed S (default 10)] [--every-ms M (default 60000)]\n');
  process.exit(1);
}

interface Sample {
  minute: number;
  simTime: string;
  rssMb: number;
  heapMb: number;
  /** Age of the oldest event not yet acknowledged by the cloud, s. */
  eventLagS: number;
  /** How late the gateway's RFID decoding runs behind the reads, s. */
  rfidLagS: number;
  /** How late the simulated devices publish against their schedule (p95 of the last minute's), ms. */
  simLagP95Ms: number;
  outboxDepth: number;
  events: number;
  eventsAcked: number;
  messagesReceived: number;
  /** Messages the devices could not hand to MQTT, the gateway refused, events not made durable. */
  lost: { device: number; gateway: number; events: number };
}

const run = await startSystemRun({ scenario: 'quiet-day', seed: Number(values.seed), speed, runPastEnd: true });
const started = Date.now();
const samples: Sample[] = [];
const gatewayUrl = run.stack.gateway.apiUrl;

async function sample(): Promise<Sample> {
  const [metrics, rfid] = await Promise.all([
    fetch(`${gatewayUrl}/metrics`).then((r) => r.text()),
    fetch(`${gatewayUrl}/api/v1/rfid/health`).then((r) => r.json() as Promise<{ lagSeconds: number }>),
  ]);
  const outbox = run.stack.gateway.outbox.stats();
  const sim = run.warehouse.stats();
  const memory = process.memoryUsage();
  return {
    minute: Math.round((Date.now() - started) / 60_000),
    simTime: sim.simTime,
    rssMb: Math.round(memory.rss / 1e6),
    heapMb: Math.round(memory.heapUsed / 1e6),
    eventLagS: outbox.oldestTs === null ? 0 : Math.round(Math.max(0, Date.now() - new Date(outbox.oldestTs).getTime()) / 100) / 10,
    rfidLagS: Math.round(rfid.lagSeconds * 100) / 100,
    simLagP95Ms: Math.round(sim.lagMs.p95),
    outboxDepth: outbox.pending,
    events: outbox.lastAppendedSeq ?? 0,
    eventsAcked: outbox.lastAckedSeq ?? 0,
    messagesReceived: prometheusSum(metrics, 'gateway_messages_received_total'),
    lost: {
      device: sim.dropped,
      gateway: prometheusSum(metrics, 'gateway_messages_dropped_total', 'reason="overload"'),
      events: prometheusSum(metrics, 'gateway_events_lost_total'),
    },
  };
}

const header = 'min  sim time              rss MB heap MB  event lag s  rfid lag s  sim lag p95 ms  outbox  events  acked  msgs      lost dev/gw/ev';
process.stdout.write(`soak: demo site, every device, quiet-day at ${speed}x for ${hours} h (${(hours * speed).toFixed(0)} simulated h)\n${header}\n`);
const line = (s: Sample) =>
  `${String(s.minute).padStart(3)}  ${s.simTime.slice(0, 19)}  ${String(s.rssMb).padStart(6)} ${String(s.heapMb).padStart(7)}  ${s.eventLagS.toFixed(1).padStart(11)}  ${s.rfidLagS.toFixed(2).padStart(10)}  ${String(s.simLagP95Ms).padStart(14)}  ${String(s.outboxDepth).padStart(6)}  ${String(s.events).padStart(6)}  ${String(s.eventsAcked).padStart(5)}  ${String(s.messagesReceived).padStart(8)}  ${s.lost.device}/${s.lost.gateway}/${s.lost.events}`;

async function finish(reason: string): Promise<never> {
  clearInterval(timer);
  await run.stack.gateway.flush().catch(() => undefined);
  const last = await sample();
  samples.push(last);
  process.stdout.write(`${line(last)}\n`);
  const summary = {
    bench: 'soak',
    reason,
    hours: (Date.now() - started) / 3_600_000,
    speed,
    simulatedHours: ((Date.now() - started) * speed) / 3_600_000,
    rssMb: { first: samples[0]?.rssMb, max: Math.max(...samples.map((s) => s.rssMb)), last: last.rssMb },
    heapMb: { first: samples[0]?.heapMb, max: Math.max(...samples.map((s) => s.heapMb)), last: last.heapMb },
    eventLagS: { max: Math.max(...samples.map((s) => s.eventLagS)) },
    rfidLagS: { max: Math.max(...samples.map((s) => s.rfidLagS)) },
    outboxDepth: { max: Math.max(...samples.map((s) => s.outboxDepth)), last: last.outboxDepth },
    events: last.events,
    eventsUndelivered: last.events - last.eventsAcked,
    messagesReceived: last.messagesReceived,
    lost: last.lost,
    samples,
  };
  await writeFile(new URL('../soak.json', import.meta.url), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ ...summary, samples: undefined })}\n`);
  await run.stop();
  process.exit(0);
}

const timer = setInterval(() => {
  sample()
    .then((s) => {
      samples.push(s);
      process.stdout.write(`${line(s)}\n`);
      if (Date.now() - started >= hours * 3_600_000) void finish('done');
    })
    .catch((error: unknown) => process.stderr.write(`soak: sample failed: ${String(error)}\n`));
}, everyMs);
process.once('SIGINT', () => void finish('interrupted'));
process.once('SIGTERM', () => void finish('interrupted'));
