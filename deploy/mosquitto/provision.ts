/**
 * `npm run provision -- <site.yaml> <out-dir> [port]`: a fresh password for the site's
 * gateway (GATEWAY_ID, default gw-<site>) and every device it names. Writes to <out-dir>:
 * `site.yaml` (the site with `mqttClients`, scrypt hashes, for the embedded broker),
 * `secrets.json` (the passwords, mode 0600: hand each to its device, MQTT_PASSWORD to the
 * gateway), and `passwd`, `acl`, `mosquitto.conf` for Mosquitto with the same rules.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { parseSiteConfig } from '../../protocol/index.ts';
import { provisionClients } from '../../infra/mqtt-auth/provision-clients.ts';
import { mosquittoAcl, mosquittoConf, mosquittoPasswordLine, type BrokerTls } from './mosquitto-files.ts';

export async function provisionSite(input: { siteYamlPath: string; outDir: string; port: number; gatewayId?: string; brokerUser?: string; tls?: BrokerTls }): Promise<{ secrets: Record<string, string> }> {
  const text = await readFile(input.siteYamlPath, 'utf8');
  const site = parseSiteConfig(text, input.siteYamlPath);
  const { clients, passwords } = await provisionClients(site, input.gatewayId ?? `gw-${site.site}`);
  await mkdir(input.outDir, { recursive: true });
  const document = parseDocument(text);
  document.set('mqttClients', clients);
  await writeFile(join(input.outDir, 'site.yaml'), document.toString());
  const secrets = Object.fromEntries(passwords);
  await writeFile(join(input.outDir, 'secrets.json'), `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(join(input.outDir, 'secrets.json'), 0o600);
  const passwd = join(input.outDir, 'passwd');
  await writeFile(passwd, `${[...passwords].map(([u, p]) => mosquittoPasswordLine(u, p)).join('\n')}\n`, { mode: 0o600 });
  const acl = join(input.outDir, 'acl');
  await writeFile(acl, mosquittoAcl(site.site, clients));
  await writeFile(join(input.outDir, 'mosquitto.conf'), mosquittoConf({ port: input.port, passwordFile: resolve(passwd), aclFile: resolve(acl), ...(input.brokerUser ? { user: input.brokerUser } : {}), ...(input.tls ? { tls: input.tls } : {}) }));
  return { secrets };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [siteYamlPath, outDir, port] = process.argv.slice(2);
  if (!siteYamlPath || !outDir) {
    process.stderr.write('usage: npm run provision -- <site.yaml> <out-dir> [port]\n');
    process.exit(1);
  }
  const { MQTT_TLS_CA, MQTT_TLS_CERT, MQTT_TLS_KEY, MQTT_TLS_PORT } = process.env;
  const tls = MQTT_TLS_CA && MQTT_TLS_CERT && MQTT_TLS_KEY ? { port: Number(MQTT_TLS_PORT ?? 8883), cafile: resolve(MQTT_TLS_CA), certfile: resolve(MQTT_TLS_CERT), keyfile: resolve(MQTT_TLS_KEY) } : undefined;
  await provisionSite({ siteYamlPath, outDir, port: Number(port ?? 1883), ...(process.env.GATEWAY_ID ? { gatewayId: process.env.GATEWAY_ID } : {}), ...(tls ? { tls } : {}) });
  process.stdout.write(`provisioned ${siteYamlPath} into ${outDir} (secrets.json is mode 0600)\n`);
}
