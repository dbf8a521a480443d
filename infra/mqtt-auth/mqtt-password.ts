import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

// Devices connect rarely and reconnect after outages all at once: a light scrypt cost
// (16 MiB, a few ms) keeps a reconnect storm cheap while a stolen hash stays costly to guess.
const COST = { N: 2 ** 14, r: 8, p: 1 } as const;
const MAX_MEM = 64 * 1024 * 1024;

function scrypt(secret: string, salt: Buffer, keylen: number, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(secret, salt, keylen, { ...cost, maxmem: MAX_MEM }, (error, key) => (error ? reject(error) : resolve(key))));
}

/** `scrypt$N$r$p$saltB64$hashB64`, the same self-describing form as the cloud's hashes. */
export async function hashMqttPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyMqttPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  // A hash from the YAML is input too: a cost beyond what devices use is refused, not run.
  if (scheme !== 'scrypt' || !(cost.N > 1 && cost.N <= 2 ** 17 && cost.r >= 1 && cost.r <= 16 && cost.p >= 1 && cost.p <= 4)) return false;
  const expected = Buffer.from(hash ?? '', 'base64');
  if (expected.length < 16) return false;
  const key = await scrypt(password, Buffer.from(salt ?? '', 'base64'), expected.length, cost);
  return timingSafeEqual(key, expected);
}

/** A password for a device or gateway: 256 random bits, never typed by a person. */
export function newMqttPassword(): string {
  return randomBytes(32).toString('base64url');
}
