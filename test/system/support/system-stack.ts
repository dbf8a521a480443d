import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { openDatabase } from '../../../cloud/db/database.ts';
import { seedIdentity } from '../../../demo/seed-identity.ts';
import { parseSiteConfig, type VerificationEvent } from '../../../protocol/index.ts';
import { freePort, privateMosquitto, tsxProcess, until, type SystemProcess } from './processes.ts';

const PASSWORD = 'system-test-password';

export interface SystemStack {
  dir: string;
  site: string;
  gatewayId: string;
  mqttUrl: string;
  cloudUrl: string;
  gatewayUrl: string;
  broker: SystemProcess;
  cloud: SystemProcess;
  gateway: SystemProcess;
  /** A gateway process with these settings on top of the stack's own (a second one, say). */
  gatewayProcess(env?: NodeJS.ProcessEnv): SystemProcess;
  startGateway(): Promise<void>;
  startCloud(): Promise<void>;
  startBroker(): Promise<void>;
  /** Every event of the gateway the cloud stored, in sequence order. */
  cloudEvents(): Promise<VerificationEvent[]>;
  /** The gateway's view of its devices. */
  devices(): Promise<{ deviceId: string; state: string | undefined }[]>;
  /** Resolves once the gateway's outbox is empty and the cloud has its whole chain. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Mosquitto, cloud and gateway as separate OS processes, wired as on a site: the broker
 * is the test's own (persistent, on a free port), the cloud runs on an embedded database
 * seeded beforehand, the gateway on its own data directory.
 */
export async function startSystemStack(siteYaml: (site: string) => string): Promise<SystemStack> {
  const dir = await mkdtemp(join(tmpdir(), 'wrm-system-'));
  const site = `sys${process.pid}`;
  const gatewayId = `gw-${site}`;
  const token = `token-${process.pid}-${Date.now()}`;
  const siteConfigPath = join(dir, 'site.yaml');
  await writeFile(siteConfigPath, siteYaml(site));
  const cloudDataDir = join(dir, 'cloud-db');
  const db = await openDatabase({ dataDir: cloudDataDir });
  await seedIdentity(db, { site: parseSiteConfig(siteYaml(site)), gatewayId, gatewayToken: token, password: PASSWORD });
  await db.close();

  const mosquitto = await privateMosquitto(dir);
  const cloudPort = await freePort();
  const gatewayPort = await freePort();
  const cloudUrl = `http://127.0.0.1:${cloudPort}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const cloud = tsxProcess('cloud', 'cloud/main.ts', { PORT: String(cloudPort), CLOUD_DATA_DIR: cloudDataDir, LOG_LEVEL: 'warn', JWT_SECRET: 's'.repeat(32) });
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
  const all = [mosquitto.process, cloud, gateway];

  let adminToken: string | undefined;
  const adminHeaders = async (): Promise<Record<string, string>> => {
    adminToken ??= await until(
      'an admin login',
      async () => {
        const res = await fetch(`${cloudUrl}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'admin@platform.demo', password: PASSWORD }),
        });
        return res.ok ? ((await res.json()) as { token: string }).token : undefined;
      },
      60_000,
      all,
    );
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
    gateway,
    gatewayProcess,
    async startBroker() {
      mosquitto.process.start();
      await until('the broker', () => probeTcp(mosquitto.url), 20_000, all);
    },
    async startCloud() {
      cloud.start();
      await until('the cloud', async () => ((await fetch(`${cloudUrl}/health`)).ok ? true : undefined), 90_000, all);
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
      for (const p of [gateway, cloud, mosquitto.process]) await p.kill();
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
