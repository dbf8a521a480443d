import type { Logger } from '../../infra/logger.ts';
import { createRateLimitedLog } from '../../infra/logger.ts';
import type { ManifestSource, SiteManifest } from './manifest.ts';
import { readManifestCache, writeManifestCache } from './manifest-cache.ts';
import { fetchManifest, type ManifestFetch } from './manifest-fetch.ts';
import { createManifestListeners, emptyManifest, sameContent } from './manifest-listeners.ts';

export interface ManifestSyncOptions {
  cloudUrl: string;
  gatewayId: string;
  /** Bearer token the cloud provisioned for this gateway. */
  token: string;
  /** Where the last manifest is kept between runs. */
  cacheFile: string;
  log: Logger;
  /** Time between polls; a changed manifest is picked up within one. */
  pollMs: number;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  /** When set, a manifest (or cache) for another site is refused: the gateway would guard the wrong goods. */
  site?: string;
  now?: () => Date;
}

export interface ManifestSyncStatus {
  /** Where the current manifest came from. */
  source: 'none' | 'cache' | 'cloud';
  etag: string | null;
  lots: number;
  releaseOrders: number;
  generatedAt: string;
  /** Last time the cloud answered with a manifest or 304. */
  lastSyncAt: string | null;
  lastError: string | null;
  /** Manifests the cloud sent that were refused (schema or another site's); the last good one was kept each time. */
  refused: number;
}

export type ManifestSync = ManifestSource & {
  /** Loads the disk cache, then fetches once (waiting for it only when there was no cache) and starts polling. */
  start(): Promise<void>;
  stop(): void;
  /** One poll now; concurrent calls share it. Never throws. */
  refresh(): Promise<void>;
  status(): ManifestSyncStatus;
};

/**
 * The gateway's copy of its site manifest (pledged lots and approved release orders):
 * first from the disk cache so the gateway works while the cloud is away, then polled
 * with If-None-Match (304 means unchanged), validated against the protocol's schema (a
 * refused one is logged and counted, and the last good one kept), and
 * written back to the cache atomically whenever it changes.
 */
export function createManifestSync(options: ManifestSyncOptions): ManifestSync {
  const log = options.log;
  const now = options.now ?? (() => new Date());
  const warnLimited = createRateLimitedLog(log, 10 * 60_000);
  const listeners = createManifestListeners((error) => log.error({ err: error }, 'manifest listener failed'));
  const fetchImpl = options.fetchImpl ?? fetch;
  let current = emptyManifest(options.site);
  let etag: string | null = null;
  let source: ManifestSyncStatus['source'] = 'none';
  let lastSyncAt: Date | undefined;
  let lastError: string | undefined;
  let refused = 0;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const wrongSite = (m: SiteManifest): boolean => options.site !== undefined && m.site !== options.site;

  function adopt(manifest: SiteManifest, from: 'cache' | 'cloud'): boolean {
    const changed = !sameContent(current, manifest);
    current = manifest;
    source = from;
    if (changed) listeners.notify(manifest);
    return changed;
  }

  async function apply(outcome: ManifestFetch): Promise<void> {
    if (outcome.kind === 'failed') {
      lastError = outcome.reason;
      if (outcome.invalid) refused += 1;
      const fields = { status: outcome.status, reason: outcome.reason, source };
      if (outcome.retryable) warnLimited('manifest:retryable', 'manifest poll failed; keeping the manifest held', fields);
      else if (outcome.invalid) log.error({ ...fields, refused }, 'manifest fails the protocol schema; refused, keeping the last good one');
      else log.error(fields, 'manifest refused; keeping the manifest held (check the gateway token and the cloud)');
      return;
    }
    lastSyncAt = now();
    lastError = undefined;
    if (outcome.kind === 'unchanged') return;
    if (wrongSite(outcome.manifest)) {
      lastError = `manifest is for site ${outcome.manifest.site}, not ${options.site}`;
      refused += 1;
      log.error({ site: outcome.manifest.site, expected: options.site }, 'manifest for another site refused');
      return;
    }
    const newTag = outcome.etag !== etag;
    const changed = adopt(outcome.manifest, 'cloud');
    etag = outcome.etag;
    if (changed) log.info({ lots: current.lots.length, releaseOrders: current.releaseOrders.length, etag }, 'manifest changed');
    if (changed || newTag) {
      try {
        await writeManifestCache(options.cacheFile, { etag, savedAt: now().toISOString(), manifest: current });
      } catch (error) {
        log.warn({ err: error, cacheFile: options.cacheFile }, 'manifest cache could not be written; the next restart without the cloud starts empty');
      }
    }
  }

  function refresh(): Promise<void> {
    inFlight ??= (async () => {
      try {
        await apply(
          await fetchManifest({
            cloudUrl: options.cloudUrl,
            gatewayId: options.gatewayId,
            token: options.token,
            etag,
            timeoutMs: options.timeoutMs ?? 15_000,
            fetchImpl,
          }),
        );
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  function poll(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void refresh().finally(poll);
    }, options.pollMs);
    timer.unref();
  }

  return {
    current: () => current,
    onChange: (listener) => listeners.add(listener),
    async start() {
      stopped = false;
      const cached = await readManifestCache(options.cacheFile);
      if (cached.ok && !wrongSite(cached.value.manifest)) {
        etag = cached.value.etag;
        adopt(cached.value.manifest, 'cache');
        log.info({ lots: current.lots.length, savedAt: cached.value.savedAt }, 'manifest loaded from the disk cache');
      } else if (cached.ok) {
        log.warn({ site: cached.value.manifest.site, expected: options.site }, 'manifest cache is for another site; ignored');
      } else if (!cached.missing) {
        log.warn({ error: cached.error }, 'manifest cache unusable; ignored');
      }
      const first = refresh();
      // With a cache the gateway can start watching at once; without one, the first answer is worth a short wait.
      if (source === 'none') await first;
      poll();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    refresh,
    status: () => ({
      source,
      etag,
      lots: current.lots.length,
      releaseOrders: current.releaseOrders.length,
      generatedAt: current.generatedAt,
      lastSyncAt: lastSyncAt?.toISOString() ?? null,
      lastError: lastError ?? null,
      refused,
    }),
  };
}
