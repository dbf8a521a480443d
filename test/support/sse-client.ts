/** One Server-Sent Event as a client sees it. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: unknown;
  /** When the frame was parsed (epoch ms), for latency measurements. */
  receivedAt: number;
}

export interface SseStream {
  readonly status: number;
  /** Resolves with the next event matching `match`, or rejects after `timeoutMs`. */
  next(match?: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Every event received so far. */
  readonly received: SseEvent[];
  /** Resolves when the response body ends: the server closed the stream, or `close` was called. */
  readonly ended: Promise<void>;
  close(): void;
}

/**
 * A minimal EventSource over fetch's streaming body (Node has no EventSource): parses
 * frames as the HTML standard says, ignores comment lines (heartbeats).
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const received: SseEvent[] = [];
  const waiters = new Set<{ match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void; from: number }>();
  const deliver = (e: SseEvent) => {
    received.push(e);
    for (const w of [...waiters]) {
      if (w.match(e)) {
        waiters.delete(w);
        w.resolve(e);
      }
    }
  };
  let cursor = 0;
  let ended: Promise<void> = Promise.resolve();
  if (res.body !== null && res.ok) {
    ended = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let id: string | undefined;
            let event = 'message';
            const data: string[] = [];
            for (const line of frame.split('\n')) {
              if (line.startsWith(':') || line === '') continue;
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'id') id = value;
              else if (field === 'event') event = value;
              else if (field === 'data') data.push(value);
            }
            if (data.length > 0) deliver({ id, event, data: JSON.parse(data.join('\n')) as unknown, receivedAt: Date.now() });
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    status: res.status,
    received,
    ended,
    next(match = () => true, timeoutMs = 5_000) {
      const seen = received.slice(cursor).find(match);
      if (seen !== undefined) {
        cursor = received.indexOf(seen) + 1;
        return Promise.resolve(seen);
      }
      return new Promise<SseEvent>((resolve, reject) => {
        const waiter = {
          match,
          from: received.length,
          resolve: (e: SseEvent) => {
            clearTimeout(timer);
            cursor = received.indexOf(e) + 1;
            resolve(e);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${received.map((r) => r.event).join(', ')}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => abort.abort(),
  };
}
