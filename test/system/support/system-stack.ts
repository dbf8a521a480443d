import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { openDatabase } from '../../../cloud/db/database.ts';
import { seedIdentity } from '../../../demo/seed-identity.ts';
import { parseSiteConfig, type VerificationEvent } from '../../../protocol/index.ts';
import { freePort, privateMosquitto, tsxProcess, until, type SystemProcess } from './processes.ts';
import { startTcpBalancer } from './tcp-balancer.ts';
import pg from 'pg';

const PASSWORD = 'system-test-password';

export interface SystemStack {
  dir: string;
  site: string;
  gatewayId: string;
  mqttUrl: string;
  cloudUrl: string;
  gatewayUrl: string;
  broker: SystemProcess;
  /** The first cloud replica. */
  cloud: SystemProcess;
  /** Every cloud replica, and the URL of each (`cloudUrl` is the balancer's when there are several). */
  clouds: SystemProcess[];
  cloudUrls: string[];
  gateway: SystemProcess;
  /** A gateway process with these settings on top of the stack's own (a second one, say). */
  gatewayProcess(env?: NodeJS.ProcessEnv): SystemProcess;
  startGateway(): Promise<void>;
  /** Starts one cloud replica (the first by default) and waits for its health. */
  startCloud(replica?: number): Promise<void>;
  /** A bearer token of a seeded demo user, by e-mail, logged in through `cloudUrl`. */
  login(email: string): Promise<string>;
  startBroker(): Promise<void>;
  /** Every event of the gateway the cloud stored, in sequence order. */
  cloudEvents(): Promise<VerificationEvent[]>;
  /** The gateway's view of its devices. */
  devices(): Promise<{ deviceId: string; state: string | undefined }[]>;
  /** Resolves once the gateway's outbox is empty and the cloud has its whole chain. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

export interface SystemStackOptions {
  /** PostgreSQL for the cloud (a database of the stack's own is created on it); embedded PGlite otherwise. */
  databaseUrl?: string;
  /** Cloud processes on that database behind one round-robin balancer; needs `databaseUrl` when more than one. */
  cloudReplicas?: number;
}

/**
 * Mosquitto, cloud and gateway as separate OS processes, wired as on a site: the broker
 * is the test's own (persistent, on a free port), the cloud runs on an embedded database
 * seeded beforehand (or on PostgreSQL, as replicas behind a balancer), the gateway on its
 * own data directory.
 */
