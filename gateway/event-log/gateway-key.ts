import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeSyncedFile } from '../../infra/durable-file.ts';

export interface GatewayKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

/**
 * The gateway's Ed25519 identity: created on first start, then reused forever, because
 * the cloud pins the first key it sees. Written to a temporary file, fsynced, then
 * hard-linked into place: a crash never leaves a half-written key, and link() fails if
 * another process won the race, so two starts cannot each create a different key.
 * Mode 0600, since it signs the evidence.
 */
export async function loadOrCreateGatewayKey(path: string): Promise<GatewayKey> {
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return fromPrivatePem(existing);
  await mkdir(dirname(path), { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const tmp = `${path}.${process.pid}.tmp`;
  await writeSyncedFile(tmp, pem);
  try {
    await link(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fromPrivatePem(await readFile(path, 'utf8'));
  } finally {
    await unlink(tmp).catch(() => {});
  }
  return fromPrivatePem(pem);
}

function fromPrivatePem(pem: string): GatewayKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('gateway key is not an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
