import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Starts an entry point with a bad setting and returns what an operator would see. */
function start(entry: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr.trim() };
}

describe('configuration errors at start', () => {
  it('cloud: a bad PORT is one line naming the setting, exit code 1', () => {
    const { status, stderr } = start('cloud/main.ts', { PORT: 'eighty' });
    expect(status).toBe(1);
    expect(stderr).toBe('configuration error: PORT must be an integer between 0 and 65535, got "eighty"');
  });

  it('cloud: a DATABASE_URL that is not PostgreSQL is refused', () => {
    const { status, stderr } = start('cloud/main.ts', { DATABASE_URL: 'mysql://root@localhost/x' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^configuration error: DATABASE_URL must use postgresql: or postgres:/);
  });

  it('gateway: a missing token is named', () => {
    const { status, stderr } = start('gateway/main.ts', {});
    expect(status).toBe(1);
    expect(stderr).toMatch(/^configuration error: GATEWAY_TOKEN is required/);
  });

  it('gateway: an invalid site file names the file and the path inside it', () => {
    const { status, stderr } = start('gateway/main.ts', { GATEWAY_TOKEN: 't', SITE_CONFIG: 'package.json', MQTT_URL: 'mqtt://127.0.0.1:1' });
    expect(status).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^package\.json: /);
  });
});