export async function startSystemStack(siteYaml: (site: string) => string, options: SystemStackOptions = {}): Promise<SystemStack> {
  const dir = await mkdtemp(join(tmpdir(), 'wrm-system-'));
  const site = `sys${process.pid}`;
  const gatewayId = `gw-${site}`;
  const token = `token-${process.pid}-${Date.now()}`;
  const siteConfigPath = join(dir, 'site.yaml');
  await writeFile(siteConfigPath, siteYaml(site));
  const cloudDataDir = join(dir, 'cloud-db');
  const replicas = options.cloudReplicas ?? 1;
  if (replicas > 1 && options.databaseUrl === undefined) throw new Error('cloud replicas share a PostgreSQL database: give databaseUrl');
  const database = options.databaseUrl === undefined ? undefined : await createDatabase(options.databaseUrl, `wrm_${site}`);
  const db = await openDatabase(database === undefined ? { dataDir: cloudDataDir } : { url: database.url });
  await seedIdentity(db, { site: parseSiteConfig(siteYaml(site)), gatewayId, gatewayToken: token, password: PASSWORD });
  await db.close();

  const mosquitto = await privateMosquitto(dir);
  const cloudPorts = await Promise.all(Array.from({ length: replicas }, () => freePort()));
  const gatewayPort = await freePort();
  const cloudUrls = cloudPorts.map((port) => `http://127.0.0.1:${port}`);
  const balancer = replicas > 1 ? await startTcpBalancer(cloudPorts) : undefined;
  const cloudUrl = balancer?.url ?? cloudUrls[0] ?? '';
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  // Replicas share their secrets, as the cloud requires with DATABASE_URL.
  const storage: NodeJS.ProcessEnv = database === undefined ? { CLOUD_DATA_DIR: cloudDataDir } : { DATABASE_URL: database.url, INSPECTION_SEED: 'i'.repeat(32) };
  const clouds = cloudPorts.map((port, i) =>
    tsxProcess(replicas > 1 ? `cloud-${String.fromCharCode(65 + i)}` : 'cloud', 'cloud/main.ts', { PORT: String(port), LOG_LEVEL: 'warn', JWT_SECRET: 's'.repeat(32), ...storage }),
  );
  const cloud = clouds[0] as SystemProcess;
  const gatewayEnv: NodeJS.ProcessEnv = {
    GATEWAY_ID: gatewayId,
    GATEWAY_TOKEN: token,
    CLOUD_URL: cloudUrl,
    MQTT_URL: mosquitto.url,
    SITE_CONFIG: siteConfigPath,
    GATEWAY_DATA_DIR: join(dir, 'gateway'),
    GATEWAY_PORT: String(gatewayPort),
    DEVICE_SILENCE_MS: '86400000',
    LOG_LEVEL: 'warn',
  };
  const gatewayProcess = (env: NodeJS.ProcessEnv = {}) => tsxProcess('gateway', 'gateway/main.ts', { ...gatewayEnv, ...env });
  const gateway = gatewayProcess();
  const all = [mosquitto.process, ...clouds, gateway];

  const login = (email: string): Promise<string> =>
    until(
      `a login of ${email}`,
      async () => {
        const res = await fetch(`${cloudUrl}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: PASSWORD }),
        });
        return res.ok ? ((await res.json()) as { token: string }).token : undefined;
      },
      60_000,
      all,
    );
  let adminToken: string | undefined;
  const adminHeaders = async (): Promise<Record<string, string>> => {
    adminToken ??= await login('admin@platform.demo');
    return { authorization: `Bearer ${adminToken}` };
  };

  const stack: SystemStack = {
    dir,
    site,
    gatewayId,
    mqttUrl: mosquitto.url,
    cloudUrl,
    gatewayUrl,
    broker: mosquitto.process,
    cloud,
    clouds,
    cloudUrls,
    gateway,
    login,
    gatewayProcess,
    async startBroker() {
      mosquitto.process.start();
      await until('the broker', () => probeTcp(mosquitto.url), 20_000, all);
    },
    async startCloud(replica = 0) {
      const process = clouds[replica];
      if (process === undefined) throw new Error(`no cloud replica ${replica}`);
      process.start();
      await until(process.name, async () => ((await fetch(`${cloudUrls[replica]}/health`)).ok ? true : undefined), 90_000, all);
    },
    async startGateway() {
      gateway.start();
      await until('the gateway', async () => ((await fetch(`${gatewayUrl}/health`)).ok ? true : undefined), 90_000, all);
    },
    async cloudEvents() {
      const headers = await adminHeaders();
      const events: VerificationEvent[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ gatewayId, limit: '1000', ...(cursor ? { cursor } : {}) });
        const res = await fetch(`${cloudUrl}/api/v1/events?${query}`, { headers });
        if (!res.ok) throw new Error(`events: HTTP ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { items: { event: VerificationEvent }[]; nextCursor: string | null };
        events.push(...body.items.map((i) => i.event));
        cursor = body.nextCursor;
      } while (cursor);
      return events.sort((a, b) => a.seq - b.seq);
    },
    async devices() {
      const res = await fetch(`${gatewayUrl}/api/v1/devices`);
      return ((await res.json()) as { items: { deviceId: string; state: string | undefined }[] }).items;
    },
    async drained() {
      await until(
        'the gateway to deliver its whole outbox',
        async () => {
          const outbox = (await (await fetch(`${gatewayUrl}/api/v1/outbox`)).json()) as { pending: number; lastAppendedSeq: number | null };
          if (outbox.pending !== 0 || outbox.lastAppendedSeq === null) return undefined;
          const events = await stack.cloudEvents();
          return events.at(-1)?.seq === outbox.lastAppendedSeq ? true : undefined;
        },
        120_000,
        all,
      );
    },
    async close() {
      for (const p of [gateway, ...clouds, mosquitto.process]) await p.kill();
      await balancer?.close();
      await database?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

function probeTcp(url: string): Promise<true | undefined> {
  return new Promise((done) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(undefined));
  });
}

/** A database of the stack's own on the server of `serverUrl`, dropped at the end. */
async function createDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await client.end();
    },
  };
}
