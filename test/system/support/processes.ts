import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

import { freePort } from '../../support/free-port.ts';

export { freePort };

/** A real OS process of ours, with what it printed kept for the failure message. */
export class SystemProcess {
  private child: ChildProcess | undefined;
  output = '';

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.child) throw new Error(`${this.name} is running`);
    const child = spawn(this.command, this.args, { cwd: ROOT, env: { ...process.env, VITEST: '', LOG_FORMAT: 'json', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => {
      // The tail is what explains a failure; a busy process would otherwise fill memory.
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
  }

  /** Resolves with the exit code once the process has ended. */
  exited(): Promise<number | null> {
    const child = this.child;
    if (!child) return Promise.resolve(null);
    return new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done(child.exitCode) : child.once('exit', (code) => done(code))));
  }

  /** kill -9: no shutdown code runs, as in a power cut or an OOM kill. */
  async kill(): Promise<void> {
    const ended = this.exited();
    this.child?.kill('SIGKILL');
    await ended;
  }

  /** SIGTERM, as a supervisor stops it, and wait for it to end. */
  async stop(): Promise<number | null> {
    const ended = this.exited();
    this.child?.kill('SIGTERM');
    return ended;
  }
}

export function tsxProcess(name: string, entry: string, env: NodeJS.ProcessEnv): SystemProcess {
  return new SystemProcess(name, process.execPath, ['--import', 'tsx', join(ROOT, entry)], env);
}

/** A Mosquitto of the test's own on a free port, persistent so its sessions survive a restart. */
export async function privateMosquitto(dir: string): Promise<{ process: SystemProcess; url: string }> {
  const port = await freePort();
  await mkdir(join(dir, 'mosquitto'), { recursive: true });
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${join(dir, 'mosquitto')}/`,
      'max_queued_messages 100000',
      // Started as root, Mosquitto drops to its own user and then cannot write its store
      // in our directory: sessions and queued messages would silently not survive a restart.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      '',
    ].join('\n'),
  );
  return { process: new SystemProcess('mosquitto', '/usr/sbin/mosquitto', ['-c', conf], {}), url: `mqtt://127.0.0.1:${port}` };
}

/** Asks `probe` until it holds: processes say they are ready through HTTP, not through events a test could await. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, processes: SystemProcess[] = []): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const logs = processes.map((p) => `--- ${p.name} ---\n${p.output.slice(-3_000)}`).join('\n');
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\n${logs}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}
