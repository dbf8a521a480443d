import { Type } from 'typebox';
import { compileSchema, normaliseManifest, SiteManifest } from '../../protocol/index.ts';
import { readJsonFile, writeFileAtomically, type JsonFileRead } from '../../infra/durable-file.ts';

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

export type CacheRead = JsonFileRead<CachedManifest>;

const checkCacheFile = compileSchema(CacheFile);

export async function readManifestCache(path: string): Promise<CacheRead> {
  const read = await readJsonFile(path, checkCacheFile);
  if (!read.ok) return read;
  const { etag, savedAt, manifest } = read.value;
  return { ok: true, value: { etag, savedAt, manifest: normaliseManifest(manifest) } };
}

/** Replaces the cache atomically (a reader sees the old or the new file, whole). */
export async function writeManifestCache(path: string, value: CachedManifest): Promise<void> {
  await writeFileAtomically(path, `${JSON.stringify({ version: 1, ...value })}\n`);
}
