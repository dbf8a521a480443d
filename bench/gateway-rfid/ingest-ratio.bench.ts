// RFID ingest benchmark: `npx tsx bench/gateway-rfid/ingest-ratio.bench.ts`.
// One broker (embedded aedes in a child process with the publisher, or MQTT_URL) replays
// the same pre-generated reader stream (firmware-sim bench site, three vendor formats) to
// (a) a bare mqtt.js subscriber that only counts messages and (b) the gateway's ingest
// path: its MQTT session (gateway/mqtt), topic checks (gateway/ingest/device-ingest.ts),
// the pipeline with device presence and the RFID stage, which decodes, smooths and
// reconciles every read. Rounds alternate a/b; the ratio is gateway messages fully
// processed per second over bare messages received per second (target ≥ 0.8). Two streams
// of the same site are measured one after the other: one event per message (what the
// vendors' MQTT outputs send by default; the target is judged on it) and each round
// batched (~330 reads per message). The broker process's own CPU per message is measured
// too, which says how much CPU per message this machine leaves the gateway at the target
// rate (`budget`). A broker that drops part of a burst (Mosquitto beyond
// max_queued_messages) ends a round once it goes quiet, and the messages it never
// delivered are reported (`notDelivered`). BENCH_SCALE=small shortens the streams. The
// last line printed is a JSON summary; run() returns the same object.
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Registry } from 'prom-client';
import type { VerificationEvent } from '../../protocol/index.ts';
import { createLogger } from '../../infra/logger.ts';
import { connectMqtt } from '../../infra/mqtt-connect.ts';
import type { EventLog } from '../../gateway/event-log/event-log.ts';
import { createDevicePresenceStage } from '../../gateway/devices/device-presence-stage.ts';
import { createDeviceIngest } from '../../gateway/ingest/device-ingest.ts';
import { createStaticManifestSource } from '../../gateway/manifests/static-manifest-source.ts';
import { connectGatewayMqtt } from '../../gateway/mqtt/gateway-mqtt.ts';
import { createPipeline } from '../../gateway/pipeline/pipeline.ts';
import { createRfidStage, type RfidStage } from '../../gateway/rfid/rfid-stage.ts';
import { benchScale } from '../bench-scale.ts';
import { streamWorld, type StreamOptions } from './rfid-stream.ts';

export interface IngestRatioOptions {
  /** Simulated seconds of reader output per stream (default 10 one event per message, 60 batched; BENCH_SCALE shortens them). */
  readonly seconds?: Partial<Record<StreamKind, number>>;
  readonly streams?: readonly StreamKind[];
  readonly rounds?: number;
  readonly mqttUrl?: string;
  readonly log?: (line: string) => void;
}

/**
 * How the readers pack their events into MQTT messages. `per-event` is what Impinj's and
 * Zebra's MQTT outputs send by default and what the target is judged on; `batched` is each
 * round in messages of up to 500 events (~330 reads, 68 KB), as a Zebra reader with
 * batching configured or a webhook bridge sends, and the simulator does by default.
 */
export type StreamKind = 'per-event' | 'batched';

const STREAMS: Record<StreamKind, { eventsPerMessage: number; seconds: number; about: string }> = {
  'per-event': { eventsPerMessage: 1, seconds: 10, about: "one event per message, the vendors' MQTT default" },
  batched: { eventsPerMessage: 500, seconds: 60, about: 'each round batched, up to 500 events per message' },
};

interface PhaseResult {
  messages: number;
  seconds: number;
  messagesPerSec: number;
  readsPerSec?: number;
  cpuPercent: number;
  /** CPU of the subscriber process per message it handled: less sensitive than rates to a busy machine. */
  cpuMsPerMessage: number;
  dropped?: number;
  /** Messages the broker never delivered (Mosquitto drops what exceeds `max_queued_messages` per client). */
  notDelivered: number;
  /** CPU of the broker process (broker and publisher) per message over the round. */
  brokerCpuMsPerMessage?: number;
}

/**
 * What the gateway may spend per message to reach the target here: the machine's cores,
 * less what the broker process needs at 0.8 of the bare rate, spread over that rate.
 * When the gateway already spends more than `gatewayMsPerMessage` allows, no code path
 * on this machine reaches the target, however it is parallelised.
 */
interface CpuBudget {
  cores: number;
  targetMessagesPerSec: number;
  brokerCoresAtTarget: number;
  gatewayMsPerMessage: number;
  /** What the bare subscriber spends per message: the MQTT receive the gateway does too. */
  receiveMsPerMessage: number;
}

