import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export type JsonFileRead<T> = { ok: true; value: T } | { ok: false; missing: boolean; error: string };

/**
 * A JSON state file read back and checked like any external input: a file edited by
 * hand or cut short by a crash is reported, never trusted.
 */
export async function readJsonFile<T>(path: string, check: (value: unknown) => { ok: true; value: T } | { ok: false; error: string }): Promise<JsonFileRead<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === 'ENOENT', error: `cannot read ${path}: ${code ?? String(error)}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, missing: false, error: `${path} is not JSON: ${(error as Error).message}` };
  }
  const checked = check(raw);
  return checked.ok ? checked : { ok: false, missing: false, error: `${path}: ${checked.error}` };
}

/**
 * Replaces a file atomically: write a temporary file beside it, fsync, rename over the
 * old one, fsync the directory (POSIX rename(2) is atomic; without the fsyncs a power cut
 * could leave a renamed but empty file). A reader sees the old or the new file, whole.
 */
export async function writeFileAtomically(path: string, body: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  await mkdir(dir, { recursive: true });
  await writeSyncedFile(tmp, body);
  try {
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  const directory = await open(dir, 'r');
  try {
    await directory.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is then as durable as they make it.
  } finally {
    await directory.close();
  }
}

/** Writes a new file readable by its owner only and fsyncs it, before it is renamed or linked into place. */
export async function writeSyncedFile(path: string, body: string): Promise<void> {
  const file = await open(path, 'w', 0o600);
  try {
    await file.writeFile(body, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
}
