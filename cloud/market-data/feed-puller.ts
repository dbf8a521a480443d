import type { PriceService } from '../prices/price-service.ts';
import type { FeedConfig } from './feed-config.ts';
import { parseFeedDocument, type QuoteProblem } from './feed-quotes.ts';

export interface PullSummary {
  readonly feed: string;
  readonly at: string;
  readonly recorded: number;
  readonly duplicates: number;
  readonly problems: QuoteProblem[];
  readonly error: string | null;
}

// A feed answering with more than this is not a price list.
const MAX_BYTES = 16 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;
const ACTOR = 'system:market-data';

async function readBounded(response: Response): Promise<string> {
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_BYTES) throw new Error(`feed answered ${length} bytes, more than ${MAX_BYTES}`);
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BYTES) {
      await reader.cancel();
      throw new Error(`feed answered more than ${MAX_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Pulls one feed: GET its URL, map its rows, record each price through the price service
 * (stored with source `feed:<name>`, revaluing what it moves). A feed that cannot be
 * reached or read records nothing and says why; its prices then go stale, which the
 * watchdog reports.
 */
export function createFeedPuller(deps: { prices: PriceService; now: () => Date }) {
  return async function pull(feed: FeedConfig): Promise<PullSummary> {
    const at = deps.now().toISOString();
    const empty = { feed: feed.name, at, recorded: 0, duplicates: 0, problems: [] };
    let text: string;
    try {
      const response = await fetch(feed.url, { headers: feed.headers ?? {}, signal: AbortSignal.timeout(feed.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
      if (!response.ok) return { ...empty, error: `HTTP ${response.status}` };
      text = await readBounded(response);
    } catch (error) {
      return { ...empty, error: error instanceof Error ? error.message : String(error) };
    }
    let parsed;
    try {
      parsed = parseFeedDocument(text, feed);
    } catch (error) {
      return { ...empty, error: `unreadable ${feed.format}: ${error instanceof Error ? error.message : String(error)}` };
    }
    let recorded = 0;
    let duplicates = 0;
    const problems = [...parsed.problems];
    // Oldest first, so each series folds its ticks in time order.
    for (const [index, quote] of [...parsed.quotes.entries()].sort((a, b) => a[1].ts.getTime() - b[1].ts.getTime())) {
      try {
        const outcome = await deps.prices.recordTick({ ...quote, source: `feed:${feed.name}` }, ACTOR);
        if (outcome.duplicate) duplicates += 1;
        else recorded += 1;
      } catch (error) {
        problems.push({ index, reason: 'bad_price', message: error instanceof Error ? error.message : String(error) });
      }
    }
    return { ...empty, recorded, duplicates, problems, error: null };
  };
}

export type FeedPuller = ReturnType<typeof createFeedPuller>;
