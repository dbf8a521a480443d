import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayHandle } from '../../../gateway/start-gateway.ts';
import { createLogger } from '../../../infra/logger.ts';
import { startTestStack, type TestStack } from '../../support/test-stack.ts';

const siteYaml = (site: string) => `site: ${site}
zones:
  - id: bay-1
    kind: storage
    readers: [{ reader: rd-1, antennas: [1] }]
`;

interface Readiness {
  statusCode: number;
  body: { status: string; reasons: string[] };
}

async function readiness(gateway: GatewayHandle): Promise<Readiness> {
  const response = await fetch(`${gateway.apiUrl}/ready`);
  return { statusCode: response.status, body: (await response.json()) as Readiness['body'] };
}

/** Asks /ready until it answers as expected: the sender's refused attempt and a lost connection are not events a test can await. */
async function readinessBecomes(gateway: GatewayHandle, statusCode: number): Promise<Readiness> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const seen = await readiness(gateway);
    if (seen.statusCode === statusCode || Date.now() > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('gateway health tells the truth (embedded broker, or Mosquitto with MQTT_URL)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(siteYaml);
  });
  afterAll(() => stack.close());

  it('is ready while devices are heard and events reach the cloud', async () => {
    await stack.gateway.flush();
    const seen = await readiness(stack.gateway);
    expect(seen.statusCode).toBe(200);
    expect(seen.body.reasons).toEqual([]);
  });

  it('is not ready, and says why, while the cloud refuses every delivery', async () => {
    // The same gateway (its id is its broker login) restarted with a token the cloud refuses.
    await stack.gateway.stop();
    const refused = await startGateway({ ...stack.gatewayConfig, cloudToken: 'revoked-token', uplinkFailingMs: 0 }, { log: createLogger('refused'), tickMs: 0 });
    try {
      const seen = await readinessBecomes(refused, 503);
      expect(seen.statusCode).toBe(503);
      expect(seen.body.reasons.join(' ')).toMatch(/cloud deliveries failing for \d+ s: .*401/);
      const health = (await (await fetch(`${refused.apiUrl}/health`)).json()) as { status: string };
      expect(health.status).toBe('degraded');
    } finally {
      await refused.stop();
    }
    await stack.restartGateway();
    expect((await readinessBecomes(stack.gateway, 200)).body.reasons).toEqual([]);
  });

  it('refuses a second gateway on the same data directory, naming the first', async () => {
    await expect(startGateway(stack.gatewayConfig, { log: createLogger('second'), tickMs: 0 })).rejects.toThrow(
      new RegExp(`GATEWAY_DATA_DIR .* is in use by process ${process.pid}`),
    );
    expect(await readiness(stack.gateway)).toMatchObject({ statusCode: 200, body: { reasons: [] } });
  });

  it('is not ready while its broker is down', async (context) => {
    if (!stack.broker.embedded) context.skip('a shared Mosquitto is not ours to stop');
    await stack.broker.close();
    const seen = await readinessBecomes(stack.gateway, 503);
    expect(seen.body.reasons).toContain('MQTT broker unreachable: devices are not heard');
  });
});