export interface StreamResult {
  readonly kind: StreamKind;
  readonly stream: { messages: number; megabytes: number; reads: number; eventsPerMessage: number; readers: number; tags: number };
  readonly bare: PhaseResult[];
  readonly gateway: PhaseResult[];
  /** Best gateway round over best bare round. */
  readonly ratio: number;
  /** Bare CPU per message over gateway CPU per message (best rounds): the ratio a dedicated core would give. */
  readonly cpuRatio: number;
  readonly budget: CpuBudget;
  /** What the bench site sends in real time (messages/s), and how many times that the gateway sustained. */
  readonly realTimeMessagesPerSec: number;
  readonly headroom: number;
}

export interface IngestRatioSummary {
  readonly bench: 'gateway-rfid-ingest';
  readonly broker: 'embedded aedes' | 'external';
  readonly streams: StreamResult[];
  /** The per-event stream's ratio (the batched stream's when only that one ran). */
  readonly ratio: number;
  readonly ratioTarget: 0.8;
  readonly ratioMet: boolean;
}

const RATIO_TARGET = 0.8;
/** Once the publisher is done, a subscriber that got nothing for this long has everything the broker will deliver. */
const QUIET_MS = 2_000;

/**
 * The end of a round, checked every `pollMs`: once `complete()` holds, or once the publisher
 * is done and `count` has been still for QUIET_MS (a broker that drops part of a burst never
 * lets a subscriber complete). Resolves with the time `count` last changed.
 */
function roundEnd(count: () => number, complete: () => boolean, published: Promise<unknown>, pollMs: number): Promise<number> {
  let publishedAll = false;
  void published.then(() => (publishedAll = true));
  return new Promise((resolve) => {
    let last = count();
    let changedAt = performance.now();
    const poll = setInterval(() => {
      const now = count();
      if (now !== last) {
        last = now;
        changedAt = performance.now();
      }
      if (complete() || (publishedAll && performance.now() - changedAt >= QUIET_MS)) {
        clearInterval(poll);
        resolve(changedAt);
      }
    }, pollMs);
  });
}

interface Ready {
  url: string;
  messages: number;
  bytes: number;
}

function waitFor<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`publisher exited with ${code}`));
    const onMessage = (m: Record<string, unknown>) => {
      if (m[key] !== undefined) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      }
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function brokerCpuMs(publisher: ChildProcess): Promise<number> {
  const reply = waitFor<{ cpu: NodeJS.CpuUsage }>(publisher, 'cpu');
  publisher.send({ cmd: 'cpu' });
  const { cpu } = await reply;
  return (cpu.user + cpu.system) / 1e3;
}

function cpuBudget(bare: readonly PhaseResult[], bestBare: number): CpuBudget {
  const cores = availableParallelism();
  const brokerMs = Math.min(...bare.map((b) => b.brokerCpuMsPerMessage ?? Number.POSITIVE_INFINITY));
  const target = bestBare * RATIO_TARGET;
  const brokerCores = (target * brokerMs) / 1000;
  const round3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    cores,
    targetMessagesPerSec: Math.round(target),
    brokerCoresAtTarget: Math.round(brokerCores * 100) / 100,
    gatewayMsPerMessage: round3(Math.max(0, ((cores - brokerCores) * 1000) / target)),
    receiveMsPerMessage: round3(Math.min(...bare.map((b) => b.cpuMsPerMessage))),
  };
}

const cpuPercent = (used: NodeJS.CpuUsage, seconds: number) => Math.round(((used.user + used.system) / 1e6 / seconds) * 100);
const cpuPerMessage = (used: NodeJS.CpuUsage, messages: number) => Math.round(((used.user + used.system) / 1e3 / Math.max(1, messages)) * 1000) / 1000;

async function bareRound(url: string, site: string, expected: number, publisher: ChildProcess, published: Promise<unknown>): Promise<PhaseResult> {
  const client = await connectMqtt(url, { clientId: `bench-rfid-bare-${process.pid}`, reconnectPeriod: 0 });
  await client.subscribeAsync(`wh/${site}/rfid/+/events`, { qos: 1 });
  let received = 0;
  let first = 0;
  let last = 0;
  client.on('message', () => {
    if (received === 0) first = performance.now();
    received += 1;
    last = performance.now();
  });
  const cpu = process.cpuUsage();
  publisher.send({ cmd: 'publish' });
  // The receive times come from the handler, so a slow poll costs the bare subscriber nothing.
  await roundEnd(() => received, () => received === expected, published, 50);
  const used = process.cpuUsage(cpu);
  await client.endAsync();
  const seconds = (last - first) / 1000;
  return {
    messages: received,
    seconds,
    messagesPerSec: Math.round(received / seconds),
    cpuPercent: cpuPercent(used, seconds),
    cpuMsPerMessage: cpuPerMessage(used, received),
    notDelivered: expected - received,
  };
}

