import { randomBytes } from 'node:crypto';

/** Who a message is for: the tenants named (administrators see every message). */
export interface LiveMessage {
  /** `<boot>.<n>`: the boot part changes with every process, so a stale Last-Event-ID is noticed. */
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

export interface LiveHub {
  publish(event: string, data: unknown, tenants: readonly string[]): LiveMessage;
  /**
   * Registers a viewer and returns what it missed since `lastEventId` (from the ring
   * buffer), or 'reset' when that is no longer known: the client then reloads instead
   * of trusting a stream with holes.
   */
  subscribe(viewer: LiveViewer, send: (message: LiveMessage) => void, lastEventId?: string): { replay: Replay; unsubscribe(): void };
  readonly subscribers: number;
}

export function canView(viewer: LiveViewer, message: LiveMessage): boolean {
  return viewer.seesAll || message.tenants.includes(viewer.tenantId);
}

/**
 * Fan-out of dashboard updates, in memory: a small ring buffer lets a reconnecting
 * EventSource resume with Last-Event-ID after a short network hiccup. Several cloud
 * instances would need a shared feed (PostgreSQL LISTEN/NOTIFY); one instance does not.
 */
export function createLiveHub(options: { bufferSize?: number } = {}): LiveHub {
  const capacity = options.bufferSize ?? 1_000;
  const boot = randomBytes(4).toString('hex');
  const buffer: LiveMessage[] = [];
  let counter = 0;
  const viewers = new Set<{ viewer: LiveViewer; send: (message: LiveMessage) => void }>();

  const sequenceOf = (id: string): number | undefined => {
    const [b, n] = id.split('.');
    const value = Number(n);
    return b === boot && Number.isSafeInteger(value) ? value : undefined;
  };

  return {
    publish(event, data, tenants) {
      counter += 1;
      const message: LiveMessage = { id: `${boot}.${counter}`, event, data, tenants: [...tenants] };
      buffer.push(message);
      if (buffer.length > capacity) buffer.shift();
      for (const entry of viewers) {
        if (canView(entry.viewer, message)) entry.send(message);
      }
      return message;
    },

    subscribe(viewer, send, lastEventId) {
      let replay: Replay = { kind: 'messages', messages: [] };
      if (lastEventId !== undefined && lastEventId !== '') {
        const seq = sequenceOf(lastEventId);
        const oldest = buffer[0] === undefined ? counter + 1 : (sequenceOf(buffer[0].id) ?? counter + 1);
        if (seq === undefined || seq > counter || seq < oldest - 1) replay = { kind: 'reset' };
        else replay = { kind: 'messages', messages: buffer.filter((m) => (sequenceOf(m.id) ?? 0) > seq && canView(viewer, m)) };
      }
      const entry = { viewer, send };
      viewers.add(entry);
      return { replay, unsubscribe: () => viewers.delete(entry) };
    },

    get subscribers() {
      return viewers.size;
    },
  };
}
