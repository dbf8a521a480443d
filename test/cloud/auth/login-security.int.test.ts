import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserRepository } from '../../../cloud/auth/user-repository.ts';
import { heavyHashing } from '../../../cloud/auth/secret-hash.ts';
import { startTestCloud, type TestCloud } from '../../support/cloud-app.ts';

const SECRET = 'a-test-secret-of-at-least-32-characters!!';

/** A JWT made by hand with the cloud's own secret, so only the claims and algorithm differ. */
function handMadeToken(alg: 'HS256' | 'HS384', claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg, typ: 'JWT' })}.${part(claims)}`;
  const sig = createHmac(alg === 'HS256' ? 'sha256' : 'sha384', SECRET).update(unsigned).digest('base64url');
  return `${unsigned}.${sig}`;
}

describe('login and token hardening (issue 17)', () => {
  let cloud: TestCloud;
  let lenderId: string;
  beforeAll(async () => {
    cloud = await startTestCloud({ env: { JWT_SECRET: SECRET, LOGIN_RATE_LIMIT: '3', LOGIN_RATE_LIMIT_PER_ADDRESS: '5' } });
    const users = createUserRepository(cloud.db.prisma);
    await users.upsertTenant({ id: 'bank-a', name: 'Bank A', kind: 'bank' });
    await users.upsertTenant({ id: 'platform', name: 'Platform', kind: 'platform' });
    lenderId = await users.upsertUser({ tenantId: 'bank-a', email: 'lender@bank-a.example', name: 'Lender', role: 'lender', password: 'correct horse' });
  });
  afterAll(() => cloud.close());

  let address = 0;
  const login = (email: string, password: string, remoteAddress = `10.1.0.${++address}`) =>
    cloud.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });
  const me = (token: string) => cloud.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });

  it('matches the email exactly: LIKE wildcards are plain characters', async () => {
    for (const pattern of ['lender%', 'lender@bank_a.example', '%%%']) {
      expect((await login(pattern, 'correct horse')).statusCode, pattern).toBe(401);
    }
    expect((await login('  Lender@Bank-A.example ', 'correct horse')).statusCode).toBe(200);
  });

  it('limits attempts per address before hashing any password, whatever emails are tried', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await login(`${randomUUID()}@nowhere.example`, 'guess', '10.9.9.9')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  it('limits attempts per account across addresses, on the normalised email', async () => {
    const statuses: number[] = [];
    for (const email of ['victim@bank-a.example', 'VICTIM@bank-a.example', ' victim@Bank-A.example', 'victim@bank-a.example ']) {
      statuses.push((await login(email, 'guess')).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('hashes at most two passwords at once however many logins arrive together', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => login(`${randomUUID()}@nowhere.example`, 'guess')));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(4).fill(401));
    expect(heavyHashing.load().peak).toBeLessThanOrEqual(2);
    expect(heavyHashing.load().peak).toBeGreaterThan(0);
  });

  it('accepts only HS256 tokens that carry an expiry', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: lenderId, tid: 'bank-a', role: 'lender', email: 'lender@bank-a.example', iat: now };
    expect((await me(handMadeToken('HS256', { ...claims, exp: now + 600 }))).statusCode).toBe(200);
    expect((await me(handMadeToken('HS384', { ...claims, exp: now + 600 }))).statusCode).toBe(401);
    expect((await me(handMadeToken('HS256', claims))).statusCode).toBe(401);
  });

  it('ends the tokens issued before a password change or a role change', async () => {
    const admin = cloud.tokenHolder('platform', 'admin');
    await admin.ready();
    const patch = (payload: Record<string, unknown>) =>
      cloud.app.inject({ method: 'PATCH', url: `/api/v1/users/${lenderId}`, payload, headers: { authorization: `Bearer ${admin.token}` } });

    const before = (await login('lender@bank-a.example', 'correct horse')).json().token as string;
    expect((await me(before)).statusCode).toBe(200);
    expect((await patch({ password: 'a new correct horse' })).statusCode).toBe(200);
    expect((await me(before)).statusCode).toBe(401);

    const after = (await login('lender@bank-a.example', 'a new correct horse')).json().token as string;
    expect((await me(after)).statusCode).toBe(200);
    expect((await patch({ role: 'risk_officer' })).statusCode).toBe(200);
    expect((await patch({ role: 'lender' })).statusCode).toBe(200);
    // Back to the role it names: still refused, the token predates both changes.
    expect((await me(after)).statusCode).toBe(401);
  });

  it('treats an underscore in a new email as a character: c_d@ is not taken by cxd@', async () => {
    const admin = cloud.tokenHolder('platform', 'admin');
    await admin.ready();
    const create = (email: string) =>
      cloud.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { authorization: `Bearer ${admin.token}` },
        payload: { tenantId: 'bank-a', email, name: email, role: 'lender', password: 'correct horse battery' },
      });
    expect((await create('cxd@bank-a.example')).statusCode).toBe(201);
    expect((await create('c_d@bank-a.example')).statusCode).toBe(201);
    expect((await create('C_D@bank-a.example')).statusCode).toBe(409);
  });
});
