import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld } from '../alerts/support/monitoring-world.ts';

describe('tenant and user administration', () => {
  let w: MonitoringWorld;
  let admin: Caller;
  let risk: Caller;

  beforeAll(async () => {
    w = await startMonitoringWorld();
    admin = await w.as('platform', 'admin');
    risk = await w.as('bank-a', 'risk_officer');
  });
  afterAll(() => w.close());

  it('creates a tenant and a user who can then log in; only administrators may', async () => {
    expect(expectStatus(await admin.post('/api/v1/tenants', { id: 'bank-c', name: 'Bank C', kind: 'bank' }), 201)).toMatchObject({ id: 'bank-c', kind: 'bank' });
    expect((await admin.post('/api/v1/tenants', { id: 'bank-c', name: 'again', kind: 'bank' })).statusCode).toBe(409);
    expect((await risk.post('/api/v1/tenants', { id: 'bank-d', name: 'D', kind: 'bank' })).statusCode).toBe(403);
    expect((await admin.post('/api/v1/tenants', { id: 'bad id', name: 'x', kind: 'bank' })).statusCode).toBe(400);

    const user = expectStatus(await admin.post('/api/v1/users', { tenantId: 'bank-c', email: 'Branch@Bank-C.test', name: 'Branch C', role: 'branch_investigator', password: 'correct horse battery' }), 201);
    expect(user).toMatchObject({ tenantId: 'bank-c', role: 'branch_investigator', disabled: false });
    expect(JSON.stringify(user)).not.toMatch(/scrypt|password/i);
    expect((await admin.post('/api/v1/users', { tenantId: 'bank-c', email: 'branch@bank-c.test', name: 'dup', role: 'lender', password: 'correct horse battery' })).statusCode).toBe(409);
    expect((await admin.post('/api/v1/users', { tenantId: 'bank-c', email: 'op@bank-c.test', name: 'x', role: 'warehouse_operator', password: 'correct horse battery' })).statusCode).toBe(400);
    expect((await admin.post('/api/v1/users', { tenantId: 'nowhere', email: 'x@y.test', name: 'x', role: 'lender', password: 'correct horse battery' })).statusCode).toBe(404);
    expect((await admin.post('/api/v1/users', { tenantId: 'bank-c', email: 'short@bank-c.test', name: 'x', role: 'lender', password: 'short' })).statusCode).toBe(400);

    const login = await w.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'branch@bank-c.test', password: 'correct horse battery' } });
    expect(login.statusCode).toBe(200);
    const stored = await w.db.prisma.user.findFirst({ where: { email: 'Branch@Bank-C.test' } });
    expect(stored?.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
  });

  it('disables a user (audited, without the hash) and refuses an administrator disabling themselves', async () => {
    const user = (await w.db.prisma.user.findFirst({ where: { email: 'Branch@Bank-C.test' } }))?.id ?? '';
    expect(expectStatus(await admin.patch(`/api/v1/users/${user}`, { disabled: true }), 200)).toMatchObject({ disabled: true });
    const login = await w.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'branch@bank-c.test', password: 'correct horse battery' } });
    expect(login.statusCode).toBe(401);
    expect((await admin.patch(`/api/v1/users/${admin.userId}`, { disabled: true })).statusCode).toBe(409);
    expect((await admin.patch(`/api/v1/users/${user}`, { role: 'admin' })).statusCode).toBe(400);
    expect((await admin.patch(`/api/v1/users/${user}`, {})).statusCode).toBe(400);
    const trail = expectStatus(await admin.get(`/api/v1/audit?entityType=user&entityId=${user}`), 200).items as { action: string; before: unknown; after: unknown }[];
    expect(trail.map((t) => t.action)).toEqual(['user.updated', 'user.created']);
    expect(trail[0]).toMatchObject({ before: { disabled: false }, after: { disabled: true, passwordChanged: false } });
    expect(JSON.stringify(trail)).not.toMatch(/scrypt/);
  });

  it("stops a disabled, demoted or deleted user's token on the very next request, not when it expires", async () => {
    const branch = await w.as('bank-a', 'branch_investigator');
    // Used once first, so the account's state is cached when it changes.
    expect((await branch.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect(expectStatus(await admin.patch(`/api/v1/users/${branch.userId}`, { disabled: true }), 200)).toMatchObject({ disabled: true });
    for (const url of ['/api/v1/auth/me', '/api/v1/alerts', '/api/v1/users']) expect((await branch.get(url)).statusCode, url).toBe(401);
    expect((await branch.get(`/api/v1/live?access_token=${branch.token}`)).statusCode).toBe(401);
    expectStatus(await admin.patch(`/api/v1/users/${branch.userId}`, { disabled: false }), 200);
    expect((await branch.get('/api/v1/auth/me')).statusCode).toBe(200);

    // The token still says lender; the account is a risk officer now.
    const lender = await w.as('bank-a', 'lender');
    expect((await lender.get('/api/v1/auth/me')).statusCode).toBe(200);
    expectStatus(await admin.patch(`/api/v1/users/${lender.userId}`, { role: 'risk_officer' }), 200);
    expect((await lender.get('/api/v1/auth/me')).statusCode).toBe(401);

    const gone = await w.as('bank-a', 'lender');
    await w.db.prisma.user.delete({ where: { id: gone.userId } });
    expect((await gone.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it("lets everyone else read only their own tenant and its users", async () => {
    expect(expectStatus(await risk.get('/api/v1/tenants'), 200).items).toMatchObject([{ id: 'bank-a' }]);
    expect((await risk.get('/api/v1/tenants/bank-b')).statusCode).toBe(404);
    expect(expectStatus(await risk.get('/api/v1/tenants/bank-a'), 200)).toMatchObject({ id: 'bank-a' });
    const users = expectStatus(await risk.get('/api/v1/users'), 200).items as { tenantId: string }[];
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((u) => u.tenantId === 'bank-a')).toBe(true);
    expect(expectStatus(await risk.get('/api/v1/users?tenantId=bank-c'), 200).items).toEqual([]);
    expect((await risk.get(`/api/v1/users/${admin.userId}`)).statusCode).toBe(404);
    expect((await risk.patch(`/api/v1/users/${risk.userId}`, { name: 'me' })).statusCode).toBe(403);
  });
});
