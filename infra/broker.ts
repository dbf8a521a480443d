import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import type { Logger } from './logger.ts';
import { brokerAuth, type BrokerAuthOptions } from './mqtt-auth/broker-auth.ts';

export interface BrokerHandle {
  /** URL clients connect to, e.g. `mqtt://127.0.0.1:41234`. */
  readonly url: string;
  /** True when we started the broker in this process (aedes), false for an external one. */
  readonly embedded: boolean;
  close(): Promise<void>;
}

export interface BrokerOptions {
  /** External broker URL; when absent an in-process aedes broker is started. */
  url?: string | undefined;
  /** Port for the embedded broker; 0 picks a free one. */
  port?: number;
  host?: string;
  log?: Logger;
  /** Hooks for the embedded broker (authorisation, say); an external broker has its own. */
  aedes?: AedesOptions;
  /**
   * The site's clients (site YAML `mqttClients`): every client must log in and publish only
   * its own topics. Without it the embedded broker is open, which only tools and tests
   * that own the broker should use; the demo always passes it.
   */
  auth?: Omit<BrokerAuthOptions, 'log'>;
}

/**
 * The one place that decides between a real broker (MQTT_URL, e.g. Mosquitto) and the
 * embedded aedes broker, so the demo, the tests and the benchmarks all run the same way.
 */
export async function startBroker(options: BrokerOptions = {}): Promise<BrokerHandle> {
  if (options.url) {
    return { url: options.url, embedded: false, close: async () => {} };
  }
  const aedes = await Aedes.createBroker({ ...options.aedes, ...(options.auth ? brokerAuth({ ...options.auth, ...(options.log ? { log: options.log } : {}) }) : {}) });
  const server: Server = createServer(aedes.handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // A wildcard listen address is not somewhere to connect to; local clients use loopback.
  const url = `mqtt://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
  options.log?.info({ url }, 'embedded MQTT broker listening');
  return {
    url,
    embedded: true,
    close: async () => {
      // Clients that never disconnect would keep server.close() pending forever.
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