async function gatewayRound(url: string, world: ReturnType<typeof streamWorld>, expected: number, publisher: ChildProcess, published: Promise<unknown>): Promise<PhaseResult> {
  const log = createLogger('bench-gateway', { level: 'error' });
  const eventLog: EventLog = { append: async (drafts) => drafts as unknown as VerificationEvent[], head: () => ({ seq: 0, hash: '' }) };
  const metrics = new Registry();
  const pipeline = await createPipeline({ site: world.site, eventLog, log, metrics }, [
    (ctx) => createDevicePresenceStage(ctx, { silenceMs: 120_000 }),
    (ctx) => createRfidStage(ctx, { manifests: createStaticManifestSource(world.manifest) }),
  ]);
  const rfid = pipeline.stages.find((s) => s.name === 'rfid') as RfidStage;
  const ingest = createDeviceIngest(world.site.site, pipeline);
  let first = 0;
  const mqtt = await connectGatewayMqtt({
    url,
    site: world.site.site,
    gatewayId: `gw-bench-${process.pid}`,
    version: 'bench',
    sessionExpirySeconds: 0,
    log,
    onMessage: (topic, payload, packet) => {
      if (first === 0) first = performance.now();
      ingest(topic, payload, packet);
    },
    backlog: pipeline.backlog,
  });
  const ticker = setInterval(() => pipeline.tick(), 1_000);
  const cpu = process.cpuUsage();
  publisher.send({ cmd: 'publish' });
  const handled = () => {
    const p = rfid.progress();
    return p.decoded + p.dropped;
  };
  // Every message decoded or refused, and nothing left queued; polled finely, as the end time comes from here.
  const end = await roundEnd(handled, () => handled() >= expected && rfid.progress().queued === 0, published, 2);
  const used = process.cpuUsage(cpu);
  clearInterval(ticker);
  const reads = (await metrics.getSingleMetric('gateway_rfid_reads_total')?.get())?.values[0]?.value ?? 0;
  const { dropped, decoded: processed } = rfid.progress();
  await mqtt.close();
  await pipeline.stop();
  const seconds = (end - first) / 1000;
  return {
    messages: processed,
    seconds,
    messagesPerSec: Math.round(processed / seconds),
    readsPerSec: Math.round(reads / seconds),
    cpuPercent: cpuPercent(used, seconds),
    // Per payload decoded and tracked (refusing one for overload costs next to nothing).
    cpuMsPerMessage: cpuPerMessage(used, processed),
    dropped,
    notDelivered: expected - processed - dropped,
  };
}

