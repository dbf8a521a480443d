import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

const ROOT = new URL('../../', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');

export interface DemoProcess {
  /** The cloud (and dashboard) the demo printed in its banner. */
  url: string;
  /** Everything it wrote so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `npm start` as a user runs it (demo/main.ts in its own process), on free ports and a
 * fresh data directory; resolves once its banner names the dashboard.
 */
export async function startDemoProcess(env: Record<string, string>, timeoutMs = 120_000): Promise<DemoProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wrm-demo-'));
  const child: ChildProcess = spawn(TSX, ['demo/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', GATEWAY_PORT: '0', DEMO_DATA_DIR: dataDir, LOG_LEVEL: 'warn', MQTT_URL: '', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo printed no banner in ${timeoutMs} ms:\n${text}`)), timeoutMs);
    const check = () => {
      const match = /dashboard\s+(http:\/\/\S+?)\/\s/.exec(text);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(match[1]);
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited (${code}) before its banner:\n${text}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, output: () => text, stop };
}

/** `npm run demo -- <args>` against `url`; resolves with its exit code and output. */
export async function runDemoCli(url: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(TSX, ['demo/cli.ts', ...args, '--url', url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
