import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const UNITS = join(import.meta.dirname, '../../deploy/systemd');
const ANALYZE = '/usr/bin/systemd-analyze';
if (!existsSync(ANALYZE)) console.log('systemd-units.test.ts: skipped, needs systemd-analyze (Debian package systemd)');

// The units in deploy/systemd are checked by systemd itself: unknown keys, a missing
// executable or a malformed line make `systemd-analyze verify` fail.
describe.skipIf(!existsSync(ANALYZE))('deploy/systemd units', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('verify cleanly, the cloud template as an instance on a port', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'units-'));
    dirs.push(dir);
    const files: string[] = [];
    for (const name of await readdir(UNITS)) {
      const target = join(dir, name.replace('@.service', '@3001.service'));
      await copyFile(join(UNITS, name), target);
      files.push(target);
    }
    expect(files.map((f) => f.split('/').at(-1)).sort()).toEqual(['wrm-cloud@3001.service', 'wrm-gateway.service']);
    const { stderr } = await run(ANALYZE, ['verify', ...files]);
    expect(stderr).toBe('');
  });

  it('would notice a broken unit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'units-'));
    dirs.push(dir);
    const bad = join(dir, 'bad.service');
    await writeFile(bad, '[Service]\nExecStart=/nonexistent/wrm\n');
    await expect(run(ANALYZE, ['verify', bad])).rejects.toThrow(/not executable/);
  });
});
