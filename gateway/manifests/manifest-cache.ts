import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Type } from 'typebox';
import { compileSchema } from '../../protocol/index.ts';
import { SiteManifest } from './manifest.ts';

/**
 * The last manifest the cloud sent, kept on disk so a gateway restarted while the cloud
 * is away still knows what it guards. Validated on read like a response: a file edited
 * by hand or cut short by a crash is ignored, not trusted.
 */
const CacheFile = Type.Object({
  version: Type.Literal(1),
  etag: Type.Union([Type.String(), Type.Null()]),
  savedAt: Type.String({ format: 'date-time' }),
  manifest: SiteManifest,
});

export interface CachedManifest {
  etag: string | null;
  savedAt: string;
  manifest: SiteManifest;
}

export type CacheRead = { ok: true; value: CachedManifest } | { ok: false; missing: boolean; error: string };

const checkCacheFile = compileSchema(CacheFile);

export async function readManifestCache(path: string): Promise<CacheRead> {
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
  const checked = checkCacheFile(raw);
  if (!checked.ok) return { ok: false, missing: false, error: `${path}: ${checked.error}` };
  const { etag, savedAt, manifest } = checked.value;
  return { ok: true, value: { etag, savedAt, manifest } };
}

/**
 * Replaces the cache atomically: write a temporary file beside it, fsync, rename over the
 * old one, fsync the directory (POSIX rename(2) is atomic; without the fsyncs a power cut
 * could leave a renamed but empty file). A reader sees the old or the new file, whole.
 */
export async function writeManifestCache(path: string, value: CachedManifest): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const body = `${JSON.stringify({ version: 1, ...value })}\n`;
  await mkdir(dir, { recursive: true });
  const file = await open(tmp, 'w', 0o600);
  try {
    await file.writeFile(body, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
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
