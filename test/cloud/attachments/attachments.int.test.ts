import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, MAX_ATTACHMENT_BYTES, generateGatewayKeys, loadPrivateKey, sealEvent, type AttachmentRef, type VerificationEvent } from '../../../protocol/index.ts';
import { createGatewayRepository } from '../../../cloud/gateways/gateway-repository.ts';
import { startTestCloud, type TestCloud, type TokenHolder } from '../../support/cloud-app.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const refOf = (bytes: Uint8Array, mediaType: AttachmentRef['mediaType'] = 'image/jpeg'): AttachmentRef => ({ sha256: sha(bytes), bytes: bytes.byteLength, mediaType });

/** One gateway's signed chain, as its event log writes it. */
function gatewayChain(gatewayId: string, site: string) {
  const keys = generateGatewayKeys();
  const key = loadPrivateKey(keys.privateKeyPem);
  let head = { seq: 0, hash: GENESIS_HASH };
  return {
    keys,
    next(refs: AttachmentRef[], lotId = 'LOT-1'): VerificationEvent {
      const event = sealEvent(
        {
          id: randomUUID(),
          site,
          gatewayId,
          seq: head.seq + 1,
          ts: new Date(Date.UTC(2026, 0, 1, 0, 0, head.seq)).toISOString(),
          type: 'camera.change',
          severity: 'warning',
          lotId,
          zone: 'bay-a',
          evidence: { device: `${site}/camera/cam-1`, zone: 'bay-a', roi: { x: 0, y: 0, width: 100, height: 80 }, changedFraction: 0.4, atNight: true, attachments: refs },
        },
        head.hash,
        key,
      );
      head = { seq: event.seq, hash: event.hash };
      return event;
    },
  };
}

