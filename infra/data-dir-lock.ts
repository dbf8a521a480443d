import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { ConfigError } from './config-error.ts';

/** Who holds a data directory, as written in its lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  purpose: string;
}

export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * Takes a data directory for this process alone. Two processes writing one outbox or one
 * embedded database corrupt it (seen: a second `npm start` in the same folder), so the
 * second one refuses to start and names the holder. A lock left by a process that died
 * (kill -9, power loss) is taken over when its holder is gone from this host; a lock of
 * another host is never taken over, since its pid means nothing here.
 */
export async function lockDataDir(lock: { dir: string; file: string; purpose: string; setting: string }): Promise<DataDirLock> {
  const { dir, file: path, purpose, setting } = lock;
  await mkdir(dirname(path), { recursive: true });
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const file = await open(path, 'wx', 0o600);
      try {
        await file.writeFile(JSON.stringify(me) + '\n');
        await file.sync();
      } finally {
        await file.close();
      }
      return { path, release: () => releaseIfMine(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(path);
    if (holder !== undefined && isAlive(holder)) {
      throw new ConfigError(
        setting,
        `${dir} is in use by process ${holder.pid} on ${holder.host} (${holder.purpose}, since ${holder.since}); stop it or choose another directory`,
      );
    }
    // The holder is gone (or the file is unreadable, a crash while writing it): take over.
    await rm(path, { force: true });
  }
  throw new ConfigError(setting, `${dir}: could not take its lock file ${path}`);
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { pid, host, since, purpose } = parsed as Record<string, unknown>;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || typeof host !== 'string') return undefined;
    return { pid, host, since: typeof since === 'string' ? since : '?', purpose: typeof purpose === 'string' ? purpose : '?' };
  } catch {
    return undefined;
  }
}

function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function releaseIfMine(path: string): Promise<void> {
  const holder = await readHolder(path);
  if (holder?.pid === process.pid && holder.host === hostname()) await rm(path, { force: true });
}
