import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../infra/logger.ts';
import type { SiteManifest } from '../../../gateway/manifests/manifest.ts';
import { readManifestCache, writeManifestCache } from '../../../gateway/manifests/manifest-cache.ts';
import { createManifestSync, type ManifestSyncOptions } from '../../../gateway/manifests/manifest-sync.ts';
import { createStaticManifestSource } from '../../../gateway/manifests/static-manifest-source.ts';

const manifest = (lots: number, generatedAt = '2024-03-12T10:00:00.000Z'): SiteManifest => ({
  site: 's1',
  generatedAt,
  lots: Array.from({ length: lots }, (_, i) => ({
    lotId: `LOT-${i + 1}`,
    receiptId: `r-${i + 1}`,
    receiptNumber: `WR-${i + 1}`,
    zone: 'bay-a',
    commodity: 'coffee',
    quantity: { value: '4500', unit: 'kg' },
    epcs: ['3074257BF7194E4000001A85'],
    status: 'pledged',
  })),
  releaseOrders: [],
});

/** A cloud that answers as cloud/manifests does: ETag over the content, 304 on a match. */
function fakeCloud() {
  const state = { manifest: manifest(1), etag: '"v1"', status: 200, down: false, body: undefined as unknown, requests: [] as { url: string; headers: Record<string, string> }[] };
  const fetchImpl: typeof fetch = async (input, init) => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    state.requests.push({ url: String(input), headers });
    if (state.down) throw new TypeError('fetch failed: connect ECONNREFUSED');
    if (state.status !== 200) return new Response(JSON.stringify({ statusCode: state.status, error: 'x', message: 'nope' }), { status: state.status });
    if (headers['if-none-match'] === state.etag) return new Response(null, { status: 304, headers: { etag: state.etag } });
    return new Response(JSON.stringify(state.body ?? state.manifest), { status: 200, headers: { etag: state.etag, 'content-type': 'application/json' } });
  };
  return { state, fetchImpl };
}

