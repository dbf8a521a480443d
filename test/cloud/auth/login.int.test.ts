import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserRepository } from '../../../cloud/auth/user-repository.ts';
import { startTestCloud, type TestCloud } from '../../support/cloud-app.ts';

describe('authentication', () => {
  let cloud: TestCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
    const users = createUserRepository(cloud.db.prisma);
    await users.upsertTenant({ id: 'bank-a', name: 'Bank A', kind: 'bank' });
    await users.upsertUser({ tenantId: 'bank-a', email: 'Risk@Bank-A.example', name: 'Risk', role: 'risk_officer', password: 'correct horse' });
  });
  afterAll(() => cloud.close());

  const login = (email: string, password: string) =>
    cloud.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: '10.0.0.1' });

  it('issues a token for the right password, case-insensitive on email', async () => {
    const res = await login('risk@bank-a.example', 'correct horse');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { token: string; user: { role: string; tenantId: string } };
    expect(body.user).toMatchObject({ role: 'risk_officer', tenantId: 'bank-a' });
    const me = await cloud.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(me.json()).toMatchObject({ email: 'Risk@Bank-A.example', role: 'risk_officer' });
  });

  it('answers 401 alike for a wrong password and an unknown user', async () => {
    const wrong = await login('risk@bank-a.example', 'wrong');
    const unknown = await login('nobody@bank-a.example', 'wrong');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
  });

  it('refuses requests without a valid token', async () => {
    expect((await cloud.app.inject({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    const forged = await cloud.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' } });
    expect(forged.statusCode).toBe(401);
  });

  it('ends the token for good on sign-out, and the other sessions of the user with it', async () => {
    const first = (await login('risk@bank-a.example', 'correct horse')).json() as { token: string };
    const second = (await login('risk@bank-a.example', 'correct horse')).json() as { token: string };
    const me = (token: string) => cloud.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect((await me(first.token)).statusCode).toBe(200);
    const out = await cloud.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${first.token}` } });
    expect(out.statusCode).toBe(204);
    for (const token of [first.token, second.token]) {
      const refused = await me(token);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().message).toMatch(/log in again/);
    }
    // The old token cannot sign out the session opened after it.
    const third = (await login('risk@bank-a.example', 'correct horse')).json() as { token: string };
    expect((await cloud.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${first.token}` } })).statusCode).toBe(401);
    expect((await me(third.token)).statusCode).toBe(200);
    const audit = await cloud.db.prisma.auditEntry.findMany({ where: { action: 'user.signed_out' } });
    expect(audit).toHaveLength(1);
  });

  it('rate-limits repeated logins for one account', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login('victim@bank-a.example', `guess-${i}`)).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
