import { compileSchema, IngestReply, type AttachmentRef, type VerificationEvent } from '../../protocol/index.ts';

export type CloudRejection = IngestReply['rejected'][number];
export type InvalidEvidence = IngestReply['invalidEvidence'][number];

export type DeliveryOutcome =
  | ({ kind: 'delivered' } & Pick<IngestReply, 'accepted' | 'duplicates' | 'rejected' | 'anomalies' | 'invalidEvidence'>)
  /**
   * Worth trying again later: network down, cloud overloaded or restarting, or a reply
   * that does not fit the protocol (`malformedReply`: nothing can be assumed stored).
   */
  | { kind: 'retry'; reason: string; retryAfterMs?: number | undefined; malformedReply?: true }
  /** The cloud will never take this batch as it is (our bug or our credentials); needs a human. */
  | { kind: 'refused'; status: number; reason: string };

export type AttachmentPutOutcome =
  | { kind: 'stored' }
  /** 409: no event of this gateway stored in the cloud cites these bytes (yet). */
  | { kind: 'not_cited'; reason: string }
  | { kind: 'retry'; reason: string; retryAfterMs?: number | undefined }
  /** The cloud will never take these bytes (hash, size or media type refused). */
  | { kind: 'refused'; status: number; reason: string };

export interface CloudClientOptions {
  baseUrl: string;
  gatewayId: string;
  token: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

const checkReply = compileSchema(IngestReply);

/** The gateway's HTTP uplink to the cloud: key registration and event batches. */
export function createCloudClient(options: CloudClientOptions) {
  const doFetch = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const base = `${options.baseUrl.replace(/\/$/, '')}/api/v1/gateways/${encodeURIComponent(options.gatewayId)}`;
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };

  async function send(method: string, path: string, body: unknown, raw?: { bytes: Uint8Array<ArrayBuffer>; contentType: string }): Promise<Response | Error> {
    try {
      return await doFetch(`${base}${path}`, {
        method,
        headers: raw ? { ...headers, 'content-type': raw.contentType } : headers,
        body: raw ? raw.bytes : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  return {
    async registerKey(publicKeyPem: string): Promise<DeliveryOutcome> {
      const response = await send('PUT', '/key', { publicKey: publicKeyPem });
      if (response instanceof Error) return { kind: 'retry', reason: response.message };
      if (response.ok) return { kind: 'delivered', accepted: 0, duplicates: 0, rejected: [], anomalies: [], invalidEvidence: [] };
      return classifyFailure(response);
    },

    async deliver(events: readonly VerificationEvent[]): Promise<DeliveryOutcome> {
      const response = await send('POST', '/events', { events });
      if (response instanceof Error) return { kind: 'retry', reason: response.message };
      if (!response.ok) return classifyFailure(response);
      let body: unknown;
      try {
        body = await response.json();
      } catch (error) {
        return { kind: 'retry', reason: `cloud reply is not JSON: ${error instanceof Error ? error.message : String(error)}`, malformedReply: true };
      }
      // A 200 whose body does not fit is no proof of storage: the batch goes again (the cloud dedupes on id).
      const reply = checkReply(body);
      if (!reply.ok) return { kind: 'retry', reason: `cloud reply does not fit the protocol: ${reply.error}`, malformedReply: true };
      const { accepted, duplicates, rejected, anomalies, invalidEvidence } = reply.value;
      return { kind: 'delivered', accepted, duplicates, rejected, anomalies, invalidEvidence };
    },

    /** Uploads the bytes an event delivered before cites (PROTOCOL.md "evidence.attachments"). */
    async putAttachment(ref: AttachmentRef, bytes: Uint8Array<ArrayBuffer>): Promise<AttachmentPutOutcome> {
      const response = await send('PUT', `/attachments/${ref.sha256}`, undefined, { bytes, contentType: ref.mediaType });
      if (response instanceof Error) return { kind: 'retry', reason: response.message };
      if (response.ok) {
        await response.body?.cancel();
        return { kind: 'stored' };
      }
      const failure = await classifyFailure(response);
      if (failure.kind === 'retry') return failure;
      if (failure.kind !== 'refused') return { kind: 'retry', reason: `HTTP ${response.status}` };
      if (failure.status === 409) return { kind: 'not_cited', reason: failure.reason };
      // Our credentials or registration (a person fixes them), or the tenant's storage full
      // (a person raises the bound): the bytes stay held and are tried again later.
      if ([401, 403, 404, 507].includes(failure.status)) return { kind: 'retry', reason: failure.reason, retryAfterMs: 60_000 };
      return failure;
    },
  };
}

async function classifyFailure(response: Response): Promise<DeliveryOutcome> {
  const text = await response.text().catch(() => '');
  let message = text.slice(0, 500);
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // not JSON: keep the text
  }
  // 408/429/5xx are the cloud's temporary trouble; anything else will fail the same way again.
  if (response.status === 408 || response.status === 429 || response.status >= 500) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return { kind: 'retry', reason: `HTTP ${response.status}: ${message}`, retryAfterMs: retryAfter > 0 ? retryAfter * 1000 : undefined };
  }
  return { kind: 'refused', status: response.status, reason: `HTTP ${response.status}: ${message}` };
}

export type CloudClient = ReturnType<typeof createCloudClient>;
