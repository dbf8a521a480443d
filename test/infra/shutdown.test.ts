import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');

/** Starts the fixture, signals it once ready, and reports how it ended and what it logged. */
function stopHanging(deadlineMs: number, signals: NodeJS.Signals[]): Promise<{ code: number | null; log: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'fixtures/hanging-stop.ts'), String(deadlineMs)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VITEST: '' },
  });
  let log = '';
  return new Promise((resolvePromise) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const before = log;
      log += chunk.toString();
      if (!before.includes('ready') && log.includes('ready')) for (const signal of signals) child.kill(signal);
    });
    child.once('exit', (code) => resolvePromise({ code, log }));
  });
}

describe('shutdown on a signal', () => {
  it('exits at the deadline, with code 1 and a logged reason, when the clean stop hangs', async () => {
    const { code, log } = await stopHanging(300, ['SIGTERM']);
    expect(code).toBe(1);
    expect(log).toContain('shutdown did not finish in time');
  });

  it('exits at once on a second signal', async () => {
    const { code, log } = await stopHanging(60_000, ['SIGTERM', 'SIGINT']);
    expect(code).toBe(130);
    expect(log).toContain('second signal');
  });
});
