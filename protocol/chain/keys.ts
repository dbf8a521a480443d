import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ProtocolError } from '../errors.ts';

export interface GatewayKeyPair {
  /** SPKI PEM, as served by `GET /api/v1/gateways/{gatewayId}/key`. */
  publicKeyPem: string;
  /** PKCS #8 PEM. */
  privateKeyPem: string;
}

export function generateGatewayKeys(): GatewayKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** Refuses anything but Ed25519, so a misconfigured RSA key fails at load, not at the first verify. */
export function assertEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ProtocolError('bad_key', `${what} must be an Ed25519 key, got ${key.asymmetricKeyType ?? key.type}`);
  }
  return key;
}

function load(make: () => KeyObject, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = make();
  } catch (err) {
    throw new ProtocolError('bad_key', `${what} is not a readable PEM key: ${err instanceof Error ? err.message : String(err)}`);
  }
  return assertEd25519(key, what);
}

export function loadPublicKey(pem: string): KeyObject {
  return load(() => createPublicKey(pem), 'public key');
}

export function loadPrivateKey(pem: string): KeyObject {
  return load(() => createPrivateKey(pem), 'private key');
}
