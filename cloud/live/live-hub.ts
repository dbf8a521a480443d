import type { Logger } from '../../infra/logger.ts';
import { memoryLiveTransport, type LiveTransport } from './live-transport.ts';

/** Who a message is for: the tenants named (administrators see every message). */
export interface LiveMessage {
  /** `<epoch>.<seq>`: the epoch names the feed, so an id from another one is noticed. */
  readonly id: string;
  readonly event: string;
  readonly data: unknown;
  readonly tenants: readonly string[];
}

export interface LiveViewer {
  readonly tenantId: string;
  readonly seesAll: boolean;
}

export type Replay = { kind: 'messages'; messages: LiveMessage[] } | { kind: 'reset' };

export type PublishListener = (event: string, data: unknown, tenants: readonly string[]) => void;

export interface LiveHub {
  /** Starts receiving the feed; messages published before are sent once it has started. */
  start(): Promise<void>;
  stop(): Promise<void>;
  publish(event: string, data: unknown, tenants: readonly string[]): void;
  /**
   * What this process publishes, as it publishes it. For work that must happen once per
   * message (notifications), not once per replica that streams it.
   */
  onPublish(listener: PublishListener): () => void;
  /**
   * Registers a viewer and returns what it missed since `lastEventId` (from the ring
   * buffer), or 'reset' when that is no longer known: the client then reloads instead
   * of trusting a stream with holes.
   */
  subscribe(viewer: LiveViewer, send: (message: LiveMessage) => void, lastEventId?: string): { replay: Replay; unsubscribe(): void };
  /** Resolves when everything published so far has been handed to the feed. */
  flushed(): Promise<void>;
  readonly subscribers: number;
}

export function canView(viewer: LiveViewer, message: LiveMessage): boolean {
  return viewer.seesAll || message.tenants.includes(viewer.tenantId);
}

export interface LiveHubOptions {
  bufferSize?: number;
  /** In memory by default; pgLiveTransport shares the feed between replicas. */
  transport?: LiveTransport;
  log?: Pick<Logger, 'error'>;
}

/**
 * Fan-out of dashboard updates. Every hub on the feed sees every message in one order; a
 * small ring buffer lets a reconnecting EventSource resume with Last-Event-ID after a
 * short network hiccup, on this replica or another.
 */
export function createLiveHub(options: LiveHubOptions = {}): LiveHub {
  const capacity = options.bufferSize ?? 1_000;
  const transport = options.transport ?? memoryLiveTransport();
  const buffer: LiveMessage[] = [];
  let newest = 0;
  let started: Promise<void> | undefined;
  let sending: Promise<void> = Promise.resolve();
  const viewers = new Set<{ viewer: LiveViewer; send: (message: LiveMessage) => void }>();
  const publishListeners = new Set<PublishListener>();

  const sequenceOf = (id: string): number | undefined => {
    const [epoch, n] = id.split('.');
    const value = Number(n);
    return epoch === transport.epoch() && Number.isSafeInteger(value) ? value : undefined;
  };

  const deliver = (messages: readonly LiveMessage[]): void => {
    for (const message of messages) {
      newest = sequenceOf(message.id) ?? newest;
      buffer.push(message);
      if (buffer.length > capacity) buffer.shift();
      for (const entry of viewers) {
        if (canView(entry.viewer, message)) entry.send(message);
      }
    }
  };

  const start = (): Promise<void> => (started ??= transport.start(deliver));

  return {
    start,
    stop: async () => {
      await sending;
      await transport.stop();
    },

    publish(event, data, tenants) {
      for (const listener of publishListeners) listener(event, data, tenants);
      sending = sending
        .then(() => start())
        .then(() => transport.send(event, data, tenants))
        .catch((err: unknown) => options.log?.error({ err, event }, 'a live message could not be published'));
    },

    onPublish(listener) {
      publishListeners.add(listener);
      return () => publishListeners.delete(listener);
    },

    subscribe(viewer, send, lastEventId) {
      let replay: Replay = { kind: 'messages', messages: [] };
      if (lastEventId !== undefined && lastEventId !== '') {
        const seq = sequenceOf(lastEventId);
        const oldest = buffer[0] === undefined ? newest + 1 : (sequenceOf(buffer[0].id) ?? newest + 1);
        if (seq === undefined || seq > newest || seq < oldest - 1) replay = { kind: 'reset' };
        else replay = { kind: 'messages', messages: buffer.filter((m) => (sequenceOf(m.id) ?? 0) > seq && canView(viewer, m)) };
      }
      const entry = { viewer, send };
      viewers.add(entry);
      return { replay, unsubscribe: () => viewers.delete(entry) };
    },

    flushed: () => sending,

    get subscribers() {
      return viewers.size;
    },
  };
}
