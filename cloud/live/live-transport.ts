import { randomBytes } from 'node:crypto';
import type { LiveMessage } from './live-hub.ts';

/**
 * How published messages reach every hub: in memory for one process, or through
 * PostgreSQL for replicas (pg-live-transport.ts). Either way a hub sees every message,
 * its own included, once and in one order, with an id `<epoch>.<seq>` that means the same
 * position on every replica.
 */
export interface LiveTransport {
  /** Known once started: the part of every id that names this feed. */
  epoch(): string;
  start(deliver: (messages: readonly LiveMessage[]) => void): Promise<void>;
  send(event: string, data: unknown, tenants: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

/** One process: a message is delivered as it is sent. */
export function memoryLiveTransport(): LiveTransport {
  const epoch = randomBytes(4).toString('hex');
  let seq = 0;
  let deliver: ((messages: readonly LiveMessage[]) => void) | undefined;
  return {
    epoch: () => epoch,
    start: async (d) => {
      deliver = d;
    },
    send: async (event, data, tenants) => {
      seq += 1;
      deliver?.([{ id: `${epoch}.${seq}`, event, data, tenants: [...tenants] }]);
    },
    stop: async () => {
      deliver = undefined;
    },
  };
}
