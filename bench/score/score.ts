/**
 * `npm run score [-- --small] [-- scenario …]`: plays every firmware-sim scenario through
 * the real path (simulated devices → MQTT → gateway → cloud API) at high speed and scores
 * each against its ground truth (bench/score/README.md). Prints one table, a progress
 * line on stderr while it runs, and writes bench/score.json. `--small` is the CI size.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SCENARIOS, type DeviceOverrides } from '../../firmware-sim/index.ts';
import { startSystemRun } from '../system/system-run.ts';
import { collectCases, collectEvents, createSimTimeline } from './collect.ts';
import { replayToCloud } from './cloud-replay.ts';
import { scoreScenario, type ScoreRow, type Stage } from './score-core.ts';
import { scoreTable } from './score-table.ts';

process.env.LOG_LEVEL ??= 'error';
const { values, positionals } = parseArgs({ allowPositionals: true, options: { small: { type: 'boolean', default: false }, seed: { type: 'string', default: '1' }, speed: { type: 'string' } } });
const small = values.small === true;
const seed = Number(values.seed);
// One speed for every scenario, for a machine that cannot hold the defaults (a shared CI runner).
const speedOverride = values.speed === undefined ? undefined : Number(values.speed);
if (speedOverride !== undefined && !(speedOverride > 0)) throw new RangeError(`--speed must be a positive number, got ${values.speed}`);

// Fast enough to play a day in minutes, slow enough that the gateway's scaled cycles
// (an RFID cycle of 10 s becomes 42 ms at 240x) are not swamped by a shared machine.
const SPEED: Readonly<Record<string, number>> = { 'quiet-day': 240, 'price-crash': 480 };
const SMALL = new Set(['night-theft', 'double-pledge', 'price-crash']);
const HOUR = 3_600_000;

const chosen = SCENARIOS.filter((s) => (positionals.length > 0 ? positionals.includes(s.name) : !small || SMALL.has(s.name)));
const rows: ScoreRow[] = [];
const runs: Array<{ scenario: string; speed: number; realSeconds: number; events: number; cases: number; eventTypes?: Record<string, number>; caseKinds?: string[]; error?: string }> = [];

function devicesFor(scenario: string) {
  return (channels: ReadonlySet<string>): DeviceOverrides => {
    // Cameras and microphones only where a gateway stage watches them: rendering frames nobody reads only slows the run.
    const video = channels.has('camera.frame');
    const audio = channels.has('audio.pcm');
    const paperOnly = scenario === 'double-pledge' || scenario === 'price-crash';
    return { camera: { enabled: video && !paperOnly }, audio: { enabled: audio && !paperOnly }, sensors: { enabled: true } };
  };
}

for (const [i, scenario] of chosen.entries()) {
  const speed = speedOverride ?? SPEED[scenario.name] ?? 120;
  // The small run cuts the paper scenarios to where their incident lies.
  const durationMs = small && scenario.name === 'double-pledge' ? HOUR / 3 : small && scenario.name === 'price-crash' ? 7 * HOUR : undefined;
  const started = Date.now();
  const step = (what: string) => process.stderr.write(`\r[${i + 1}/${chosen.length}] ${scenario.name.padEnd(15)} ${what}…`.padEnd(100));
  const run = await startSystemRun({ scenario: scenario.name, seed, speed, devices: devicesFor(scenario.name), onStep: step, ...(durationMs === undefined ? {} : { durationMs }) });
  const replay = replayToCloud(run);
  const endMs = run.warehouse.scenario.endMs;
  const timeline = createSimTimeline(() => run.warehouse.simNow());
  timeline.sample();
  const sampler = setInterval(timeline.sample, 100);
  const progress = setInterval(() => {
    const now = run.warehouse.simNow();
    const done = Math.min(1, (now - run.warehouse.scenario.startMs) / (endMs - run.warehouse.scenario.startMs));
    process.stderr.write(`\r[${i + 1}/${chosen.length}] ${scenario.name.padEnd(15)} ${'#'.repeat(Math.round(done * 30)).padEnd(30, '.')} ${(done * 100).toFixed(0).padStart(3)} %  sim ${new Date(now).toISOString().slice(11, 16)}  ${((Date.now() - started) / 1000).toFixed(0)} s `);
  }, 500);
  try {
    await run.warehouse.done;
    await replay.settled();
    // Let the last cycle close and the uplink deliver what the end of the scenario caused.
    await new Promise((resolve) => setTimeout(resolve, Math.max(1_000, 600_000 / speed)));
    await run.stack.gateway.flush();
    clearInterval(sampler);
    timeline.sample();
    const [events, cases] = await Promise.all([collectEvents(run, timeline.at), collectCases(run)]);
    const stages = new Set<Stage>(['rfid', 'devices', 'cloud']);
    if (run.channels.has('sensor.reading')) stages.add('sensors');
    if (run.channels.has('camera.frame')) stages.add('video');
    if (run.channels.has('audio.pcm')) stages.add('audio');
    const scaledZones = new Set(run.warehouse.site.zones.filter((z) => z.sensors.some((s) => s.startsWith('scale'))).map((z) => z.id));
    rows.push(
      ...scoreScenario({ scenario: scenario.name, truth: run.warehouse.groundTruth(), events, cases, cloud: replay.outcome, stages, simulatedMs: run.warehouse.simNow() - run.warehouse.scenario.startMs, scaledZones }),
    );
    const eventTypes: Record<string, number> = {};
    for (const e of events) eventTypes[`${e.type}/${e.severity}`] = (eventTypes[`${e.type}/${e.severity}`] ?? 0) + 1;
    runs.push({ scenario: scenario.name, speed, realSeconds: Math.round((Date.now() - started) / 1000), events: events.length, cases: cases.length, eventTypes, caseKinds: cases.map((c) => `${c.severity} ${c.kind} ${c.lotId ?? c.title}`) });
  } catch (error) {
    // One scenario failing to run is a row of its own, not the end of the score.
    rows.push({ scenario: scenario.name, incident: '–', lotId: null, result: 'error', detectedBy: null, rightLot: null, rightKind: null, latencyS: null, lotState: null, falseAlarms: 0, simulatedHours: 0, falseAlarmsPer24h: 0 });
    runs.push({ scenario: scenario.name, speed, realSeconds: Math.round((Date.now() - started) / 1000), events: 0, cases: 0, error: String(error) });
  } finally {
    clearInterval(sampler);
    clearInterval(progress);
    await run.stop();
  }
}
process.stderr.write('\n');
process.stdout.write(`${scoreTable(rows)}\n`);
const output = new URL(small ? '../score-small.json' : '../score.json', import.meta.url);
await writeFile(output, `${JSON.stringify({ generatedAt: new Date().toISOString(), mode: small ? 'small' : 'full', seed, rows, runs }, null, 2)}\n`);
const failed = rows.filter((r) => r.result === 'missed' || r.result === 'error' || r.result === 'false alarms' || (r.scenario === 'quiet-day' && r.falseAlarms > 0));
process.stdout.write(`${JSON.stringify({ bench: 'score', mode: small ? 'small' : 'full', rows: rows.length, detected: rows.filter((r) => r.result === 'detected' || r.result === 'pass').length, needs: rows.filter((r) => r.result.startsWith('needs')).length, failed: failed.length })}\n`);
process.exit(failed.length > 0 ? 1 : 0);
