import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedServer {
  readonly url: string;
  /** What the next GET of `path` answers (status 200 unless given). */
  serve(path: string, body: string, contentType: string, status?: number): void;
  readonly requests: { path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

/** A local HTTP server standing in for a bank's market-data feed. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, { body: string; type: string; status: number }>();
  const requests: FeedServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    const route = routes.get(path);
    if (route === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(route.status, { 'content-type': route.type }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    serve: (path, body, type, status = 200) => routes.set(path, { body, type, status }),
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
