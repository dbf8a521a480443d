import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpBalancer {
  readonly url: string;
  /** Connections each backend took, by port. */
  readonly taken: Map<number, number>;
  close(): Promise<void>;
}

/**
 * A plain round-robin TCP balancer, as a site would put nginx or HAProxy in front of
 * cloud replicas (deploy/replicas/nginx.conf): each new connection goes to the next
 * backend, and to the one after when that one refuses (`proxy_next_upstream error`).
 * Nothing of HTTP is understood, so nothing of the cloud's behaviour is hidden.
 */
export async function startTcpBalancer(backends: readonly number[]): Promise<TcpBalancer> {
  let next = 0;
  const taken = new Map<number, number>();
  const sockets = new Set<Socket>();
  const pipeTo = (client: Socket, attempt: number): void => {
    if (attempt >= backends.length) {
      client.destroy();
      return;
    }
    const port = backends[next % backends.length] ?? 0;
    next += 1;
    const upstream = connect(port, '127.0.0.1');
    sockets.add(upstream);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      taken.set(port, (taken.get(port) ?? 0) + 1);
      client.pipe(upstream).pipe(client);
      client.resume();
    });
    // 'close' follows every 'error'; a backend that refused is passed over, one that
    // dropped an open connection drops the client's too, as a real balancer does.
    upstream.on('error', () => {});
    upstream.once('close', () => {
      sockets.delete(upstream);
      if (connected) client.destroy();
      else if (!client.destroyed) pipeTo(client, attempt + 1);
    });
    client.once('close', () => upstream.destroy());
  };
  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    pipeTo(client, 0);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    taken,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
