import { parseArgs } from 'node:util';
import { parseDuration } from './core/duration.ts';
import { resolveDeviceOptions, type DeviceOverrides } from './engine/options.ts';
import { findScenario, scenarioNames } from './scenario/catalogue.ts';

export interface CliOptions {
  command: 'run' | 'list' | 'help' | 'print-site';
  scenario: string;
  siteConfig: string;
  seed: number;
  speed: number;
  mqtt: string | undefined;
  brokerPort: number;
  durationMs: number | undefined;
  /** Epoch ms to start at, or 'today' for the scenario's start time on today's date. */
  start: number | 'today' | undefined;
  scale: 'default' | 'bench';
  manifest: string | undefined;
  groundTruth: string | undefined;
  devices: DeviceOverrides | undefined;
  quiet: boolean;
}

export type CliParse = { ok: true; options: CliOptions } | { ok: false; error: string };

export const USAGE = `usage: tsx firmware-sim/cli.ts --scenario <name> [options]

  --scenario <name>       scenario to run (see --list)
  --site-config <file>    site YAML (default config/site-s1.yaml)
  --seed <int>            random seed (default 1)
  --speed <x>             simulated seconds per real second (default 60)
  --mqtt <url>            broker URL; without it an embedded broker is started
  --broker-port <port>    port for the embedded broker (default: any free port)
  --duration <dur>        run for this long instead of the scenario's length (90s, 15m, 2h)
  --start <when>          start at this ISO 8601 time, or "today" for the scenario's usual
                          start time today (default: its start time on 2024-03-12)
  --scale default|bench   bench: 50 readers, 5,000 tags, 16 cameras, 8 microphones
  --manifest <file>       write the lot manifest (JSON) here
  --ground-truth <file>   write ground truth events (NDJSON) here as they happen
  --devices <json>        device option overrides, e.g. '{"camera":{"frameMs":5000}}'
  --print-site            print the effective site YAML (e.g. for --scale bench) and exit
  --quiet                 no progress line or incident lines on stderr
  --list                  list scenarios
  --help                  this text`;

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number | string {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text)) return `--${name} must be an integer, got "${text}"`;
  const n = Number(text);
  if (n < min || n > max) return `--${name} must be between ${min} and ${max}, got ${n}`;
  return n;
}

/** Parses argv into options or one clear error; never exits, so it can be tested. */
export function parseCliOptions(argv: readonly string[]): CliParse {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: 'string' },
        'site-config': { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        mqtt: { type: 'string' },
        'broker-port': { type: 'string' },
        duration: { type: 'string' },
        start: { type: 'string' },
        scale: { type: 'string' },
        manifest: { type: 'string' },
        'ground-truth': { type: 'string' },
        devices: { type: 'string' },
        'print-site': { type: 'boolean' },
        quiet: { type: 'boolean' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  const seed = integer('seed', values.seed, 1, 0, 2 ** 32 - 1);
  if (typeof seed === 'string') return { ok: false, error: seed };
  const brokerPort = integer('broker-port', values['broker-port'], 0, 0, 65_535);
  if (typeof brokerPort === 'string') return { ok: false, error: brokerPort };
  const speed = values.speed === undefined ? 60 : Number(values.speed);
  if (!(Number.isFinite(speed) && speed > 0)) return { ok: false, error: `--speed must be a positive number, got "${values.speed}"` };
  let durationMs: number | undefined;
  if (values.duration !== undefined) {
    durationMs = parseDuration(values.duration);
    if (durationMs === undefined || durationMs <= 0) return { ok: false, error: `--duration must look like 90s, 15m, 2h or 1h30m, got "${values.duration}"` };
  }
  let start: number | 'today' | undefined;
  if (values.start !== undefined) {
    start = values.start === 'today' ? 'today' : Date.parse(values.start);
    if (start !== 'today' && (Number.isNaN(start) || !/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(values.start))) {
      return { ok: false, error: `--start must be an ISO 8601 date-time with a zone, or "today", got "${values.start}"` };
    }
  }
  const scale = values.scale ?? 'default';
  if (scale !== 'default' && scale !== 'bench') return { ok: false, error: `--scale must be default or bench, got "${scale}"` };
  if (values.mqtt !== undefined && !/^(mqtts?|wss?|tcp):\/\/./.test(values.mqtt)) {
    return { ok: false, error: `--mqtt must be a URL such as mqtt://127.0.0.1:1883, got "${values.mqtt}"` };
  }
  let devices: DeviceOverrides | undefined;
  if (values.devices !== undefined) {
    try {
      devices = JSON.parse(values.devices) as DeviceOverrides;
      if (typeof devices !== 'object' || devices === null || Array.isArray(devices)) throw new Error('not an object');
      resolveDeviceOptions(devices);
    } catch (err) {
      return { ok: false, error: `--devices: ${(err as Error).message}` };
    }
  }
  const command = values.help ? 'help' : values.list ? 'list' : values['print-site'] ? 'print-site' : 'run';
  const scenario = values.scenario ?? '';
  if (command === 'run') {
    if (!scenario) return { ok: false, error: '--scenario is required (see --list)' };
    if (!findScenario(scenario)) return { ok: false, error: `unknown scenario "${scenario}"; known: ${scenarioNames().join(', ')}` };
  }
  return {
    ok: true,
    options: {
      command,
      scenario,
      siteConfig: values['site-config'] ?? 'config/site-s1.yaml',
      seed,
      speed,
      mqtt: values.mqtt,
      brokerPort,
      durationMs,
      start,
      scale,
      manifest: values.manifest,
      groundTruth: values['ground-truth'],
      devices,
      quiet: values.quiet ?? false,
    },
  };
}
