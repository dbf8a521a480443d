import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { provisionSite } from '../../deploy/mosquitto/provision.ts';
import { freePort } from '../support/free-port.ts';

const MOSQUITTO = '/usr/sbin/mosquitto';
const OPENSSL = '/usr/bin/openssl';
const SITE = `site: s8
zones:
  - id: bay-a
    kind: storage
    readers: [{ reader: rd-a, antennas: [1] }]
`;


/** A CA of the test's own and a broker certificate it signed for 127.0.0.1. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync(OPENSSL, args, { stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=test-ca', '-keyout', file('ca.key'), '-out', file('ca.crt'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('broker.key'), '-out', file('broker.csr'));
  execFileSync('/bin/sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > '${file('san.ext')}'`]);
  openssl('x509', '-req', '-in', file('broker.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('san.ext'), '-out', file('broker.crt'));
  return { ca: file('ca.crt'), cert: file('broker.crt'), key: file('broker.key') };
}

/** Issue 17: the provisioned Mosquitto's TLS listener, run by a real Mosquitto with certificates made here. */
describe.skipIf(!existsSync(MOSQUITTO) || !existsSync(OPENSSL))('Mosquitto with the provisioned TLS listener', () => {
  let dir: string;
  let broker: ChildProcess;
  let url: string;
  let ca: Buffer;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wrm-mosquitto-tls-'));
    const certs = makeCertificates(dir);
    await writeFile(join(dir, 'site-in.yaml'), SITE);
    const [port, tlsPort] = [await freePort(), await freePort()];
    ({ secrets } = await provisionSite({
      siteYamlPath: join(dir, 'site-in.yaml'),
      outDir: join(dir, 'out'),
      port,
      brokerUser: userInfo().username,
      tls: { port: tlsPort, cafile: certs.ca, certfile: certs.cert, keyfile: certs.key },
    }));
    ca = await readFile(certs.ca);
    url = `mqtts://127.0.0.1:${tlsPort}`;
    broker = spawn(MOSQUITTO, ['-c', join(dir, 'out', 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    await vi.waitFor(async () => (await mqtt.connectAsync(url, { reconnectPeriod: 0, ca, username: 'gw-s8', password: secrets['gw-s8'] ?? '' })).endAsync(), { timeout: 10_000, interval: 100 });
  });
  afterAll(async () => {
    broker?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('carries a device that trusts the site CA and knows its password, and no one else', async () => {
    const device = await mqtt.connectAsync(url, { reconnectPeriod: 0, protocolVersion: 4, ca, username: 'rd-a', password: secrets['rd-a'] ?? '' });
    await device.publishAsync('wh/s8/rfid/rd-a/events', '{}', { qos: 1 });
    await device.endAsync();
    // A client that does not trust the broker's certificate (a man in the middle would look like this) is refused by TLS itself.
    await expect(mqtt.connectAsync(url, { reconnectPeriod: 0, username: 'rd-a', password: secrets['rd-a'] ?? '' })).rejects.toThrow(/certificate/i);
    // TLS does not replace the password: a trusted channel with a wrong password is refused too.
    await expect(mqtt.connectAsync(url, { reconnectPeriod: 0, protocolVersion: 4, ca, username: 'rd-a', password: 'guess' })).rejects.toThrow();
  });
});
