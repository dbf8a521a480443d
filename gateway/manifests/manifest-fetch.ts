import { parseSiteManifest } from '../../protocol/index.ts';
import type { SiteManifest } from './manifest.ts';

export type ManifestFetch =
  /** 304: the manifest the gateway holds is still current. */
  | { kind: 'unchanged' }
  | { kind: 'manifest'; manifest: SiteManifest; etag: string | null }
  /**
   * Nothing usable; `retryable` false means the same request will keep failing (credentials, our bug).
   * `invalid` marks a manifest that arrived but fails the protocol schema.
   */
  | { kind: 'failed'; reason: string; status?: number; retryable: boolean; invalid?: true };

export interface ManifestFetchRequest {
  cloudUrl: string;
  gatewayId: string;
  token: string;
  /** ETag of the manifest held, sent as If-None-Match (RFC 9110 §13.1.2). */
  etag: string | null;
  timeoutMs: number;
  fetchImpl: typeof fetch;
}

/** One `GET {cloudUrl}/api/v1/gateways/{gatewayId}/manifests`. Never throws. */
export async function fetchManifest(request: ManifestFetchRequest): Promise<ManifestFetch> {
  const url = `${request.cloudUrl.replace(/\/$/, '')}/api/v1/gateways/${encodeURIComponent(request.gatewayId)}/manifests`;
  const headers: Record<string, string> = { authorization: `Bearer ${request.token}`, accept: 'application/json' };
  if (request.etag !== null) headers['if-none-match'] = request.etag;
  let response: Response;
  try {
    response = await request.fetchImpl(url, { method: 'GET', headers, signal: AbortSignal.timeout(request.timeoutMs) });
  } catch (error) {
    return { kind: 'failed', reason: error instanceof Error ? error.message : String(error), retryable: true };
  }
  if (response.status === 304) {
    await response.body?.cancel().catch(() => {});
    return { kind: 'unchanged' };
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).slice(0, 300);
    // 408/429/5xx are the cloud's passing trouble; 401/403/404 will not heal by retrying alone.
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
    return { kind: 'failed', reason: `HTTP ${response.status}: ${text}`, status: response.status, retryable };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    return { kind: 'failed', reason: `response is not JSON: ${(error as Error).message}`, status: response.status, retryable: true };
  }
  const checked = parseSiteManifest(body);
  if (!checked.ok) return { kind: 'failed', reason: `manifest fails its schema: ${checked.error}`, status: response.status, retryable: false, invalid: true };
  return { kind: 'manifest', manifest: checked.value, etag: response.headers.get('etag') };
}