async function runStream(kind: StreamKind, options: IngestRatioOptions, log: (line: string) => void): Promise<StreamResult> {
  const scale = benchScale();
  const spec = STREAMS[kind];
  const seconds = options.seconds?.[kind] ?? Math.max(3, Math.round(spec.seconds * scale));
  const stream: StreamOptions = { seconds, readers: 50, tags: 5_000, roundMs: 1_000, eventsPerMessage: spec.eventsPerMessage, seed: 1 };
  const rounds = options.rounds ?? (scale < 1 ? 1 : 2);
  const world = streamWorld(stream);
  log(`[${kind}] ${spec.about}: generating ${stream.seconds} s of ${stream.readers} readers' output (${stream.tags} tags, ${stream.roundMs} ms rounds) in the publisher process`);
  const mqttUrl = options.mqttUrl ?? process.env.MQTT_URL;
  const publisher = fork(new URL('./broker-publisher.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, RFID_STREAM_OPTIONS: JSON.stringify(stream), ...(mqttUrl ? { MQTT_URL: mqttUrl } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await waitFor<Ready>(publisher, 'ready');
  log(`[${kind}] stream: ${ready.messages} messages, ${(ready.bytes / 1e6).toFixed(1)} MB; broker ${ready.url}`);
  const bare: PhaseResult[] = [];
  const gateway: PhaseResult[] = [];
  const perMessage = (ms: number) => Math.round((ms / ready.messages) * 1000) / 1000;
  for (let r = 0; r < rounds; r++) {
    let brokerStart = await brokerCpuMs(publisher);
    const published = waitFor(publisher, 'published');
    const b = await bareRound(ready.url, world.site.site, ready.messages, publisher, published);
    await published;
    b.brokerCpuMsPerMessage = perMessage((await brokerCpuMs(publisher)) - brokerStart);
    bare.push(b);
    log(`[${kind}] round ${r + 1} bare subscriber: ${b.messagesPerSec} messages/s (cpu ${b.cpuPercent}%, ${b.cpuMsPerMessage} ms per message; broker process ${b.brokerCpuMsPerMessage} ms per message)`);
    brokerStart = await brokerCpuMs(publisher);
    const published2 = waitFor(publisher, 'published');
    const g = await gatewayRound(ready.url, world, ready.messages, publisher, published2);
    await published2;
    g.brokerCpuMsPerMessage = perMessage((await brokerCpuMs(publisher)) - brokerStart);
    gateway.push(g);
    log(`[${kind}] round ${r + 1} gateway: ${g.messagesPerSec} messages/s, ${g.readsPerSec} reads/s fully processed, ${g.dropped} dropped for overload (cpu ${g.cpuPercent}%, ${g.cpuMsPerMessage} ms per message; broker process ${g.brokerCpuMsPerMessage} ms per message)`);
    for (const [who, phase] of [['bare subscriber', b], ['gateway', g]] as const) {
      if (phase.notDelivered > 0) {
        log(`[${kind}] round ${r + 1}: the broker did not deliver ${phase.notDelivered} of ${ready.messages} messages to the ${who} (Mosquitto drops what exceeds max_queued_messages per client, 1000 by default)`);
      }
    }
  }
  const exited = new Promise((resolve) => publisher.once('exit', resolve));
  publisher.send({ cmd: 'stop' });
  await exited;
  const best = (rs: PhaseResult[]) => Math.max(...rs.map((r) => r.messagesPerSec));
  const ratio = Math.round((best(gateway) / best(bare)) * 100) / 100;
  const readsPerMessage = (gateway[0]?.readsPerSec ?? 0) / Math.max(1, gateway[0]?.messagesPerSec ?? 1);
  const realTime = Math.round(ready.messages / stream.seconds);
  const result: StreamResult = {
    kind,
    stream: {
      messages: ready.messages,
      megabytes: Math.round(ready.bytes / 1e5) / 10,
      reads: Math.round(readsPerMessage * ready.messages),
      eventsPerMessage: spec.eventsPerMessage,
      readers: stream.readers,
      tags: stream.tags,
    },
    bare,
    gateway,
    ratio,
    cpuRatio: Math.round((Math.min(...bare.map((b) => b.cpuMsPerMessage)) / Math.min(...gateway.map((g) => g.cpuMsPerMessage))) * 100) / 100,
    budget: cpuBudget(bare, best(bare)),
    realTimeMessagesPerSec: realTime,
    headroom: Math.round((best(gateway) / realTime) * 10) / 10,
  };
  log(
    `[${kind}] ratio gateway/bare ${ratio} (target >= ${RATIO_TARGET}), by CPU per message ${result.cpuRatio}; ` +
      `the bench site in real time sends ${realTime} messages/s, the gateway sustained ${result.headroom}x that`,
  );
  const { budget } = result;
  log(
    `[${kind}] CPU budget: at ${budget.targetMessagesPerSec} messages/s (${RATIO_TARGET} of bare) the broker process needs ${budget.brokerCoresAtTarget} of ${budget.cores} cores, ` +
      `leaving the gateway ${budget.gatewayMsPerMessage} ms of CPU per message; receiving a message alone costs ${budget.receiveMsPerMessage} ms, ` +
      `the gateway spent ${Math.min(...gateway.map((g) => g.cpuMsPerMessage))} ms`,
  );
  return result;
}

export async function run(options: IngestRatioOptions = {}): Promise<IngestRatioSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const kinds = options.streams ?? (['per-event', 'batched'] as const);
  const streams: StreamResult[] = [];
  // One stream at a time: each has its own broker process, so neither's backlog touches the other.
  for (const kind of kinds) streams.push(await runStream(kind, options, log));
  const judged = streams.find((s) => s.kind === 'per-event') ?? streams[0];
  if (judged === undefined) throw new Error('no stream to measure');
  const summary: IngestRatioSummary = {
    bench: 'gateway-rfid-ingest',
    broker: (options.mqttUrl ?? process.env.MQTT_URL) ? 'external' : 'embedded aedes',
    streams,
    ratio: judged.ratio,
    ratioTarget: RATIO_TARGET,
    ratioMet: judged.ratio >= RATIO_TARGET,
  };
  log(`ratio gateway/bare on the ${judged.kind} stream ${judged.ratio} (target >= ${RATIO_TARGET}): ${summary.ratioMet ? 'met' : 'not met'}`);
  log(JSON.stringify(summary));
  return summary;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  run()
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