describe('manifest sync', () => {
  let dir: string;
  let cacheFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'manifest-sync-'));
    cacheFile = join(dir, 'state', 'manifest.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const sync = (cloud: ReturnType<typeof fakeCloud>, extra: Partial<ManifestSyncOptions> = {}) =>
    createManifestSync({ cloudUrl: 'http://cloud.test/', gatewayId: 'gw-s1', token: 'secret', cacheFile, log: createLogger('test'), pollMs: 3_600_000, fetchImpl: cloud.fetchImpl, site: 's1', ...extra });

  it('fetches with the bearer token, validates, caches atomically, then polls with If-None-Match and treats 304 as unchanged', async () => {
    const cloud = fakeCloud();
    const s = sync(cloud);
    const changes: number[] = [];
    s.onChange((m) => changes.push(m.lots.length));
    await s.start();
    expect(cloud.state.requests[0]).toEqual({ url: 'http://cloud.test/api/v1/gateways/gw-s1/manifests', headers: { authorization: 'Bearer secret', accept: 'application/json' } });
    expect(s.current().lots).toHaveLength(1);
    expect(changes).toEqual([1]);
    expect(s.status()).toMatchObject({ source: 'cloud', etag: '"v1"', lots: 1, lastError: null });
    expect(await readManifestCache(cacheFile)).toMatchObject({ ok: true, value: { etag: '"v1"', manifest: { lots: [{ lotId: 'LOT-1' }] } } });
    expect((await readdir(join(dir, 'state'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    await s.refresh();
    expect(cloud.state.requests[1]?.headers['if-none-match']).toBe('"v1"');
    expect(changes).toEqual([1]);

    cloud.state.manifest = manifest(3);
    cloud.state.etag = '"v2"';
    await s.refresh();
    expect(changes).toEqual([1, 3]);
    expect(await readManifestCache(cacheFile)).toMatchObject({ ok: true, value: { etag: '"v2"' } });
    s.stop();
  });

  it('starts from the disk cache while the cloud is away, and keeps it through failures', async () => {
    const cloud = fakeCloud();
    const first = sync(cloud);
    await first.start();
    first.stop();
    cloud.state.down = true;
    const restarted = sync(cloud);
    await restarted.start();
    expect(restarted.current().lots.map((l) => l.lotId)).toEqual(['LOT-1']);
    expect(restarted.status()).toMatchObject({ source: 'cache', etag: '"v1"' });
    await restarted.refresh();
    expect(restarted.status().lastError).toMatch(/ECONNREFUSED/);
    cloud.state.down = false;
    cloud.state.status = 503;
    await restarted.refresh();
    expect(restarted.status().lastError).toMatch(/HTTP 503/);
    expect(restarted.current().lots).toHaveLength(1);
    // Back: the cached ETag still matches, so the cloud need not resend it.
    cloud.state.status = 200;
    await restarted.refresh();
    expect(cloud.state.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
    expect(restarted.status()).toMatchObject({ lastError: null, lastSyncAt: expect.any(String) });
    restarted.stop();
  });

  it('works with no cache and no cloud: an empty manifest until the cloud answers', async () => {
    const cloud = fakeCloud();
    cloud.state.down = true;
    const s = sync(cloud);
    await s.start();
    expect(s.current()).toMatchObject({ site: 's1', lots: [], releaseOrders: [] });
    expect(s.status().source).toBe('none');
    cloud.state.down = false;
    await s.refresh();
    expect(s.current().lots).toHaveLength(1);
    s.stop();
  });

  it('refuses a manifest that fails the schema or names another site, and an unusable cache', async () => {
    const cloud = fakeCloud();
    cloud.state.body = { ...manifest(1), lots: [{ lotId: 'LOT-1', epcs: ['not hex'] }] };
    const s = sync(cloud);
    await s.start();
    expect(s.current().lots).toEqual([]);
    expect(s.status().lastError).toMatch(/schema/);
    cloud.state.body = { ...manifest(2), site: 's2' };
    await s.refresh();
    expect(s.current().lots).toEqual([]);
    expect(s.status().lastError).toMatch(/site s2/);
    expect(s.status().refused).toBe(2);
    s.stop();

    await writeFile(cacheFile.replace('state/', ''), '{"version":1,"etag":null', 'utf8');
    expect(await readManifestCache(cacheFile.replace('state/', ''))).toMatchObject({ ok: false, missing: false });
    expect(await readManifestCache(join(dir, 'absent.json'))).toMatchObject({ ok: false, missing: true });
  });

  it('keeps the last good manifest through an invalid one, counts it, and guards lowercase EPCs as uppercase', async () => {
    const cloud = fakeCloud();
    const good = manifest(1);
    cloud.state.body = { ...good, lots: good.lots.map((l) => ({ ...l, epcs: ['3074257bf7194e4000001a85'] })) };
    const s = sync(cloud);
    await s.start();
    expect(s.current().lots[0]?.epcs).toEqual(['3074257BF7194E4000001A85']);
    expect(await readManifestCache(cacheFile)).toMatchObject({ ok: true, value: { manifest: { lots: [{ epcs: ['3074257BF7194E4000001A85'] }] } } });

    // A receipt number left out, a field the contract does not name, an odd-length EPC: each refused whole.
    const { receiptNumber: _dropped, ...withoutNumber } = good.lots[0]!;
    const invalid = [
      { ...good, lots: [withoutNumber] },
      { ...good, lots: [{ ...good.lots[0], color: 'red' }] },
      { ...good, lots: [{ ...good.lots[0], epcs: ['ABC'] }] },
      { ...good, lots: [{ ...good.lots[0], status: 'released' }] },
    ];
    for (const [i, body] of invalid.entries()) {
      cloud.state.body = body;
      cloud.state.etag = `"bad-${i}"`;
      await s.refresh();
      expect(s.current().lots[0]?.epcs).toEqual(['3074257BF7194E4000001A85']);
      expect(s.status()).toMatchObject({ source: 'cloud', lots: 1, refused: i + 1, lastError: expect.stringMatching(/schema/) });
    }
    s.stop();
  });

  it('does not call a new generatedAt a change, and isolates a failing listener', async () => {
    const cloud = fakeCloud();
    const s = sync(cloud);
    const heard: string[] = [];
    s.onChange(() => {
      throw new Error('listener bug');
    });
    s.onChange((m) => heard.push(m.generatedAt));
    await s.start();
    cloud.state.manifest = manifest(1, '2024-03-12T11:00:00.000Z');
    cloud.state.etag = '"v1b"';
    await s.refresh();
    expect(heard).toEqual(['2024-03-12T10:00:00.000Z']);
    // The new ETag is kept, so the next poll is a 304.
    expect(JSON.parse(await readFile(cacheFile, 'utf8'))).toMatchObject({ etag: '"v1b"' });
    s.stop();
  });

  it('shares one request between concurrent refreshes', async () => {
    const cloud = fakeCloud();
    const s = sync(cloud);
    await Promise.all([s.refresh(), s.refresh(), s.refresh()]);
    expect(cloud.state.requests).toHaveLength(1);
  });
});

describe('cache file', () => {
  it('round-trips and replaces the previous version whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'manifest-cache-'));
    try {
      const file = join(dir, 'm.json');
      await writeManifestCache(file, { etag: '"a"', savedAt: '2024-03-12T10:00:00.000Z', manifest: manifest(2) });
      await writeManifestCache(file, { etag: null, savedAt: '2024-03-12T10:05:00.000Z', manifest: manifest(5) });
      expect(await readManifestCache(file)).toEqual({ ok: true, value: { etag: null, savedAt: '2024-03-12T10:05:00.000Z', manifest: manifest(5) } });
      expect(await readdir(dir)).toEqual(['m.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('static manifest source', () => {
  it('notifies only on a change of content', () => {
    const source = createStaticManifestSource(manifest(1));
    const heard: number[] = [];
    const off = source.onChange((m) => heard.push(m.lots.length));
    source.set(manifest(1, '2024-03-12T12:00:00.000Z'));
    source.set(manifest(2));
    off();
    source.set(manifest(3));
    expect(heard).toEqual([2]);
    expect(source.current().lots).toHaveLength(3);
  });
});