describe('evidence attachments: upload by the gateway, reading by users', () => {
  let cloud: TestCloud;
  const gw1 = gatewayChain('gw-att-1', 'site-a');
  const gw2 = gatewayChain('gw-att-2', 'site-b');
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  let operatorA: TokenHolder;
  let operatorB: TokenHolder;

  beforeAll(async () => {
    cloud = await startTestCloud({
      tenants: [
        { id: 'wh-a', kind: 'warehouse_operator' },
        { id: 'wh-b', kind: 'warehouse_operator' },
      ],
      sites: [
        { id: 'site-a', tenantId: 'wh-a', name: 'Site A', timezone: 'UTC' },
        { id: 'site-b', tenantId: 'wh-b', name: 'Site B', timezone: 'UTC' },
      ],
      // The smallest bound allowed: one attachment of the largest size.
      env: { ATTACHMENT_TENANT_MAX_BYTES: String(MAX_ATTACHMENT_BYTES) },
    });
    const gateways = createGatewayRepository(cloud.db.prisma);
    for (const [id, site, chain] of [['gw-att-1', 'site-a', gw1], ['gw-att-2', 'site-b', gw2]] as const) {
      await gateways.provision({ id, siteId: site, token: `token-${id}` });
      const reg = await cloud.app.inject({ method: 'PUT', url: `/api/v1/gateways/${id}/key`, headers: auth(`token-${id}`), payload: { publicKey: chain.keys.publicKeyPem } });
      expect(reg.statusCode).toBe(200);
    }
    operatorA = cloud.tokenHolder('wh-a', 'warehouse_operator');
    operatorB = cloud.tokenHolder('wh-b', 'warehouse_operator');
    await operatorA.ready();
    await operatorB.ready();
  });
  afterAll(() => cloud.close());

  const deliver = async (gatewayId: string, events: VerificationEvent[]) => {
    const res = await cloud.app.inject({ method: 'POST', url: `/api/v1/gateways/${gatewayId}/events`, headers: auth(`token-${gatewayId}`), payload: { events } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: events.length, rejected: [] });
  };
  const upload = (gatewayId: string, sha256: string, body: Uint8Array, contentType = 'image/jpeg', token = `token-${gatewayId}`) =>
    cloud.app.inject({ method: 'PUT', url: `/api/v1/gateways/${gatewayId}/attachments/${sha256}`, headers: { ...auth(token), 'content-type': contentType }, payload: Buffer.from(body) });
  const read = (sha256: string, holder: TokenHolder, headers: Record<string, string> = {}) =>
    cloud.app.inject({ method: 'GET', url: `/api/v1/attachments/${sha256}`, headers: { ...auth(holder.token), ...headers } });
  const counted = async (outcome: string): Promise<number> => {
    const metrics = await cloud.app.inject({ method: 'GET', url: '/metrics' });
    const line = metrics.body.split('\n').find((l) => l.startsWith(`cloud_attachment_uploads_total{outcome="${outcome}"}`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  };

  const crop = randomBytes(5_000);

  it('refuses bytes no stored event cites, then accepts the cited ones and serves them back to a user who sees the event', async () => {
    const ref = refOf(crop);
    const early = await upload('gw-att-1', ref.sha256, crop);
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toMatch(/no stored event of this gateway cites/);

    await deliver('gw-att-1', [gw1.next([ref])]);
    const stored = await upload('gw-att-1', ref.sha256, crop);
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toEqual({ sha256: ref.sha256, bytes: crop.byteLength, mediaType: 'image/jpeg', duplicate: false });
    // Idempotent.
    const again = await upload('gw-att-1', ref.sha256, crop, 'application/octet-stream');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true });

    const served = await read(ref.sha256, operatorA);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['cache-control']).toMatch(/private/);
    expect(served.headers['cache-control']).toMatch(/immutable/);
    expect(served.headers.etag).toBe(`"${ref.sha256}"`);
    expect(served.rawPayload.equals(crop)).toBe(true);
    const cached = await read(ref.sha256, operatorA, { 'if-none-match': `"${ref.sha256}"` });
    expect(cached.statusCode).toBe(304);
  });

  it('answers 404 to a user of another tenant, as for an unknown attachment', async () => {
    const other = await read(sha(crop), operatorB);
    expect(other.statusCode).toBe(404);
    const unknown = await read(sha(randomBytes(10)), operatorA);
    expect(unknown.statusCode).toBe(404);
    expect(other.json().message).toBe(unknown.json().message.replace(/[0-9a-f]{64}/, sha(crop)));
  });

  it('refuses tampered bytes (counted and reported on a case), and bytes cited with another size or type', async () => {
    const clip = randomBytes(3_000);
    const ref = refOf(clip, 'audio/wav');
    await deliver('gw-att-1', [gw1.next([ref])]);
    const before = await counted('tampered');
    const tampered = Buffer.from(clip);
    tampered[100] = (tampered[100] ?? 0) ^ 0xff;
    const refused = await upload('gw-att-1', ref.sha256, tampered, 'audio/wav');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toMatch(/not those the event signed/);
    expect(await counted('tampered')).toBe(before + 1);
    await cloud.bus.idle();
    const cases = await cloud.db.prisma.alertCase.findMany({ where: { gatewayId: 'gw-att-1', kind: 'ingest.forgery' } });
    expect(cases.map((c) => c.title)).toEqual([expect.stringMatching(/does not match its signed hash/)]);

    const wrongType = await upload('gw-att-1', ref.sha256, clip, 'image/png');
    expect(wrongType.statusCode).toBe(422);
    expect(wrongType.json().message).toMatch(/cited as 3000 bytes of audio\/wav/);
    // Another gateway cannot upload bytes only gw-att-1's events cite.
    const foreign = await upload('gw-att-2', ref.sha256, clip, 'audio/wav');
    expect(foreign.statusCode).toBe(409);
    expect((await upload('gw-att-1', ref.sha256, clip, 'audio/wav')).statusCode).toBe(200);
  });

  it('refuses a body over the bound with a clear 413, before reading it', async () => {
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    const res = await upload('gw-att-1', sha(big), big);
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toMatch(new RegExp(`at most ${MAX_ATTACHMENT_BYTES} bytes`));
    // Sent without a length (chunked): cut off at the bound, with the same clear message.
    const streamed = await cloud.app.inject({
      method: 'PUT',
      url: `/api/v1/gateways/gw-att-1/attachments/${sha(big)}`,
      headers: { ...auth('token-gw-att-1'), 'content-type': 'image/jpeg' },
      payload: Readable.from([Buffer.from(big)]),
    });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().message).toMatch(new RegExp(`at most ${MAX_ATTACHMENT_BYTES} bytes`));
    const stranger = await upload('gw-att-1', sha(big), big, 'image/jpeg', 'wrong-token');
    expect(stranger.statusCode).toBe(401);
  });

  it("refuses an upload past the tenant's storage bound, and stores other tenants' attachments", async () => {
    // wh-a holds 8,000 bytes; its bound is MAX_ATTACHMENT_BYTES.
    const large = randomBytes(MAX_ATTACHMENT_BYTES - 1_000);
    const ref = refOf(large);
    await deliver('gw-att-1', [gw1.next([ref])]);
    const full = await upload('gw-att-1', ref.sha256, large);
    expect(full.statusCode).toBe(507);
    expect(full.json().message).toMatch(/storage of this tenant is full/);

    await deliver('gw-att-2', [gw2.next([ref])]);
    expect((await upload('gw-att-2', ref.sha256, large)).statusCode).toBe(200);
    // Each tenant reads its own copy of the same bytes.
    expect((await read(ref.sha256, operatorB)).rawPayload.equals(large)).toBe(true);
    expect((await read(ref.sha256, operatorA)).statusCode).toBe(404);
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = (await cloud.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>> };
    const put = doc.paths['/api/v1/gateways/{id}/attachments/{sha256}']?.put;
    expect(put?.requestBody).toBeDefined();
    expect(Object.keys(put?.responses ?? {})).toEqual(expect.arrayContaining(['200', '409', '413', '422', '507']));
    expect(Object.keys(doc.paths['/api/v1/attachments/{sha256}']?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '404']));
  });
});
