import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { startBroker, type BrokerHandle } from '../infra/broker.ts';
import { createLogger } from '../infra/logger.ts';
import { loadSiteConfig, SiteConfigError, type SiteConfig } from '../protocol/site/site-config.ts';
import { parseCliOptions, USAGE, type CliOptions } from './cli-options.ts';
import { incidentLine, progressLine } from './cli-progress.ts';
import { benchSiteConfig } from './model/bench-site.ts';
import { findScenario, SCENARIOS } from './scenario/catalogue.ts';
import { scenarioStart } from './scenario/timeline.ts';
import { startSimulatedWarehouse, type WarehouseStats } from './shell/start.ts';

function fail(message: string, code: number): never {
  process.stderr.write(`firmware-sim: ${message}\n`);
  process.exit(code);
}

async function siteFor(options: CliOptions): Promise<SiteConfig> {
  const site = await loadSiteConfig(options.siteConfig);
  return options.scale === 'bench' ? benchSiteConfig({ site: site.site, timezone: site.timezone }) : site;
}

async function run(options: CliOptions, site: SiteConfig): Promise<void> {
  const log = createLogger('firmware-sim', { level: process.env.LOG_LEVEL ?? 'warn' });
  let broker: BrokerHandle | undefined;
  if (!options.mqtt) {
    broker = await startBroker({ port: options.brokerPort });
    process.stdout.write(`embedded MQTT broker listening at ${broker.url}\n`);
  }
  const url = options.mqtt ?? (broker as BrokerHandle).url;
  let truthFile: WriteStream | undefined;
  const startLocal = findScenario(options.scenario)?.startLocal ?? '00:00';
  const startMs = options.start === 'today' ? scenarioStart(startLocal, site.timezone, Date.UTC(...todayUtc())) : options.start;
  const warehouse = await startSimulatedWarehouse({
    connectTimeoutMs: 10_000,
    mqttUrl: url,
    siteConfig: site,
    scenario: options.scenario,
    seed: options.seed,
    speed: options.speed,
    log,
    ...(options.devices ? { devices: options.devices } : {}),
    ...(options.scale === 'bench' ? { population: 'bench' as const } : {}),
    ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
    ...(startMs !== undefined ? { startMs } : {}),
  }).catch((err: unknown) => fail(`cannot start the devices on ${url}: ${(err as Error).message}`, 1));
  if (options.manifest) await writeFile(options.manifest, `${JSON.stringify(warehouse.lots, null, 2)}\n`);
  if (options.groundTruth) {
    truthFile = createWriteStream(options.groundTruth);
    for (const e of warehouse.groundTruth()) truthFile.write(`${JSON.stringify(e)}\n`);
  }
  const tty = process.stderr.isTTY === true;
  const clearLine = () => tty && process.stderr.write('\r\x1b[K');
  warehouse.onGroundTruth((event) => {
    truthFile?.write(`${JSON.stringify(event)}\n`);
    const line = options.quiet ? undefined : incidentLine(event);
    if (line) {
      clearLine();
      process.stderr.write(`${line}\n`);
    }
  });
  let previous: WarehouseStats | undefined;
  let lastPrinted = 0;
  const progress = setInterval(() => {
    const now = warehouse.stats();
    if (!options.quiet && (tty || now.realElapsedMs - lastPrinted >= 10_000)) {
      if (tty) process.stderr.write(`\r\x1b[K${progressLine(now, previous)}`);
      else process.stderr.write(`${progressLine(now, previous)}\n`);
      lastPrinted = now.realElapsedMs;
    }
    previous = now;
  }, 1_000);
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    void warehouse.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await warehouse.done;
  clearInterval(progress);
  await warehouse.stop();
  clearLine();
  if (tty && !options.quiet) process.stderr.write('\n');
  process.stdout.write(`${JSON.stringify(warehouse.stats())}\n`);
  await new Promise<void>((resolve) => (truthFile ? truthFile.end(resolve) : resolve()));
  await broker?.close();
  process.exit(interrupted ? 130 : 0);
}

function todayUtc(): [number, number, number] {
  const now = new Date();
  return [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
}

async function main(): Promise<void> {
  const parsed = parseCliOptions(process.argv.slice(2));
  if (!parsed.ok) fail(`${parsed.error} (see --help)`, 2);
  const options = parsed.options;
  if (options.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.command === 'list') {
    const width = Math.max(...SCENARIOS.map((s) => s.name.length));
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(width)}  ${s.description}\n`);
    return;
  }
  let site: SiteConfig;
  try {
    site = await siteFor(options);
  } catch (err) {
    if (err instanceof SiteConfigError) fail(err.message, 2);
    throw err;
  }
  if (options.command === 'print-site') {
    process.stdout.write(stringify(site));
    return;
  }
  await run(options, site);
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err), 1));
