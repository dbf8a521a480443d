import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { createWorkSlots } from './work-slots.ts';

// Memory is the process's, so the bound is too: two full-cost hashes (~256 MiB) at
// once, 64 more waiting, anything beyond refused (503) instead of queued without end.
const HEAVY_BYTES = 16 * 1024 * 1024;
export const heavyHashing = createWorkSlots({ concurrency: 2, maxWaiting: 64 });

function rawScrypt(secret: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

function scrypt(secret: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }): Promise<Buffer> {
  // scrypt needs 128 · N · r bytes; the light gateway-token profile (4 MiB) runs freely.
  if (128 * options.N * options.r < HEAVY_BYTES) return rawScrypt(secret, salt, keylen, options);
  return heavyHashing.run(() => rawScrypt(secret, salt, keylen, options));
}

// OWASP's scrypt minimum (N=2^17, r=8, p=1) costs ~128 MiB and ~0.3 s per check; gateway
// tokens are long random strings, not passwords, so a lighter cost keeps batch ingestion
// cheap while user passwords use the full cost.
const PROFILES = {
  password: { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 },
  token: { N: 2 ** 12, r: 8, p: 1, maxmem: 32 * 1024 * 1024 },
} as const;

export type SecretKind = keyof typeof PROFILES;

/** `scrypt$N$r$p$saltB64$hashB64`, self-describing so costs can rise without breaking old hashes. */
export async function hashSecret(secret: string, kind: SecretKind): Promise<string> {
  const { N, r, p, maxmem } = PROFILES[kind];
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, 32, { N, r, p, maxmem });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  const key = await scrypt(secret, salt, expected.length, { N, r, p, maxmem: 256 * 1024 * 1024 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
