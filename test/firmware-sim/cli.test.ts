import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../../firmware-sim/cli-options.ts';
import { scenarioNames } from '../../firmware-sim/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'firmware-sim/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each case spawns its own process; they run side by side.
describe.concurrent('firmware-sim CLI', () => {
  it('lists the scenarios with a description each', async () => {
    const { code, stdout } = await runCli(['--list']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(scenarioNames());
    expect(lines.every((l) => l.trim().split(/\s{2,}/).length === 2)).toBe(true);
  });

  it.each([
    [['--scenario', 'heist'], /unknown scenario "heist"/],
    [['--bogus'], /bogus/],
    [['--scenario', 'quiet-day', '--site-config', 'no/such.yaml'], /cannot read site config/],
  ])('exits 2 with one clear line for %j', async (args, message) => {
    const { code, stderr, stdout } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });

  it('runs a scenario on its own embedded broker and prints the broker URL and a summary', async () => {
    const devices = JSON.stringify({ camera: { enabled: false }, audio: { enabled: false } });
    const { code, stdout } = await runCli(['--scenario', 'night-theft', '--speed', '3600', '--duration', '5m', '--quiet', '--devices', devices]);
    expect(code).toBe(0);
    const [brokerLine, summary] = stdout.trim().split('\n');
    expect(brokerLine).toMatch(/mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(JSON.parse(summary ?? '{}')).toMatchObject({ scenario: 'night-theft', finished: true, simElapsedMs: 300_000 });
  });
});

describe('parseCliOptions', () => {
  it('fills defaults', () => {
    const parsed = parseCliOptions(['--scenario', 'quiet-day']);
    expect(parsed).toMatchObject({ ok: true, options: { seed: 1, speed: 60, siteConfig: 'config/site-s1.yaml', scale: 'default', mqtt: undefined } });
  });

  it('reads durations, scales and device overrides', () => {
    const parsed = parseCliOptions(['--scenario', 'night-theft', '--duration', '1h30m', '--scale', 'bench', '--devices', '{"rfid":{"format":"zebra"}}', '--mqtt', 'mqtt://broker:1883']);
    expect(parsed).toMatchObject({ ok: true, options: { durationMs: 5_400_000, scale: 'bench', devices: { rfid: { format: 'zebra' } }, mqtt: 'mqtt://broker:1883' } });
  });

  it.each([
    [['--scenario', 'quiet-day', '--speed', '0'], /--speed must be a positive number/],
    [['--scenario', 'quiet-day', '--duration', 'soon'], /--duration/],
    [[], /--scenario is required/],
    [['--scenario', 'quiet-day', '--scale', 'huge'], /--scale/],
  ])('refuses %j', (args, message) => {
    const parsed = parseCliOptions(args);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('rejects bad device overrides and URLs', () => {
    expect(parseCliOptions(['--scenario', 'quiet-day', '--devices', '{"camera":{"quality":0}}'])).toMatchObject({ ok: false });
    expect(parseCliOptions(['--scenario', 'quiet-day', '--mqtt', 'localhost'])).toMatchObject({ ok: false });
    expect(parseCliOptions(['--scenario', 'quiet-day', '--seed', '1.5'])).toMatchObject({ ok: false });
  });
});
