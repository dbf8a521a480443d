import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../infra/data-dir-lock.ts';
import { ConfigError } from '../../infra/config-error.ts';
import { openDatabase } from '../../cloud/db/database.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const HOLDER = join(HERE, 'fixtures/hold-data-dir.ts');

const dirs: string[] = [];
const children: ChildProcess[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dir-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Another process holding the lock, resolved once it says so. */
function holder(dir: string, file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, dir, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolvePromise, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolvePromise(child);
    });
    child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => (child.exitCode !== null || child.signalCode !== null ? resolvePromise() : child.once('exit', () => resolvePromise())));
}

describe('data directory lock', () => {
  it('refuses a second holder, naming the first process, and lets it in once released', async () => {
    const dir = await tempDir();
    const lock = { dir, file: join(dir, 'gateway.lock'), purpose: 'gateway gw-1', setting: 'GATEWAY_DATA_DIR' };
    const first = await lockDataDir(lock);
    const refused = await lockDataDir(lock).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toContain('GATEWAY_DATA_DIR');
    expect((refused as Error).message).toContain(`process ${process.pid}`);
    expect((refused as Error).message).toContain('gateway gw-1');
    await first.release();
    const again = await lockDataDir(lock);
    await again.release();
  });

  it('keeps another live process out, and takes over once that process was killed', async () => {
    const dir = await tempDir();
    const file = join(dir, 'gateway.lock');
    const child = await holder(dir, file);
    await expect(lockDataDir({ dir, file, purpose: 'second', setting: 'GATEWAY_DATA_DIR' })).rejects.toThrow(`process ${child.pid}`);
    child.kill('SIGKILL');
    await exited(child);
    // kill -9 leaves the file behind; its holder is gone, so the next start takes over.
    const lock = await lockDataDir({ dir, file, purpose: 'second', setting: 'GATEWAY_DATA_DIR' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'second' });
    await lock.release();
  });

  it("never takes over another host's lock: its pid means nothing here", async () => {
    const dir = await tempDir();
    const file = join(dir, 'gateway.lock');
    await writeFile(file, JSON.stringify({ pid: 1, host: `${hostname()}-other`, since: '2026-01-01T00:00:00Z', purpose: 'gateway' }));
    await expect(lockDataDir({ dir, file, purpose: 'mine', setting: 'GATEWAY_DATA_DIR' })).rejects.toThrow(`-other`);
  });

  it('takes over a lock file left half-written by a crash', async () => {
    const dir = await tempDir();
    const file = join(dir, 'gateway.lock');
    await writeFile(file, '{"pid":');
    const lock = await lockDataDir({ dir, file, purpose: 'mine', setting: 'GATEWAY_DATA_DIR' });
    await lock.release();
  });

  // Two PGlite starts with migrations: seconds each on a loaded machine.
  it('keeps a second embedded database off a directory in use', { timeout: 120_000 }, async () => {
    const dir = join(await tempDir(), 'cloud-db');
    const db = await openDatabase({ dataDir: dir, dataDirSetting: 'DEMO_DATA_DIR' });
    try {
      await expect(openDatabase({ dataDir: dir, dataDirSetting: 'DEMO_DATA_DIR' })).rejects.toThrow(/DEMO_DATA_DIR .*cloud-db is in use/);
    } finally {
      await db.close();
    }
  });
});
